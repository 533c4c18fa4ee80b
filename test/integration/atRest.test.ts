/**
 * Encryption at rest on the laptop: without the data key the database, its backups and the
 * attachment files read as noise (checked with a plain, key-less SQLite connection and by
 * searching the bytes for a surname); a wrong key is refused and changes nothing; a plain
 * database made by the code before encryption is encrypted in place with every row kept and a
 * plain copy first; plain attachment files stay readable and are converted; backups of an
 * encrypted database are encrypted and restore, and a plain backup restores encrypted.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupsDir, createBackup, encryptBackupsInPlace, listBackups } from '../../core/backup.node';
import { decodeBlob, encryptBlobsInPlace, putBlob, readBlob, sha256Of } from '../../core/blobs.node';
import type { Ctx } from '../../core/context';
import { loadDemo } from '../../core/demo';
import { restoreBackup } from '../../core/restore.node';
import { blobsFor, saveBlobs } from '../../core/sync/local.node';
import type { WireChange } from '../../core/sync/apply';
import { encryptInPlace, isEncryptedDatabase } from '../../db/atRest.node';
import { AppError } from '../../db/errors';
import { openStore } from '../../db/open';
import type { Store } from '../../db/store';
import { tempDir } from './coreFixture';

const opened: Store[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) if (s.sqlite.open) s.close();
});
const open = (file: string, key?: Buffer): Store => {
  const s = openStore(file, key ? { key } : {});
  opened.push(s);
  return s;
};

const newKey = (): Buffer => crypto.randomBytes(32);
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What a thief reads with plain SQLite: the first query on the file fails. */
function plainReadError(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return 'readable';
  } catch (e) {
    return (e as Error).message;
  } finally {
    db.close();
  }
}

const containsText = (bytes: Buffer, text: string): boolean => bytes.includes(Buffer.from(text, 'utf8'));

