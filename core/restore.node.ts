/**
 * Restoring a backup in the running app: check the copy, prepare a working copy of it beside
 * the database (migrated to this version, its sync state made safe:
 * core/sync/afterRestore.node.ts), save the current state as a «перед восстановлением» copy,
 * then close the store, swap the file in with one rename, and reopen. Nothing is lost on failure:
 * until the rename the live file is untouched, and a copy that cannot be opened after it is
 * replaced by the saved state.
 *
 * On an encrypted laptop (store.dataKey) copies are opened with the key; a plain copy from before
 * the encryption is encrypted as it is prepared, so the restored database is encrypted too.
 *
 * Every cached statement and replica belongs to its Store (WeakMaps keyed by it), so the new
 * store starts clean; screens refresh on a `data.changed` naming every table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../db/errors';
import { encryptDatabaseFile, isEncryptedDatabase } from '../db/atRest.node';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { openStore } from '../db/open';
import type { Store } from '../db/store';
import { backupFile, blobRefs, createBackup, findBackup, openReadonly, pruneBackups, type BackupOptions } from './backup.node';
import { BLOBS_DIR, placeFile } from './blobs.node';
import { timeZoneOf } from './localDay';
import type { BackupInfo, RestoreResult } from './contract/backup';
import type { Ctx } from './context';
import { prepareRestoredReplica } from './sync/afterRestore.node';
import { syncState } from './sync/client';

const STEPS = 5;
/** The contexts with a restore under way: a second one waits for nothing, it is refused. */
const restoring = new WeakSet<Ctx>();

const damaged = (detail: string): AppError =>
  new AppError('backup_damaged', `Файл резервной копии повреждён (${detail}): восстановить из него нельзя. Выберите другую копию; текущие данные не изменены.`);

