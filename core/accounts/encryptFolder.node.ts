/**
 * The upgrade of a laptop's data folder to encryption at rest, when its first account is
 * created: the database (a plain copy first, in the backups), the attachments, and every
 * backup made before — the plain copy included, so nothing readable is left once it is done.
 * Each step leaves a file plain or encrypted, never lost, and skips what is encrypted
 * already, so it runs again on each sign-in and finishes whatever a crash interrupted.
 */
import { encryptInPlace } from '../../db/atRest.node';
import { backupsDir, encryptBackupsInPlace } from '../backup.node';
import { encryptBlobsInPlace } from '../blobs.node';

export function encryptDataFolder(dataDir: string, dbFile: string, key: Buffer, options: { nativeBinding?: string } = {}): void {
  encryptInPlace(dbFile, key, backupsDir(dataDir), options);
  encryptBlobsInPlace(dataDir, key);
  encryptBackupsInPlace(dataDir, key, options);
}
