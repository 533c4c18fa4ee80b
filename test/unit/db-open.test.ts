import Database from 'better-sqlite3-multiple-ciphers';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../db/errors';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { openStore } from '../../db/open';
import type { Store } from '../../db/store';
import { tempDir } from '../integration/coreFixture';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const opened: Store[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.sqlite.open && s.close();
});

describe('openStore', () => {
  it('creates a fresh database in WAL mode with foreign keys on, at the latest schema version', () => {
    const file = path.join(tempDir(), 'district.sqlite');
    const store = openStore(file);
    opened.push(store);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.sqlite.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    // A fresh file has nothing to lose: no backup is written for it.
    expect(fs.existsSync(path.join(path.dirname(file), 'backups'))).toBe(false);
  });

  it('stops at targetVersion, then migrates the rest after a backup of the old file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'district.sqlite');
    const old = openStore(file, { targetVersion: 1 });
    expect(old.sqlite.pragma('user_version', { simple: true })).toBe(1);
    old.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'v1')").run();
    old.close();

    const store = openStore(file);
    opened.push(store);
    expect(store.sqlite.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const backups = fs.readdirSync(path.join(dir, 'backups'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^district\.sqlite\.v1\..*\.bak$/);
    // The backup is the version-1 database, whole and readable.
    const copy = new Database(path.join(dir, 'backups', backups[0]!), { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: 'v1' });
    copy.close();
  });

  it('refuses a database made by a newer version, in Russian, leaving the file byte-for-byte unchanged', () => {
    const dir = tempDir();
    const file = path.join(dir, 'district.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x TEXT); INSERT INTO future VALUES (1);');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha(file);

    let error: unknown;
    try {
      opened.push(openStore(file));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('db_too_new');
    expect((error as AppError).message).toContain('более новой версией приложения');
    expect((error as AppError).message).toContain('файл не изменён');
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['district.sqlite']);
  });
});
