/**
 * Local backups: consistent copies of the district database in `<dataDir>/backups`, each with
 * the attachment files it references.
 *
 * - A copy is `VACUUM INTO` a temporary name, synced to disk and renamed to
 *   `<timestamp>.<kind>.sqlite`, so a crash never leaves a half copy under a real name. The
 *   copies db/open.ts makes before a migration (`district.sqlite.v<N>.<timestamp>.bak`) are
 *   listed too, as «перед обновлением».
 * - Attachments are content-addressed files: each one a copy references is kept once, by hash,
 *   in `backups/blobs/` (a hard link to the live file where the file system allows, else a
 *   copy), before the copy gets its real name. A copy can so restore every file it references
 *   even after the live file was removed.
 * - On an encrypted laptop (store.dataKey) the copies are encrypted with the same key (VACUUM
 *   INTO writes with the connection's key), and so are the kept attachment files (links to the
 *   encrypted live files); a plain copy from before the encryption stays readable.
 * - Retention (RETENTION below): the 7 newest daily copies and the newest daily copy of each of
 *   the last 6 calendar months; the 10 newest manual copies; the 5 newest made before a
 *   restore; the 3 newest made before an update. Older ones are deleted, then every kept file
 *   of `backups/blobs/` that no remaining copy references.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { encryptDatabaseFile, isEncryptedDatabase } from '../db/atRest.node';
import { fsyncPath } from '../db/files.node';
import { applyKey, checkKey } from '../db/cipher';
import { AppError } from '../db/errors';
import type { Store } from '../db/store';
import { BLOBS_DIR, placeFile } from './blobs.node';
import type { BackupInfo, BackupKind } from './contract/backup';
import { logUnexpected, type Ctx } from './context';
import { timeZoneOf } from './localDay';
import { DEFAULT_TIME_ZONE, todayIn } from './rules/today';

export const BACKUPS_DIR = 'backups';
const SHA256 = /^[0-9a-f]{64}$/;
const SHA_COLUMN = /sha256$/;
/** `2026-12-02T00-37-25-123Z`: an ISO instant with `:` and `.` made safe for file names (as db/open.ts writes it). */
const STAMP = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z)';
const OWN_NAME = new RegExp(`^${STAMP}\\.(daily|manual|before-restore)\\.sqlite$`);
const UPDATE_NAME = new RegExp(`^.+\\.v\\d+\\.${STAMP}\\.bak$`);

/** How many copies of each kind are kept; daily copies also keep the newest of each of `months` months. */
export const RETENTION: Record<BackupKind, number> & { months: number } = {
  daily: 7,
  months: 6,
  manual: 10,
  'before-restore': 5,
  'before-update': 3,
};

export interface BackupOptions {
  /** better-sqlite3 compiled for another runtime (see db/open.ts), for the connections that read copies. */
  nativeBinding?: string;
  /** The data key (store.dataKey) that opens encrypted copies; plain copies open without it. */
  key?: Buffer | null;
}

export const backupsDir = (dataDir: string): string => path.join(dataDir, BACKUPS_DIR);
const backupBlobsDir = (dataDir: string): string => path.join(backupsDir(dataDir), BLOBS_DIR);

const toStamp = (d: Date): string => d.toISOString().replace(/[:.]/g, '-');
const fromStamp = (s: string): string => `${s.slice(0, 10)}T${s.slice(11, 13)}:${s.slice(14, 16)}:${s.slice(17, 19)}.${s.slice(20, 23)}Z`;

/** The backup a file name stands for, or null for any other file. */
function parseName(name: string): Omit<BackupInfo, 'size'> | null {
  const own = OWN_NAME.exec(name);
  if (own) return { id: name, kind: own[2] as BackupKind, createdAt: fromStamp(own[1]!) };
  const update = UPDATE_NAME.exec(name);
  if (update) return { id: name, kind: 'before-update', createdAt: fromStamp(update[1]!) };
  return null;
}

