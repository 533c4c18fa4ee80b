/**
 * The hub's numbered migrations on SQLite and PostgreSQL: a database made by the server
 * before migrations existed (its creation code kept as a fixture) is recognised as version 1
 * with its data, and upgraded from there after a backup; a database newer than the code is
 * refused and left as it was; on PostgreSQL a migration without a backup is refused unless
 * the operator says one exists.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../db/errors';
import { openHubStorage, type HubStorage } from '../../server/db';
import { Hub } from '../../server/hub';
import { HUB_MIGRATIONS, LATEST_HUB_VERSION, type HubDialect, type HubMigration } from '../../server/migrations';
import type { HubDB } from '../../server/schema';
import { createHubTablesBeforeMigrations } from '../fixtures/hubBeforeMigrations';
import { tempDir } from './helpers';
import { createPgDatabase, indexFacts, pgFacts, sqliteFacts, type TableFacts } from './hubIntrospect';
import { startPostgres, type PgCluster } from './pgcluster';

/** A next hub migration, as a later version of the server would bring one. */
const addDeviceNote: HubMigration = {
  version: LATEST_HUB_VERSION + 1,
  name: 'test: devices.note',
  async up(db) {
    await db.schema.alterTable('devices').addColumn('note', 'text').execute();
  },
};
const NEXT = [...HUB_MIGRATIONS, addDeviceNote];
/** The server as it was at version 1: recognising an old database migrates nothing. */
const V1 = HUB_MIGRATIONS.filter((m) => m.version === 1);

const ROWS = {
  hub_meta: [{ key: 'region_name', value: 'Республика Дагестан' }],
  districts: [{ id: 'd-1', name: 'Цунтинский район', data_district_id: 'data-1', created_at: '2026-01-10T08:00:00.000Z' }],
  devices: [
    { id: 'dev-1', district_id: 'd-1', name: 'Ноутбук координатора', public_key: 'key', enrolled_at: '2026-01-10T08:05:00.000Z', revoked_at: null, cursor: 2, last_seen_at: '2026-02-01T09:00:00.000Z' },
  ],
  enrol_codes: [{ code_hash: 'h', district_id: 'd-1', created_at: '2026-01-10T08:01:00.000Z', expires_at: '2026-01-24T08:01:00.000Z', used_at: '2026-01-10T08:05:00.000Z', used_by: 'dev-1' }],
  changes: [1, 2, 3].map((q) => ({ district_id: 'd-1', device_id: 'dev-1', device_seq: q, hlc: `0000000000${q}-00000-dev-1`, tbl: 'schools', row_id: `s-${q}`, data: `{"short_name":"Школа № ${q}"}`, meta: null })),
  packages: [{ id: 'p-1', device_id: 'dev-1', received_at: '2026-02-01T09:00:00.000Z' }],
};

/** One hub database of a dialect, reachable as the server reaches it. */
interface Target {
  dir: string;
  url: string;
  /** A Kysely on the database as the old server had it (SQLite in WAL, as it switched to). */
  connect(): Kysely<HubDB>;
  facts(): Promise<TableFacts>;
}

async function seedBeforeMigrations(t: Target, dialect: HubDialect): Promise<void> {
  const db = t.connect();
  try {
    await createHubTablesBeforeMigrations(db as unknown as Kysely<unknown>, dialect);
    for (const [table, rows] of Object.entries(ROWS)) await db.insertInto(table as keyof typeof ROWS).values(rows as never).execute();
  } finally {
    await db.destroy();
  }
}

async function contents(db: Kysely<HubDB>) {
  return {
    hub_meta: await db.selectFrom('hub_meta').selectAll().orderBy('key').execute(),
    districts: await db.selectFrom('districts').selectAll().execute(),
    devices: (await db.selectFrom('devices').select(['id', 'district_id', 'name', 'public_key', 'enrolled_at', 'revoked_at', 'cursor', 'last_seen_at']).execute()).map((d) => ({ ...d, cursor: Number(d.cursor) })),
    enrol_codes: await db.selectFrom('enrol_codes').select(['code_hash', 'district_id', 'created_at', 'expires_at', 'used_at', 'used_by']).execute(),
    changes: (await db.selectFrom('changes').select(['district_id', 'device_id', 'device_seq', 'hlc', 'tbl', 'row_id', 'data', 'meta']).orderBy('server_seq').execute()).map((c) => ({ ...c, device_seq: Number(c.device_seq) })),
    packages: await db.selectFrom('packages').selectAll().execute(),
  };
}

const versions = async (s: HubStorage) => (await s.db.selectFrom('hub_schema').select('version').orderBy('version').execute()).map((r) => Number(r.version));

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

