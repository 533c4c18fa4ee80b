/**
 * The hub's storage through Kysely: SQLite in the data folder by default, PostgreSQL when
 * DATABASE_URL is set. The hub stores changes as they arrive (it relays, it does not
 * materialise rows), districts, devices, enrolment codes and seen package ids; its schema is
 * server/schema.ts, built by the numbered migrations of server/migrations/.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../db/errors';
import { HUB_MIGRATIONS, type HubDialect, type HubMigration } from './migrations';
import { hubSchemaState, latestOf, migrateHub, refuseNewer } from './migrations/migrate';
import type { HubDB } from './schema';

export type { HubDB } from './schema';
export type HubKysely = Kysely<HubDB>;
export type Dialect = HubDialect;

export interface HubStorage {
  db: HubKysely;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface HubStorageOptions {
  /**
   * PostgreSQL: the operator made a backup of the database (the server then does not run
   * pg_dump before migrating). `npm run server -- … --backed-up`.
   */
  backedUp?: boolean;
  /** The migration provider; tests pass a longer list to exercise an upgrade. */
  migrations?: readonly HubMigration[];
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

export async function openHubStorage(dataDir: string, databaseUrl = process.env.DATABASE_URL, options: HubStorageOptions = {}): Promise<HubStorage> {
  fs.mkdirSync(dataDir, { recursive: true });
  const migrations = options.migrations ?? HUB_MIGRATIONS;
  const backupDir = path.join(dataDir, 'backups');
  let db: HubKysely;
  let dialect: Dialect;
  let backup: (version: number, target: number) => Promise<void>;
  let sqlite: Database.Database | null = null;
  if (databaseUrl) {
    dialect = 'postgres';
    // int8 (bigint, COUNT) comes back as text by default; our sequences fit a double.
    pg.types.setTypeParser(20, (v) => Number(v));
    db = new Kysely<HubDB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 10 }) }) });
    backup = (version, target) => (options.backedUp ? Promise.resolve() : pgDump(databaseUrl, backupDir, version, target));
  } else {
    dialect = 'sqlite';
    const file = path.join(dataDir, 'hub.sqlite');
    sqlite = new Database(file);
    sqlite.pragma('busy_timeout = 5000');
    const raw = sqlite;
    // VACUUM INTO: a consistent copy of a live (WAL) database, as the laptop's backup before a migration.
    backup = async (version) => {
      fs.mkdirSync(backupDir, { recursive: true });
      raw.prepare('VACUUM INTO ?').run(path.join(backupDir, `hub.sqlite.v${version}.${stamp()}.bak`));
    };
    db = new Kysely<HubDB>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  try {
    // Before anything writes (switching to WAL rewrites the header), so a refused file stays as it was.
    refuseNewer(await hubSchemaState(db, dialect), latestOf(migrations));
    if (sqlite) {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
    }
    await migrateHub(db, dialect, { migrations, backup });
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, dialect, close: () => db.destroy() };
}

/** PostgreSQL's backup before a migration: pg_dump's custom format in the data folder's backups/. */
async function pgDump(url: string, dir: string, version: number, target: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `hub.v${version}.${stamp()}.dump`);
  try {
    await promisify(execFile)('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${url}`]);
  } catch (e) {
    fs.rmSync(file, { force: true });
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new AppError(
      'hub_backup_failed',
      `Перед обновлением схемы базы сервера (версия ${version} → ${target}) нужна резервная копия, но pg_dump не сработал (${reason}). ` +
        'Сделайте копию сами (pg_dump) и запустите сервер с флагом --backed-up; база не изменена.',
    );
  }
}
