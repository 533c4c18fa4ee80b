/**
 * Runs the hub's numbered migrations (the laptop's scheme, db/open.ts, for an async Kysely on
 * SQLite or PostgreSQL): the version is the highest row of `hub_schema`; a database with the
 * version-1 tables and no `hub_schema` was made before migrations existed and is version 1;
 * a database newer than this code is refused untouched; pending migrations run after a
 * backup, all in one transaction with their version rows.
 */
import { sql, type Kysely } from 'kysely';
import { AppError } from '../../db/errors';
import type { HubDB } from '../schema';
import { HUB_MIGRATIONS, VERSION_1_TABLES, type HubDialect, type HubMigration } from './index';

export interface HubSchemaState {
  version: number;
  /** The version-1 tables without a recorded version (made before numbered migrations). */
  unrecorded: boolean;
}

export interface MigrateOptions {
  /** The provider (tests pass a longer list to exercise an upgrade); defaults to HUB_MIGRATIONS. */
  migrations?: readonly HubMigration[];
  /** Called before a database that has data is changed; throws to stop the migration. */
  backup(version: number, target: number): Promise<void>;
}

/** A transaction is a Kysely too; these reads run before and inside the migration transaction. */
type Db = Kysely<HubDB>;

const LOCK_KEY = 500_500_009;

export const latestOf = (migrations: readonly HubMigration[]): number => Math.max(0, ...migrations.map((m) => m.version));

async function tableNames(db: Db, dialect: HubDialect): Promise<Set<string>> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView);
  if (dialect === 'sqlite') return new Set(tables.map((t) => t.name));
  // PostgreSQL lists every schema's tables: only the one the hub's unqualified names resolve to counts.
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  return new Set(tables.filter((t) => t.schema === rows[0]?.s).map((t) => t.name));
}

/** The database's schema version; reads only. */
export async function hubSchemaState(db: Db, dialect: HubDialect): Promise<HubSchemaState> {
  const tables = await tableNames(db, dialect);
  if (tables.has('hub_schema')) {
    const row = await db.selectFrom('hub_schema').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    return { version: Number(row?.v ?? 0), unrecorded: false };
  }
  const present = VERSION_1_TABLES.filter((t) => tables.has(t));
  if (present.length === 0) return { version: 0, unrecorded: false };
  if (present.length < VERSION_1_TABLES.length) {
    const missing = VERSION_1_TABLES.filter((t) => !tables.has(t));
    throw new AppError('hub_db_incomplete', `База данных сервера неполная: нет таблиц ${missing.join(', ')}, а версия схемы не записана. Восстановите базу из резервной копии; база не изменена.`);
  }
  return { version: 1, unrecorded: true };
}

/** Refuses a database made by a newer server, before anything is written to it. */
export function refuseNewer(state: HubSchemaState, latest: number): void {
  if (state.version > latest) {
    throw new AppError(
      'hub_db_too_new',
      `База данных сервера создана более новой версией программы (схема ${state.version}, эта версия понимает до ${latest}). Обновите сервер синхронизации; база не изменена.`,
    );
  }
}

/** Brings the database to the latest version; returns the versions before and after. */
export async function migrateHub(db: Db, dialect: HubDialect, options: MigrateOptions): Promise<{ from: number; to: number }> {
  const migrations = [...(options.migrations ?? HUB_MIGRATIONS)].sort((a, b) => a.version - b.version);
  const latest = latestOf(migrations);
  const state = await hubSchemaState(db, dialect);
  refuseNewer(state, latest);
  if (state.version === latest && !state.unrecorded) return { from: state.version, to: latest };
  if (state.version > 0 && state.version < latest) await options.backup(state.version, latest);
  await db.transaction().execute(async (tx) => {
    // Two servers starting on one PostgreSQL database: the second waits, then finds the work done.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    const now = await hubSchemaState(tx, dialect);
    refuseNewer(now, latest);
    await tx.schema
      .createTable('hub_schema')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const at = new Date().toISOString();
    if (now.unrecorded) await tx.insertInto('hub_schema').values({ version: 1, name: `${migrations.find((m) => m.version === 1)?.name ?? 'version 1'} (recognised: made before numbered migrations)`, applied_at: at }).execute();
    for (const m of migrations) {
      if (m.version <= now.version) continue;
      // A migration describes the schema of its own time, so it gets no typed view of today's.
      await m.up(tx as unknown as Kysely<unknown>, dialect);
      await tx.insertInto('hub_schema').values({ version: m.version, name: m.name, applied_at: at }).execute();
    }
  });
  return { from: state.version, to: latest };
}