function suite(dialect: HubDialect, target: () => Promise<Target>) {
  describe(`hub migrations on ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, () => {
    it('recognises a database made before numbered migrations as version 1, keeps its data and records the version', async () => {
      const t = await target();
      await seedBeforeMigrations(t, dialect);
      const before = await t.facts();
      const storage = await openHubStorage(t.dir, t.url, { migrations: V1 });
      try {
        expect(await versions(storage)).toEqual([1]);
        expect(await contents(storage.db)).toEqual(ROWS);
        // Nothing was migrated, so there was nothing to back up.
        expect(fs.existsSync(path.join(t.dir, 'backups'))).toBe(false);
        // Migration 1 is what the old code made: the same tables, columns, defaults and indexes.
        const fresh = await target();
        await (await openHubStorage(fresh.dir, fresh.url, { migrations: V1 })).close();
        const { hub_schema: _recorded, ...made } = await fresh.facts();
        expect(made).toEqual(before);
        const freshDb = fresh.connect();
        expect(await indexFacts(storage.db as unknown as Kysely<unknown>, dialect)).toEqual(await indexFacts(freshDb as unknown as Kysely<unknown>, dialect));
        await freshDb.destroy();
        // The server works on it: its sequence goes on after the old changes.
        const hub = await Hub.open(storage, t.dir);
        expect((await hub.listDistricts()).map((d) => d.name)).toEqual(['Цунтинский район']);
        await hub.publishReference('risk_factors', [{ year: 2026, code: 'R1', title: 'Риск' }]);
        const last = await storage.db.selectFrom('changes').select('server_seq').orderBy('server_seq', 'desc').executeTakeFirstOrThrow();
        expect(Number(last.server_seq)).toBe(4);
      } finally {
        await storage.close();
      }
    }, 60_000);

    it('upgrades such a database past version 1 after a backup, with its data', async () => {
      const t = await target();
      await seedBeforeMigrations(t, dialect);
      const storage = await openHubStorage(t.dir, t.url, { migrations: NEXT });
      try {
        expect(await versions(storage)).toEqual(NEXT.map((m) => m.version));
        expect(await contents(storage.db)).toEqual(ROWS);
        expect((await t.facts()).devices).toHaveProperty('note');
        // Version 4: the old changes and codes have no author or account (a device from before accounts).
        expect(await storage.db.selectFrom('changes').select('author').execute()).toEqual(ROWS.changes.map(() => ({ author: null })));
        expect(await storage.db.selectFrom('enrol_codes').select(['role', 'person_id', 'account_id']).execute()).toEqual([{ role: null, person_id: null, account_id: null }]);
        expect(await storage.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
      } finally {
        await storage.close();
      }
      const backups = fs.readdirSync(path.join(t.dir, 'backups'));
      expect(backups).toHaveLength(1);
      const file = path.join(t.dir, 'backups', backups[0]!);
      if (dialect === 'sqlite') {
        expect(backups[0]).toMatch(/^hub\.sqlite\.v1\..*\.bak$/);
        // The copy is the database as it was: its rows, no version table, no new column.
        const copy = new Database(file, { readonly: true });
        expect(copy.prepare('SELECT name FROM districts').all()).toEqual([{ name: 'Цунтинский район' }]);
        expect(sqliteFacts(copy)).not.toHaveProperty('hub_schema');
        expect(sqliteFacts(copy).devices).not.toHaveProperty('note');
        copy.close();
      } else {
        expect(backups[0]).toMatch(/^hub\.v1\..*\.dump$/);
        expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
      }
    }, 60_000);

    it('refuses a database from a newer version in Russian and leaves it as it was', async () => {
      const t = await target();
      await (await openHubStorage(t.dir, t.url, { migrations: NEXT })).close();
      const sqliteFile = path.join(t.dir, 'hub.sqlite');
      const sha = () => crypto.createHash('sha256').update(fs.readFileSync(sqliteFile)).digest('hex');
      const before = dialect === 'sqlite' ? sha() : JSON.stringify(await t.facts());
      const listing = fs.readdirSync(t.dir).sort();
      const e = await refusal(openHubStorage(t.dir, t.url));
      expect(e.code).toBe('hub_db_too_new');
      expect(e.message).toContain('более новой версией программы');
      expect(e.message).toContain(`схема ${addDeviceNote.version}, эта версия понимает до ${LATEST_HUB_VERSION}`);
      expect(e.message).toContain('база не изменена');
      expect(dialect === 'sqlite' ? sha() : JSON.stringify(await t.facts())).toBe(before);
      expect(fs.readdirSync(t.dir).sort()).toEqual(listing);
      // The newer server still opens it.
      const storage = await openHubStorage(t.dir, t.url, { migrations: NEXT });
      expect(await versions(storage)).toEqual(NEXT.map((m) => m.version));
      await storage.close();
    }, 60_000);
  });
}

suite('sqlite', async () => {
  const dir = tempDir('shnor-hubmig-');
  const file = path.join(dir, 'hub.sqlite');
  return {
    dir,
    url: '',
    connect: () => {
      const sqlite = new Database(file);
      sqlite.pragma('journal_mode = WAL');
      return new Kysely<HubDB>({ dialect: new SqliteDialect({ database: sqlite }) });
    },
    facts: async () => {
      const db = new Database(file, { readonly: true });
      try {
        return sqliteFacts(db);
      } finally {
        db.close();
      }
    },
  };
});

let cluster: PgCluster;
let n = 0;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

const pgTarget = async (): Promise<Target> => {
  const url = await createPgDatabase(cluster.url, `hubmig_${++n}`);
  return {
    dir: tempDir('shnor-hubmig-'),
    url,
    connect: () => new Kysely<HubDB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) }),
    facts: () => pgFacts(url),
  };
};

suite('postgres', pgTarget);

describe('hub migrations on PostgreSQL without pg_dump', () => {
  it('refuses to migrate without a backup, and migrates when the operator says one exists (--backed-up)', async () => {
    const t = await pgTarget();
    await seedBeforeMigrations(t, 'postgres');
    const path0 = process.env.PATH;
    process.env.PATH = tempDir('shnor-nopath-');
    try {
      const e = await refusal(openHubStorage(t.dir, t.url, { migrations: NEXT }));
      expect(e.code).toBe('hub_backup_failed');
      expect(e.message).toContain('--backed-up');
      expect(e.message).toContain('база не изменена');
      expect(await t.facts()).not.toHaveProperty('hub_schema');
      const storage = await openHubStorage(t.dir, t.url, { migrations: NEXT, backedUp: true });
      expect(await versions(storage)).toEqual(NEXT.map((m) => m.version));
      expect(await contents(storage.db)).toEqual(ROWS);
      await storage.close();
    } finally {
      process.env.PATH = path0;
    }
  }, 60_000);
});