/** Refuses a copy that is not a whole district database this version can open; returns its attachment hashes. */
export function checkBackupFile(file: string, options: BackupOptions = {}): Set<string> {
  let db;
  try {
    db = openReadonly(file, options);
  } catch (e) {
    throw damaged(`не открывается: ${(e as Error).message}`);
  }
  try {
    let rows: { integrity_check: string }[];
    try {
      rows = db.pragma('integrity_check') as { integrity_check: string }[];
    } catch (e) {
      throw damaged((e as Error).message);
    }
    if (rows.length !== 1 || rows[0]!.integrity_check !== 'ok') throw damaged(`проверка целостности: ${rows.slice(0, 3).map((r) => r.integrity_check).join('; ')}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError('backup_too_new', `Копия сделана более новой версией приложения (схема ${version}, эта версия понимает до ${LATEST_SCHEMA_VERSION}). Обновите приложение; текущие данные не изменены.`);
    }
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (version < 1 || !hasMeta) throw damaged('это не база данных района');
    return blobRefs(db);
  } finally {
    db.close();
  }
}

const sidecars = (file: string): string[] => [`${file}-wal`, `${file}-shm`, `${file}-journal`];

/** Restores attachment files the data references and the live folder lacks, from the backups' store; returns how many no copy had. */
function restoreBlobs(dataDir: string, refs: Iterable<string>): number {
  const live = path.join(dataDir, BLOBS_DIR);
  const kept = path.join(dataDir, 'backups', BLOBS_DIR);
  fs.mkdirSync(live, { recursive: true });
  let missing = 0;
  for (const sha of refs) {
    const dst = path.join(live, sha);
    if (fs.existsSync(dst)) continue;
    const src = path.join(kept, sha);
    if (fs.existsSync(src)) placeFile(src, dst);
    else missing += 1;
  }
  return missing;
}

/**
 * A working copy of the backup beside the live database, migrated and prepared for sync,
 * closed in rollback-journal mode so the one file is the whole database.
 */
function prepareCopy(source: string, live: Store, options: BackupOptions): string {
  const tmp = path.join(path.dirname(live.path), `.restore-${process.pid}.sqlite`);
  const migrationBackups = `${tmp}.before-migration`;
  for (const f of [tmp, ...sidecars(tmp)]) fs.rmSync(f, { force: true });
  fs.copyFileSync(source, tmp);
  let copy: Store | null = null;
  try {
    if (live.dataKey && !isEncryptedDatabase(tmp)) encryptDatabaseFile(tmp, live.dataKey, options);
    copy = openStore(tmp, { backupDir: migrationBackups, key: live.dataKey, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    prepareRestoredReplica(copy, live);
    copy.sqlite.pragma('journal_mode = DELETE');
    copy.close();
    copy = null;
    return tmp;
  } catch (e) {
    copy?.close();
    for (const f of [tmp, ...sidecars(tmp)]) fs.rmSync(f, { force: true });
    if (e instanceof AppError) throw e;
    throw new AppError('backup_unusable', `Копию не удалось подготовить к восстановлению (${(e as Error).message}). Текущие данные не изменены.`);
  } finally {
    fs.rmSync(migrationBackups, { recursive: true, force: true });
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Restores backup `id` into the running app: `ctx.store` is a new store afterwards. */
export async function restoreBackup(ctx: Ctx, id: string): Promise<RestoreResult> {
  if (restoring.has(ctx)) throw new AppError('restore_running', 'Восстановление уже выполняется. Дождитесь его окончания.');
  restoring.add(ctx);
  try {
    return await restore(ctx, id);
  } finally {
    restoring.delete(ctx);
  }
}

async function restore(ctx: Ctx, id: string): Promise<RestoreResult> {
  const options: BackupOptions = { key: ctx.store.dataKey, ...(ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {}) };
  const progress = (done: number, label: string) => ctx.emit({ type: 'progress', task: 'backup.restore', done, total: STEPS, label });
  const live = ctx.store;
  if (live.path === ':memory:') throw new AppError('no_file', 'База данных открыта в памяти: восстанавливать некуда.');
  const refuseWhileSyncing = () => {
    if (syncState(ctx.store).syncing) throw new AppError('sync_running', 'Идёт синхронизация: дождитесь её окончания и повторите восстановление. Данные не изменены.');
  };
  refuseWhileSyncing();
  const backup = findBackup(ctx.dataDir, id);

  progress(0, 'Проверка резервной копии');
  await nextTurn();
  // From here to the reopened store nothing awaits: no call writes between the saved state and
  // the swap (nothing is lost), and no sync starts that could reach the closed store.
  refuseWhileSyncing();
  const refs = checkBackupFile(backupFile(ctx.dataDir, id), options);
  progress(1, 'Подготовка данных из копии');
  const copy = prepareCopy(backupFile(ctx.dataDir, id), live, options);
  let saved: BackupInfo;
  let missingFiles: number;
  try {
    progress(2, 'Сохранение текущего состояния');
    saved = createBackup(live, ctx.dataDir, 'before-restore', { ...options, prune: false });
    progress(3, 'Восстановление вложенных файлов');
    missingFiles = restoreBlobs(ctx.dataDir, refs);
  } catch (e) {
    fs.rmSync(copy, { force: true });
    throw e;
  }
  progress(4, 'Замена базы данных');
  swapIn(ctx, copy, backupFile(ctx.dataDir, saved.id));

  ctx.emit({ type: 'data.changed', tables: allTables(ctx.store) });
  ctx.emit({ type: 'sync.state', state: syncState(ctx.store) });
  progress(STEPS, 'Готово');
  try {
    pruneBackups(ctx.dataDir, { ...options, timeZone: timeZoneOf(ctx.store) });
  } catch {
    // Pruning is retried with the next copy; the restore itself is done.
  }
  return { restored: backup, saved, missingFiles };
}

/** Close, rename the prepared copy over the database, reopen; on failure put the saved state back. */
function swapIn(ctx: Ctx, copy: string, savedFile: string): void {
  const live = ctx.store;
  const file = live.path;
  const open = () => openStore(file, { key: live.dataKey, ...(ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {}) });
  live.close();
  try {
    // A clean close checkpoints and removes the WAL; one left over must not be replayed into the copy.
    for (const f of sidecars(file)) fs.rmSync(f, { force: true });
    fs.renameSync(copy, file);
  } catch (e) {
    fs.rmSync(copy, { force: true });
    ctx.store = open();
    throw new AppError('restore_failed', `Не удалось заменить файл базы данных: ${(e as Error).message}. Данные не изменены.`);
  }
  try {
    ctx.store = open();
  } catch (e) {
    fs.copyFileSync(savedFile, `${file}.restoring`);
    for (const f of sidecars(file)) fs.rmSync(f, { force: true });
    fs.renameSync(`${file}.restoring`, file);
    ctx.store = open();
    throw new AppError('restore_failed', `Восстановленная база данных не открылась (${(e as Error).message}): возвращено состояние до восстановления.`);
  }
}

/** Every table of the database, for the event that makes every screen reload. */
function allTables(store: Store): string[] {
  return (store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}