/** Every backup in the folder, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupInfo[] = [];
  for (const name of names) {
    const b = parseName(name);
    if (!b) continue;
    try {
      out.push({ ...b, size: fs.statSync(path.join(dir, name)).size });
    } catch {
      // removed meanwhile
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function findBackup(dataDir: string, id: string): BackupInfo {
  const b = listBackups(dataDir).find((x) => x.id === id);
  if (!b) throw new AppError('backup_not_found', 'Резервная копия не найдена: возможно, она уже удалена. Обновите список.');
  return b;
}

export const backupFile = (dataDir: string, id: string): string => path.join(backupsDir(dataDir), id);

/**
 * A read-only connection to a database file that is not the store (a backup, a copy being
 * checked): with the key when the file is encrypted (a wrong key: `bad_key`).
 */
export function openReadonly(file: string, options: BackupOptions = {}): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    if (options.key && isEncryptedDatabase(file)) {
      applyKey(db, options.key);
      checkKey(db);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** The attachment hashes a database references: every column named *sha256 of every table. */
export function blobRefs(db: Database.Database): Set<string> {
  const refs = new Set<string>();
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  for (const { name } of tables) {
    const cols = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name).filter((c) => SHA_COLUMN.test(c));
    for (const col of cols) {
      for (const r of db.prepare(`SELECT DISTINCT "${col}" AS h FROM "${name}" WHERE "${col}" IS NOT NULL`).all() as { h: unknown }[]) {
        if (typeof r.h === 'string' && SHA256.test(r.h)) refs.add(r.h);
      }
    }
  }
  return refs;
}

function refsOfFile(file: string, options: BackupOptions): Set<string> {
  const db = openReadonly(file, options);
  try {
    return blobRefs(db);
  } finally {
    db.close();
  }
}

/** Keeps every referenced attachment in `backups/blobs` (once per hash); returns how many were not found. */
function keepBlobs(dataDir: string, refs: Iterable<string>): number {
  const dir = backupBlobsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  let missing = 0;
  for (const sha of refs) {
    const kept = path.join(dir, sha);
    if (fs.existsSync(kept)) continue;
    const live = path.join(dataDir, BLOBS_DIR, sha);
    if (fs.existsSync(live)) placeFile(live, kept);
    else missing += 1;
  }
  return missing;
}

/** A file name for a new copy: the time it is made, unique in the folder. */
function newName(dir: string, kind: Exclude<BackupKind, 'before-update'>, now: Date): string {
  for (let t = now.getTime(); ; t++) {
    const name = `${toStamp(new Date(t))}.${kind}.sqlite`;
    if (!fs.existsSync(path.join(dir, name))) return name;
  }
}

/**
 * Makes a copy of the store now: the database (consistent even while the app writes, VACUUM
 * INTO reads one snapshot) and the attachment files it references. Prunes by RETENTION
 * unless `prune` is false.
 */
export function createBackup(
  store: Store,
  dataDir: string,
  kind: Exclude<BackupKind, 'before-update'>,
  options: BackupOptions & { now?: Date; prune?: boolean } = {},
): BackupInfo {
  if (store.path === ':memory:') throw new AppError('no_file', 'База данных открыта в памяти: резервную копию сделать нельзя.');
  const dir = backupsDir(dataDir);
  const now = options.now ?? new Date();
  const name = newName(dir, kind, now);
  const file = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.rmSync(tmp, { force: true });
    store.sqlite.prepare('VACUUM INTO ?').run(tmp);
    fsyncPath(tmp);
    keepBlobs(dataDir, refsOfFile(tmp, { ...options, key: store.dataKey }));
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('backup_failed', `Не удалось сделать резервную копию в папке ${dir}: ${(e as Error).message}. Проверьте, что на диске есть место.`);
  }
  if (options.prune !== false) pruneBackups(dataDir, { ...options, key: store.dataKey, timeZone: timeZoneOf(store) });
  return { ...parseName(name)!, size: fs.statSync(file).size };
}

/**
 * Encrypts every plain copy of the backups folder with the data key, on the upgrade to an
 * encrypted laptop once the encrypted database is in place, so no plain copy of the data stays
 * on the disk. Each copy is encrypted as a temporary file beside it and renamed over it (name,
 * kind and date kept); a crash leaves it plain or encrypted. A copy that cannot be encrypted
 * (damaged, or no room on the disk) is left as it is and counted in `failed`.
 */
