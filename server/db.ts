/**
 * The hub's storage through Kysely: SQLite in the data folder by default, PostgreSQL when
 * DATABASE_URL is set. The hub stores changes as they arrive (it relays, it does not
 * materialise rows), districts, devices, enrolment codes and seen package ids.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Generated } from 'kysely';
import pg from 'pg';

export interface HubDB {
  hub_meta: { key: string; value: string };
  districts: { id: string; name: string; data_district_id: string | null; created_at: string };
  devices: {
    id: string;
    district_id: string;
    name: string;
    public_key: string;
    enrolled_at: string;
    revoked_at: string | null;
    cursor: number;
    last_seen_at: string | null;
  };
  enrol_codes: { code_hash: string; district_id: string; created_at: string; expires_at: string; used_at: string | null; used_by: string | null };
  changes: {
    server_seq: Generated<number>;
    /** '' for the region's reference data, which flows to every district. */
    district_id: string;
    device_id: string;
    device_seq: number;
    hlc: string;
    tbl: string;
    row_id: string;
    data: string;
    meta: string | null;
  };
  packages: { id: string; device_id: string; received_at: string };
}

export type HubKysely = Kysely<HubDB>;
export type Dialect = 'sqlite' | 'postgres';

export interface HubStorage {
  db: HubKysely;
  dialect: Dialect;
  close(): Promise<void>;
}

export async function openHubStorage(dataDir: string, databaseUrl = process.env.DATABASE_URL): Promise<HubStorage> {
  fs.mkdirSync(dataDir, { recursive: true });
  let db: HubKysely;
  let dialect: Dialect;
  if (databaseUrl) {
    dialect = 'postgres';
    // int8 (bigint, COUNT) comes back as text by default; our sequences fit a double.
    pg.types.setTypeParser(20, (v) => Number(v));
    db = new Kysely<HubDB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 10 }) }) });
  } else {
    dialect = 'sqlite';
    const sqlite = new Database(path.join(dataDir, 'hub.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<HubDB>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  await migrate(db, dialect);
  return { db, dialect, close: () => db.destroy() };
}

async function migrate(db: HubKysely, dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s.createTable('hub_meta').ifNotExists().addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await s
    .createTable('districts')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data_district_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('devices')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('cursor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen_at', 'text')
    .execute();
  await s
    .createTable('enrol_codes')
    .ifNotExists()
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('used_by', 'text')
    .execute();
  await s
    .createTable('changes')
    .ifNotExists()
    .addColumn('server_seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('district_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('device_seq', 'bigint', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('meta', 'text')
    .addUniqueConstraint('changes_device_seq', ['device_id', 'device_seq'])
    .execute();
  await s.createIndex('changes_district_seq').ifNotExists().on('changes').columns(['district_id', 'server_seq']).execute();
  await s
    .createTable('packages')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await sql`select 1`.execute(db);
}
