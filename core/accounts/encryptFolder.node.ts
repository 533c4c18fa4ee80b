/**
 * The upgrade of a laptop's data folder to encryption at rest, when its first account is
 * created: the database (a plain copy first, in the backups), the attachments, and every
 * backup made before — the plain copy included, so nothing readable is left once it is done.
 * Each step leaves a file plain or encrypted, never lost, and skips what is encrypted
 * already, so it runs again on each sign-in and finishes whatever a crash interrupted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encryptDatabaseFile, encryptInPlace, isEncryptedDatabase } from '../../db/atRest.node';
import { backupsDir } from '../backup.node';
import { encryptBlobsInPlace } from '../blobs.node';

export function encryptDataFolder(dataDir: string, dbFile: string, key: Buffer, options: { nativeBinding?: string } = {}): void {
  const backups = backupsDir(dataDir);
  encryptInPlace(dbFile, key, backups, options);
  encryptBlobsInPlace(dataDir, key);
  let names: string[];
  try {
    names = fs.readdirSync(backups);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(backups, name);
    if (!fs.statSync(file).isFile() || isEncryptedDatabase(file) || !isSqlite(file)) continue;
    encryptDatabaseFile(file, key, options);
  }
}

/** Backups are SQLite files; anything else in the folder (a note, a half-written temp) is not ours to touch. */
function isSqlite(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    fs.closeSync(fd);
  }
}
