/**
 * The laptop's database is encrypted at rest with SQLite3MultipleCiphers' `sqlcipher` scheme
 * (SQLCipher 4's page format: AES-256-CBC, an HMAC per page, the whole file but a 16-byte salt
 * unreadable without the key), so the file can also be opened by SQLCipher's own tools.
 *
 * The key is the 32-byte data key, given raw (`x'<hex>'`): SQLCipher then skips its own
 * password KDF (a quarter of a second on every open); passwords wrap the data key elsewhere
 * (core/accounts).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from './errors';

export const DATA_KEY_BYTES = 32;

/** The database is encrypted, but not with this key (or the file is not a database at all). */
export const badKey = (): AppError =>
  new AppError('bad_key', 'Ключ не подходит к базе данных: она зашифрована другим ключом или повреждена. Файл не изменён.');

/**
 * Sets the key on a connection that has not read anything yet: `key` to read an encrypted file
 * (or create a new one encrypted), `rekey` to encrypt a plain file the connection has open.
 */
export function applyKey(sqlite: Database.Database, key: Buffer, pragma: 'key' | 'rekey' = 'key'): void {
  if (key.length !== DATA_KEY_BYTES) throw new AppError('bad_key', `Ключ базы данных должен быть длиной ${DATA_KEY_BYTES} байта.`);
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma(`${pragma} = "x'${key.toString('hex')}'"`);
}

/**
 * The first read: SQLite decrypts page 1 here. A wrong key (or a plain file given a key) fails
 * with SQLITE_NOTADB, before anything was written.
 */
export function checkKey(sqlite: Database.Database): void {
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if ((e as { code?: unknown }).code === 'SQLITE_NOTADB') throw badKey();
    throw e;
  }
}
