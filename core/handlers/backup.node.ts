import { createBackup, listBackups, backupsDir } from '../backup.node';
import { backupContract } from '../contract/backup';
import { restoreBackup } from '../restore.node';
import type { Handlers } from './types';

export const backupHandlers: Handlers<typeof backupContract> = {
  'backups.list': (_i, ctx) => ({ backups: listBackups(ctx.dataDir), dir: backupsDir(ctx.dataDir) }),

  'backups.create': (_i, ctx) => createBackup(ctx.store, ctx.dataDir, 'manual', ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {}),

  'backups.restore': (input, ctx) => restoreBackup(ctx, input.id),
};
