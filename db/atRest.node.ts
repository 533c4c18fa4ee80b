/**
 * Encryption at rest of a database file that is not open as the store: telling a plain file
 * from an encrypted one, and encrypting a plain district database in place on the upgrade
 * (db/cipher.ts holds the scheme).
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { applyKey } from './cipher';
import { AppError } from './errors';
import { fsyncPath } from './files.node';

/** The first 16 bytes of every plain SQLite file; an encrypted file starts with its random salt instead. */
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface FileOptions {
  /** better-sqlite3 compiled for another runtime (see db/open.ts). */
  nativeBinding?: string;
}

const connect = (file: string, options: FileOptions): Database.Database =>
  new Database(file, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });

/** True when the file is not plain SQLite (its header is not «SQLite format 3»); false for a missing or empty file. */
export function isEncryptedDatabase(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n > 0 && !(n === head.length && head.equals(PLAIN_HEADER));
  } finally {
    fs.closeSync(fd);
  }
}

const sidecars = (file: string): string[] => [`${file}-wal`, `${file}-shm`, `${file}-journal`];

/**
 * Encrypts a plain, closed, self-contained database file (no WAL beside it: a copy, a backup)
 * where it lies. Not crash-safe on its own: used on copies that a crash may simply lose.
 */
export function encryptDatabaseFile(file: string, key: Buffer, options: FileOptions = {}): void {
  const db = connect(file, options);
  try {
    // SQLite3MultipleCiphers cannot rekey a WAL database; the copy is one file in rollback mode.
    db.pragma('journal_mode = DELETE');
    applyKey(db, key, 'rekey');
  } finally {
    db.close();
  }
  fsyncPath(file);
}

export interface EncryptResult {
  /** The plain copy made first (in backupDir), or null when the file was already encrypted. */
  backup: string | null;
}

/**
 * Encrypts the plain district database at `file` in place. Call it with the store closed: writes
 * made meanwhile would be lost. Steps, each leaving a whole database under the real name:
 * 1. a consistent plain copy into `backupDir`, named as db/open.ts names its pre-migration
 *    copies (Настройки → Резервные копии lists it as «перед обновлением»);
 * 2. VACUUM INTO a temporary file beside it, which is then encrypted (`PRAGMA rekey`) and synced;
 * 3. one rename over the live file (the plain connection closed first, so its WAL is
 *    checkpointed and removed; a WAL still there means another connection: refused). A crash before the rename leaves the plain file, after it the
 *    encrypted one; a leftover temporary file is removed by the next attempt.
 * An already encrypted file is left as it is.
 */
export function encryptInPlace(file: string, key: Buffer, backupDir: string, options: FileOptions & { now?: Date } = {}): EncryptResult {
  if (isEncryptedDatabase(file)) return { backup: null };
  const tmp = `${file}.encrypting`;
  for (const f of [tmp, ...sidecars(tmp)]) fs.rmSync(f, { force: true });
  const db = connect(file, options);
  let backup: string;
  try {
    backup = plainBackup(db, file, backupDir, options.now ?? new Date());
    db.prepare('VACUUM INTO ?').run(tmp);
  } catch (e) {
    db.close();
    fs.rmSync(tmp, { force: true });
    throw new AppError('encrypt_failed', `Не удалось зашифровать базу данных: ${(e as Error).message}. Проверьте, что на диске есть место; файл не изменён.`);
  } finally {
    if (db.open) db.close();
  }
  try {
    // Our connection was the last one, so closing it checkpointed and removed the WAL; one still there
    // belongs to another connection whose writes the rename would lose.
    if (sidecars(file).some((f) => fs.existsSync(f))) throw new Error('база данных открыта другой программой или окном, закройте их');
    encryptDatabaseFile(tmp, key, options);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('encrypt_failed', `Не удалось зашифровать базу данных: ${(e as Error).message}. Файл не изменён.`);
  }
  fsyncPath(path.dirname(file));
  return { backup };
}

/** VACUUM INTO a temporary name, synced, then renamed: a crash never leaves half a copy under a real name. */
function plainBackup(db: Database.Database, file: string, backupDir: string, now: Date): string {
  fs.mkdirSync(backupDir, { recursive: true });
  const version = db.pragma('user_version', { simple: true }) as number;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = path.join(backupDir, `${path.basename(file)}.v${version}.${stamp}.bak`);
  const tmp = path.join(backupDir, `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
    fsyncPath(tmp);
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return target;
}
