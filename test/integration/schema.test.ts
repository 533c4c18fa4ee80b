/**
 * One schema: the Kysely interfaces' runtime twins (db/schema.ts COLUMNS, server/schema.ts
 * HUB_COLUMNS — the compiler holds each to its interface) equal, table for table and column
 * for column, what the migrations create: the laptop's on SQLite, the hub's on SQLite and
 * PostgreSQL.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpec } from '../../db/columns';
import { openStore } from '../../db/open';
import { COLUMNS } from '../../db/schema';
import { openHubStorage } from '../../server/db';
import { HUB_COLUMNS } from '../../server/schema';
import { pgFacts, sqliteFacts, type TableFacts } from '../sync/hubIntrospect';
import { startPostgres, type PgCluster } from '../sync/pgcluster';
import { tempDir } from './coreFixture';

type Shape = Record<string, Record<string, { type: string; nullable: boolean }>>;

function expected(columns: Record<string, Record<string, string>>): Shape {
  return Object.fromEntries(Object.entries(columns).map(([t, cols]) => [t, Object.fromEntries(Object.entries(cols).map(([c, spec]) => [c, parseSpec(spec)]))]));
}

/** Defaults are the migrations' business, not the interface's. */
function shape(facts: TableFacts): Shape {
  return Object.fromEntries(Object.entries(facts).map(([t, cols]) => [t, Object.fromEntries(Object.entries(cols).map(([c, f]) => [c, { type: f.type, nullable: f.nullable }]))]));
}

describe('the laptop schema', () => {
  it('has every table and column the migrations create, with their storage class and nullability', () => {
    const store = openStore(':memory:');
    try {
      expect(shape(sqliteFacts(store.sqlite))).toEqual(expected(COLUMNS));
    } finally {
      store.close();
    }
  });

  it('tells an older database apart (the comparison sees what a migration adds)', () => {
    const store = openStore(':memory:', { targetVersion: 2 });
    try {
      const facts = shape(sqliteFacts(store.sqlite));
      expect(facts.changes).not.toHaveProperty('meta');
      expect(facts).not.toHaveProperty('sync_deferred');
      expect(facts).not.toEqual(expected(COLUMNS));
    } finally {
      store.close();
    }
  });
});

describe('the hub schema', () => {
  let pgc: PgCluster;
  beforeAll(async () => {
    pgc = await startPostgres();
  }, 120_000);
  afterAll(() => pgc?.stop());

  it('on SQLite equals what the hub migrations create', async () => {
    const dir = tempDir();
    const storage = await openHubStorage(dir, '');
    await storage.close();
    const db = new Database(path.join(dir, 'hub.sqlite'), { readonly: true });
    try {
      expect(shape(sqliteFacts(db))).toEqual(expected(HUB_COLUMNS));
    } finally {
      db.close();
    }
  });

  it('on PostgreSQL equals what the hub migrations create', async () => {
    const storage = await openHubStorage(tempDir(), pgc.url);
    await storage.close();
    expect(shape(await pgFacts(pgc.url))).toEqual(expected(HUB_COLUMNS));
  }, 60_000);
});
