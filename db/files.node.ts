/**
 * Files that survive a crash: flushed to the disk, and replaced whole by one rename, so a
 * reader finds the old or the new content, never half of one. Used for the database copies,
 * attachments and the keyring alike.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';

/** Flushes a file (or a directory entry) to the disk; a missing file is left alone. */
export function fsyncPath(file: string): void {
  let fd: number;
  try {
    // Windows flushes only a handle opened for writing; a directory opens read-only.
    fd = fs.openSync(file, fs.statSync(file).isDirectory() ? 'r' : 'r+');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be synced on every platform (Windows); the rename is atomic regardless.
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `file` whole through a temporary name beside it: written, flushed, renamed over. */
export function writeFileAtomically(file: string, bytes: Uint8Array | string, mode = 0o666): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w', mode);
    try {
      fs.writeFileSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
