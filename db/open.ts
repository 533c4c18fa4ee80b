import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { applyKey, checkKey } from './cipher';
import { AppError } from './errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { naturalKey } from '../core/rules/naturalOrder';
import { Store } from './store';

export interface OpenOptions {
  /** Where the pre-migration backup goes; defaults to a `backups` folder beside the file. */
  backupDir?: string;
  /** Stop at this schema version (tests use it to build an older database). */
  targetVersion?: number;
  /** better-sqlite3 compiled for another runtime (the Electron shell started from a dev checkout). */
  nativeBinding?: string;
  /**
   * The 32-byte data key: the file is encrypted at rest (db/cipher.ts; a new file is created
   * encrypted). Without it the file is plain SQLite (the hub's replicas, tests).
   */
  key?: Buffer | null;
}

/**
 * Opens (creating if needed) a district database: the key first when there is one (a wrong key
 * is refused as `bad_key`, the file untouched), then WAL, foreign keys, busy timeout,
 * then migrations in one transaction after a backup copy of the file (encrypted with the same
 * key: VACUUM INTO writes the copy with the connection's key). The SQL here is raw
 * on purpose: PRAGMAs, the migrations' DDL as written at their version, and VACUUM INTO,
 * none of which Kysely builds.
 */
export function openStore(file: string, options: OpenOptions = {}): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    if (options.key) {
      applyKey(sqlite, options.key);
      checkKey(sqlite);
    }
    // Before anything that writes (switching to WAL rewrites the header), so a refused file stays byte-for-byte as it was.
    refuseNewer(sqlite);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    registerFunctions(sqlite);
    migrate(sqlite, file, options);
  } catch (e) {
    sqlite.close();
    throw e;
  }
  return new Store(sqlite, file, options.key ?? null);
}

/** The SQL functions the app's queries use; a raw connection needs them too to run the same SQL. */
export function registerFunctions(sqlite: Database.Database): void {
  // SQLite's lower() and LIKE fold ASCII only; Cyrillic search needs JavaScript's folding.
  sqlite.function('fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase().replace(/ё/g, 'е') : null));
  // Natural order for names with numbers: «Школа № 2» before «Школа № 15» (core/rules/naturalOrder.ts).
  sqlite.function('natkey', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? naturalKey(s) : null));
}

function refuseNewer(sqlite: Database.Database): void {
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'db_too_new',
      `База данных создана более новой версией приложения (схема ${current}, эта версия понимает до ${LATEST_SCHEMA_VERSION}). Обновите приложение; файл не изменён.`,
    );
  }
}

function migrate(sqlite: Database.Database, file: string, options: OpenOptions): void {
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  const target = options.targetVersion ?? LATEST_SCHEMA_VERSION;
  if (current >= target) return;
  if (current > 0 && file !== ':memory:') backup(sqlite, file, current, options.backupDir);
  sqlite.transaction(() => {
    for (const m of MIGRATIONS) {
      if (m.version <= current || m.version > target) continue;
      for (const statement of m.up) sqlite.exec(statement);
      sqlite.pragma(`user_version = ${m.version}`);
    }
  })();
}

/** A consistent copy of the file before it is changed; VACUUM INTO works on a live WAL database. */
function backup(sqlite: Database.Database, file: string, version: number, dir?: string): void {
  const backupDir = dir ?? path.join(path.dirname(file), 'backups');
  fs.mkdirSync(backupDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(backupDir, `${path.basename(file)}.v${version}.${stamp}.bak`);
  sqlite.prepare('VACUUM INTO ?').run(target);
}