/** Every file under a folder, with its path relative to it. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/** Rows of every table of the district, by table. */
function rowCounts(sqlite: Database.Database): Record<string, number> {
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

const surnames = (s: Store): string[] => (s.sqlite.prepare('SELECT DISTINCT last_name FROM people ORDER BY last_name').all() as { last_name: string }[]).map((r) => r.last_name);

function demoDistrict(key?: Buffer): { dir: string; file: string; store: Store } {
  const dir = tempDir('shnor-at-rest-');
  const file = path.join(dir, 'district.sqlite');
  const store = open(file, key);
  loadDemo(store);
  return { dir, file, store };
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('the encrypted database', () => {
  it('cannot be read by plain SQLite, has no SQLite header and no surname among its bytes, the WAL included', () => {
    const key = newKey();
    const { file, store } = demoDistrict(key);
    const names = surnames(store);
    expect(names.length).toBeGreaterThan(5);
    // While the app runs, recent writes sit in the WAL: it must be as unreadable as the file.
    const wal = fs.readFileSync(`${file}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    expect(names.filter((n) => containsText(wal, n))).toEqual([]);
    store.close();

    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 16).equals(PLAIN_HEADER)).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(names.filter((n) => containsText(bytes, n))).toEqual([]);
    expect(isEncryptedDatabase(file)).toBe(true);
    expect(plainReadError(file)).toMatch(/file is not a database/);

    const again = open(file, key);
    expect(surnames(again)).toEqual(names);
    expect(again.dataKey?.equals(key)).toBe(true);
  });

  it('refuses a wrong key in Russian and leaves the file byte-for-byte as it was, with no files beside it', () => {
    const { dir, file, store } = demoDistrict(newKey());
    store.close();
    const before = sha(file);
    const e = errorOf(() => open(file, newKey()));
    expect(e.code).toBe('bad_key');
    expect(e.message).toMatch(/^Ключ не подходит к базе данных/);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['district.sqlite']);
  });

  it('a plain database is refused with a key (it must be encrypted in place first), unchanged', () => {
    const { file, store } = demoDistrict();
    store.close();
    const before = sha(file);
    expect(isEncryptedDatabase(file)).toBe(false);
    expect(errorOf(() => open(file, newKey())).code).toBe('bad_key');
    expect(sha(file)).toBe(before);
  });

  it('the copy made before a migration is encrypted with the same key', () => {
    const key = newKey();
    const dir = tempDir('shnor-at-rest-migrate-');
    const file = path.join(dir, 'district.sqlite');
    const v1 = openStore(file, { key, targetVersion: 1 });
    v1.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'Смирнова')").run();
    v1.close();
    open(file, key).close();
    const [copy] = fs.readdirSync(backupsDir(dir));
    const copyFile = path.join(backupsDir(dir), copy!);
    expect(copy).toMatch(/^district\.sqlite\.v1\..*\.bak$/);
    expect(isEncryptedDatabase(copyFile)).toBe(true);
    expect(containsText(fs.readFileSync(copyFile), 'Смирнова')).toBe(false);
    expect(plainReadError(copyFile)).toMatch(/file is not a database/);
  });

  it('without a key a database is plain SQLite, as the hub and the tests use it', () => {
    const { file, store } = demoDistrict();
    expect(store.dataKey).toBeNull();
    store.close();
    expect(fs.readFileSync(file).subarray(0, 16).equals(PLAIN_HEADER)).toBe(true);
    expect(plainReadError(file)).toBe('readable');
  });
});

describe('upgrade: a plain database encrypted in place', () => {
  it('keeps every row, makes a plain copy first, and is then unreadable without the key', () => {
    const { dir, file, store } = demoDistrict();
    const counts = rowCounts(store.sqlite);
    const names = surnames(store);
    expect(counts.schools).toBeGreaterThan(0);
    store.close();
    // A leftover of an attempt a crash interrupted is not in the way.
    fs.writeFileSync(`${file}.encrypting`, 'half a file');

    const key = newKey();
    const backupDir = backupsDir(dir);
    const { backup } = encryptInPlace(file, key, backupDir);

    expect(isEncryptedDatabase(file)).toBe(true);
    expect(plainReadError(file)).toMatch(/file is not a database/);
    expect(names.filter((n) => containsText(fs.readFileSync(file), n))).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(['backups', 'district.sqlite']);
    const encrypted = open(file, key);
    expect(rowCounts(encrypted.sqlite)).toEqual(counts);
    expect(surnames(encrypted)).toEqual(names);

    // The plain copy: whole, listed among the backups as made before an update.
    expect(backup).not.toBeNull();
    expect(path.dirname(backup!)).toBe(backupDir);
    const copy = new Database(backup!, { readonly: true });
    expect(rowCounts(copy)).toEqual(counts);
    copy.close();
    expect(listBackups(dir).map((b) => [b.id, b.kind])).toEqual([[path.basename(backup!), 'before-update']]);

    // Done once: an encrypted file is left as it is.
    encrypted.close();
    const after = sha(file);
    expect(encryptInPlace(file, key, backupDir)).toEqual({ backup: null });
    expect(sha(file)).toBe(after);
  });

  it('is refused while another connection has the database open, which keeps it plain and whole', () => {
    const { file, store } = demoDistrict();
    const counts = rowCounts(store.sqlite);
    const e = errorOf(() => encryptInPlace(file, newKey(), backupsDir(path.dirname(file))));
    expect(e.code).toBe('encrypt_failed');
    expect(e.message).toMatch(/открыта другой программой/);
    expect(isEncryptedDatabase(file)).toBe(false);
    expect(fs.existsSync(`${file}.encrypting`)).toBe(false);
    expect(rowCounts(store.sqlite)).toEqual(counts);
  });
});

describe('the whole upgrade: database, attachments and backups', () => {
  it('leaves no file in the data folder with a surname or an attachment’s text, and the copy made before it still restores', async () => {
    const { dir, file, store } = demoDistrict();
    const names = surnames(store);
    const text = 'Приказ № 15 о проверке, исполнитель Кузнецова';
    putBlob(store, dir, Buffer.from(text), 'text/plain');
    createBackup(store, dir, 'manual');
    createBackup(store, dir, 'daily');
    store.close();
    // Before: the plain files give the names away (the check below can fail).
    expect(filesUnder(dir).filter((f) => names.some((n) => containsText(fs.readFileSync(path.join(dir, f)), n))).length).toBeGreaterThan(0);

    const key = newKey();
    const { backup } = encryptInPlace(file, key, backupsDir(dir));
    expect(encryptBlobsInPlace(dir, key)).toEqual({ encrypted: 2 });
    expect(encryptBackupsInPlace(dir, key)).toEqual({ encrypted: 3, failed: 0 });

    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dir, f));
      expect(names.filter((n) => containsText(bytes, n)), f).toEqual([]);
      expect(containsText(bytes, text), f).toBe(false);
      expect(bytes.includes(Buffer.from('SQLite format 3')), f).toBe(false);
    }
    for (const b of listBackups(dir)) expect(plainReadError(path.join(backupsDir(dir), b.id))).toMatch(/file is not a database/);
    expect(encryptBackupsInPlace(dir, key)).toEqual({ encrypted: 0, failed: 0 });

    const live = open(file, key);
    live.sqlite.prepare('UPDATE people SET last_name = ?').run('Стёртый');
    const ctx: Ctx = { store: live, dataDir: dir, emit: () => undefined };
    await restoreBackup(ctx, path.basename(backup!));
    opened.push(ctx.store);
    expect(surnames(ctx.store)).toEqual(names);
  });
});

describe('attachment files', () => {
  it('are written encrypted when the store has a key, named by the plain bytes’ hash, and read back decrypted', () => {
    const key = newKey();
    const { dir, store } = demoDistrict(key);
    const text = 'Приказ о назначении куратора Иванова Ивана Петровича';
    const { sha256 } = putBlob(store, dir, Buffer.from(text), 'text/plain', 'приказ.txt');
    expect(sha256).toBe(sha256Of(Buffer.from(text)));
    const raw = fs.readFileSync(path.join(dir, 'blobs', sha256));
    expect(containsText(raw, 'Иванова')).toBe(false);
    expect(containsText(raw, text)).toBe(false);
    expect(readBlob(dir, sha256, 'приказ.txt', key).toString()).toBe(text);
    // The same bytes again keep the file; another key cannot read it; no key is a clear error.
    putBlob(store, dir, Buffer.from(text), 'text/plain');
    expect(fs.readFileSync(path.join(dir, 'blobs', sha256)).equals(raw)).toBe(true);
    expect(errorOf(() => readBlob(dir, sha256, 'приказ.txt', newKey())).code).toBe('file_damaged');
    expect(errorOf(() => readBlob(dir, sha256, 'приказ.txt')).code).toBe('file_locked');
    // A flipped byte of the ciphertext is caught by the tag.
    const bad = Buffer.from(raw);
    bad[bad.length - 1]! ^= 1;
    expect(decodeBlob(bad, sha256, key)).toBeNull();
  });

  it('a plain file from before stays readable; encryptBlobsInPlace converts it and the backups’ copy, stored once', () => {
    const { dir, store } = demoDistrict();
    const text = 'Справка по школе: Петрова Мария Сергеевна';
    const { sha256 } = putBlob(store, dir, Buffer.from(text), 'text/plain');
    createBackup(store, dir, 'manual');
    const live = path.join(dir, 'blobs', sha256);
    const kept = path.join(backupsDir(dir), 'blobs', sha256);
    expect(fs.readFileSync(kept, 'utf8')).toBe(text);

    const key = newKey();
    expect(readBlob(dir, sha256, 'справка', key).toString()).toBe(text);
    expect(encryptBlobsInPlace(dir, key)).toEqual({ encrypted: 2 });
    for (const f of [live, kept]) expect(containsText(fs.readFileSync(f), 'Петрова')).toBe(false);
    expect(fs.statSync(kept).ino).toBe(fs.statSync(live).ino);
    expect(readBlob(dir, sha256, 'справка', key).toString()).toBe(text);
    expect(encryptBlobsInPlace(dir, key)).toEqual({ encrypted: 0 });
    expect(fs.readdirSync(path.join(dir, 'blobs'))).toEqual([sha256]);
  });

  it('sync reads them decrypted into packages and saves the ones it receives encrypted', () => {
    const key = newKey();
    const dir = tempDir('shnor-at-rest-sync-');
    const blobDir = path.join(dir, 'blobs');
    const bytes = Buffer.from('Фотография журнала посещений: Сидоров');
    const sha256 = sha256Of(bytes);
    saveBlobs([{ sha256, bytes }], blobDir, key);
    expect(containsText(fs.readFileSync(path.join(blobDir, sha256)), 'Сидоров')).toBe(false);
    const change = { v: { file_sha256: sha256 } } as unknown as WireChange;
    expect(blobsFor([change], blobDir, key)).toEqual([{ sha256, bytes }]);
    // The hub (no key) keeps plain files as before.
    const hubDir = path.join(dir, 'hub-blobs');
    saveBlobs([{ sha256, bytes }], hubDir);
    expect(fs.readFileSync(path.join(hubDir, sha256)).equals(bytes)).toBe(true);
  });
});

describe('backups and restore of an encrypted database', () => {
  const ctxOf = (dir: string, store: Store): Ctx => ({ store, dataDir: dir, emit: () => undefined });

  it('a backup is encrypted with the same key and restores', async () => {
    const key = newKey();
    const { dir, store } = demoDistrict(key);
    const names = surnames(store);
    const backup = createBackup(store, dir, 'manual');
    const file = path.join(backupsDir(dir), backup.id);
    expect(isEncryptedDatabase(file)).toBe(true);
    expect(plainReadError(file)).toMatch(/file is not a database/);
    expect(names.filter((n) => containsText(fs.readFileSync(file), n))).toEqual([]);

    store.sqlite.prepare('DELETE FROM evidence').run();
    store.sqlite.prepare('UPDATE people SET last_name = ?').run('Стёртый');
    const ctx = ctxOf(dir, store);
    const r = await restoreBackup(ctx, backup.id);
    opened.push(ctx.store);
    expect(r.restored.id).toBe(backup.id);
    expect(ctx.store.dataKey?.equals(key)).toBe(true);
    expect(surnames(ctx.store)).toEqual(names);
    expect(isEncryptedDatabase(path.join(dir, 'district.sqlite'))).toBe(true);
    // The state saved before the restore is encrypted too.
    expect(isEncryptedDatabase(path.join(backupsDir(dir), r.saved.id))).toBe(true);
  });

  it('a plain backup made before the encryption restores, and the restored database is encrypted', async () => {
    const { dir, file, store } = demoDistrict();
    const names = surnames(store);
    const plain = createBackup(store, dir, 'manual');
    store.close();
    const key = newKey();
    encryptInPlace(file, key, backupsDir(dir));
    const live = open(file, key);
    live.sqlite.prepare('UPDATE people SET last_name = ?').run('Стёртый');

    const ctx = ctxOf(dir, live);
    await restoreBackup(ctx, plain.id);
    opened.push(ctx.store);
    expect(surnames(ctx.store)).toEqual(names);
    ctx.store.close();
    expect(isEncryptedDatabase(file)).toBe(true);
    expect(plainReadError(file)).toMatch(/file is not a database/);
    expect(names.filter((n) => containsText(fs.readFileSync(file), n))).toEqual([]);
  });
});
