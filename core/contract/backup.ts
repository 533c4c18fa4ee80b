import { call } from './define';
import { z } from './common';

/**
 * daily: made once a day by the app; manual: «Создать копию сейчас»; before-restore: the state
 * a restore replaced; before-update: made before a migration upgraded the database.
 */
export const backupKinds = ['daily', 'manual', 'before-restore', 'before-update'] as const;
export type BackupKind = (typeof backupKinds)[number];

export interface BackupInfo {
  /** The file name in `<dataDir>/backups`. */
  id: string;
  kind: BackupKind;
  /** ISO timestamp. */
  createdAt: string;
  /** Bytes of the database copy (attachments are kept once for all copies). */
  size: number;
}

export interface BackupList {
  backups: BackupInfo[];
  /** Where the copies are, to show the user. */
  dir: string;
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The copy of the state the restore replaced. */
  saved: BackupInfo;
  /** Attachments the restored data references that no copy held (their records stay, the files are gone). */
  missingFiles: number;
}

/** A backup file name as listBackups gives it: no folders, nothing hidden. */
const backupId = z
  .string()
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,199}$/, { message: 'Неверное имя резервной копии' })
  .refine((s) => !s.includes('..'), { message: 'Неверное имя резервной копии' });

export const backupContract = {
  'backups.list': call<BackupList>()(z.strictObject({})),
  'backups.create': call<BackupInfo>()(z.strictObject({})),
  'backups.restore': call<RestoreResult>()(z.strictObject({ id: backupId })),
};
