import type { HubMigration } from './types';

/**
 * The hub's tables exactly as the server created them before it had migrations (with
 * `ifNotExists` at every start): a database made then is recognised as version 1.
 * Frozen: a later change is a new migration.
 */
export const h001Initial: HubMigration = {
  version: 1,
  name: 'hub tables: meta, districts, devices, enrolment codes, changes, packages',
  async up(db, dialect) {
    const s = db.schema;
    await s.createTable('hub_meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
    await s
      .createTable('districts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('data_district_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('devices')
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
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('used_by', 'text')
      .execute();
    await s
      .createTable('changes')
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
    await s.createIndex('changes_district_seq').on('changes').columns(['district_id', 'server_seq']).execute();
    await s
      .createTable('packages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
  },
};