export function encryptBackupsInPlace(dataDir: string, key: Buffer, options: BackupOptions = {}): { encrypted: number; failed: number } {
  let encrypted = 0;
  let failed = 0;
  for (const b of listBackups(dataDir)) {
    const file = backupFile(dataDir, b.id);
    if (isEncryptedDatabase(file)) continue;
    const tmp = path.join(backupsDir(dataDir), `.${b.id}.${process.pid}.tmp`);
    try {
      fs.copyFileSync(file, tmp);
      encryptDatabaseFile(tmp, key, options);
      fs.renameSync(tmp, file);
      encrypted += 1;
    } catch {
      fs.rmSync(tmp, { force: true });
      failed += 1;
    }
  }
  return { encrypted, failed };
}

/** The copies RETENTION keeps (the list is newest first); months are the district's calendar months. */
export function retained(backups: readonly BackupInfo[], timeZone = DEFAULT_TIME_ZONE): Set<string> {
  const keep = new Set<string>();
  const count = new Map<BackupKind, number>();
  const months = new Set<string>();
  for (const b of backups) {
    const n = (count.get(b.kind) ?? 0) + 1;
    count.set(b.kind, n);
    if (n <= RETENTION[b.kind]) keep.add(b.id);
    if (b.kind !== 'daily') continue;
    const month = todayIn(timeZone, new Date(b.createdAt)).slice(0, 7);
    if (!months.has(month) && months.size < RETENTION.months) {
      months.add(month);
      keep.add(b.id);
    }
  }
  return keep;
}

/** Deletes copies past RETENTION, then kept attachment files no remaining copy references, and leftovers of interrupted copies. */
export function pruneBackups(dataDir: string, options: BackupOptions & { timeZone?: string } = {}): { removed: string[]; blobsRemoved: number } {
  const dir = backupsDir(dataDir);
  const backups = listBackups(dataDir);
  const keep = retained(backups, options.timeZone);
  const removed: string[] = [];
  for (const b of backups) {
    if (keep.has(b.id)) continue;
    fs.rmSync(path.join(dir, b.id), { force: true });
    removed.push(b.id);
  }
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (name.startsWith('.') && name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
  }
  const referenced = new Set<string>();
  for (const b of backups) {
    if (!keep.has(b.id)) continue;
    try {
      for (const sha of refsOfFile(path.join(dir, b.id), options)) referenced.add(sha);
    } catch {
      // An unreadable copy keeps nothing alive: restoring it is refused anyway.
    }
  }
  let blobsRemoved = 0;
  const blobDir = backupBlobsDir(dataDir);
  for (const name of fs.existsSync(blobDir) ? fs.readdirSync(blobDir) : []) {
    if (SHA256.test(name) && referenced.has(name)) continue;
    fs.rmSync(path.join(blobDir, name), { force: true });
    if (SHA256.test(name)) blobsRemoved += 1;
  }
  return { removed, blobsRemoved };
}

/** Makes today's daily copy unless one exists; returns it, or null when there was one. */
export function dailyBackupIfDue(store: Store, dataDir: string, options: BackupOptions & { now?: Date } = {}): BackupInfo | null {
  const now = options.now ?? new Date();
  // Days as the district counts them (core/rules/today.ts), not as the machine's zone does.
  const zone = timeZoneOf(store);
  const today = todayIn(zone, now);
  if (listBackups(dataDir).some((b) => b.kind === 'daily' && todayIn(zone, new Date(b.createdAt)) === today)) return null;
  return createBackup(store, dataDir, 'daily', options);
}

const HOUR = 3_600_000;

/**
 * Daily copies while the app runs: shortly after start (not in the way of the first screen),
 * then a check every `everyMs` (an hour; `SHNOR_BACKUP_CHECK_MS=0` turns them off, as tests
 * that count copies do). A failure is logged and retried at the next check.
 */
export function startDailyBackups(ctx: Ctx, everyMs = Number(process.env.SHNOR_BACKUP_CHECK_MS ?? HOUR), firstAfterMs = 10_000): () => void {
  if (!(everyMs > 0) || ctx.store.path === ':memory:') return () => undefined;
  const tick = () => {
    try {
      dailyBackupIfDue(ctx.store, ctx.dataDir, { nativeBinding: ctx.nativeBinding });
    } catch (e) {
      logUnexpected(ctx, 'backup', e);
    }
  };
  const first = setTimeout(tick, Math.min(firstAfterMs, everyMs));
  const timer = setInterval(tick, everyMs);
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
