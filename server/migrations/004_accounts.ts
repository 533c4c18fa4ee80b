import type { HubMigration } from './types';

/**
 * District accounts on the hub (issue 10): who may author a change. An account belongs to a
 * district (and to a person of its data) with a role; a device is bound to the accounts
 * enrolled on it, and a change names its author (`changes.author`), which must be one of
 * them. A change the permissions rule refuses is kept in `refused_changes` with the Russian
 * reason and reported back to its device. Enrolment codes may be issued for an account.
 * Frozen: a later change is a new migration.
 */
export const h004Accounts: HubMigration = {
  version: 4,
  name: 'district accounts, device bindings, refused changes, change authors',
  async up(db) {
    const s = db.schema;
    await s
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
      .addColumn('person_id', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await s.createIndex('accounts_district').on('accounts').column('district_id').execute();
    await s
      .createTable('account_devices')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
      .addColumn('bound_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('account_devices_pk', ['account_id', 'device_id'])
      .execute();
    // The hub looks bindings up by the device that signed a package.
    await s.createIndex('account_devices_device').on('account_devices').column('device_id').execute();
    await s
      .createTable('refused_changes')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('device_seq', 'bigint', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('tbl', 'text', (c) => c.notNull())
      .addColumn('row_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('refused_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('refused_changes_pk', ['device_id', 'device_seq'])
      .execute();
    await s.alterTable('enrol_codes').addColumn('role', 'text').execute();
    await s.alterTable('enrol_codes').addColumn('person_id', 'text').execute();
    await s.alterTable('enrol_codes').addColumn('account_id', 'text').execute();
    await s.alterTable('changes').addColumn('author', 'text').execute();
  },
};
