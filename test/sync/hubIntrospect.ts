/**
 * What a hub database really holds, read from the database itself (PRAGMA on SQLite,
 * information_schema and pg_indexes on PostgreSQL), in one shape for both: the schema test
 * holds it to server/schema.ts, the migration test compares databases by it.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { StorageClass } from '../../db/columns';
import type { HubDialect } from '../../server/migrations';

export interface ColumnFact {
  type: StorageClass;
  nullable: boolean;
  /** The declared default as the database prints it, or null. */
  default: string | null;
}

export type TableFacts = Record<string, Record<string, ColumnFact>>;

/** SQLite's type affinity rules (section 3.1 of its datatype page), for a declared type. */
export function sqliteClass(declared: string): StorageClass {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  throw new Error(`unexpected column type ${declared}`);
}

export function pgClass(dataType: string): StorageClass {
  if (dataType === 'text') return 'text';
  if (dataType === 'bigint' || dataType === 'integer' || dataType === 'smallint') return 'integer';
  if (dataType === 'double precision' || dataType === 'real') return 'real';
  throw new Error(`unexpected column type ${dataType}`);
}

interface PragmaColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

/** Every table of a SQLite database (a primary key column counts as not null: the app never stores null in one). */
export function sqliteFacts(db: Database.Database): TableFacts {
  const out: TableFacts = {};
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    out[name] = {};
    for (const c of db.prepare(`PRAGMA table_info(${name})`).all() as PragmaColumn[]) {
      out[name][c.name] = { type: sqliteClass(c.type), nullable: !c.notnull && !c.pk, default: c.dflt_value };
    }
  }
  return out;
}

export async function pgFacts(url: string): Promise<TableFacts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    const out: TableFacts = {};
    for (const r of rows) (out[r.table_name] ??= {})[r.column_name] = { type: pgClass(r.data_type), nullable: r.is_nullable === 'YES', default: r.column_default };
    return out;
  } finally {
    await client.end();
  }
}

/** Index definitions (name → SQL as the database keeps it), to compare two databases' indexes. */
export async function indexFacts(db: Kysely<unknown>, dialect: HubDialect): Promise<Record<string, string>> {
  const rows =
    dialect === 'sqlite'
      ? (await sql<{ name: string; def: string | null }>`SELECT name, sql AS def FROM sqlite_master WHERE type = 'index' ORDER BY name`.execute(db)).rows
      : (await sql<{ name: string; def: string }>`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`.execute(db)).rows;
  return Object.fromEntries(rows.map((r) => [r.name, (r.def ?? '').replace(/ if not exists/i, '')]));
}

/** A fresh database in the cluster, for one test. */
export async function createPgDatabase(clusterUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(clusterUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
