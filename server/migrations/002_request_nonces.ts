import type { HubMigration } from './types';

/**
 * The nonces of signed device requests, kept until the request's timestamp leaves the
 * window the hub accepts: a captured request replayed within the window is refused.
 * Frozen: a later change is a new migration.
 */
export const h002RequestNonces: HubMigration = {
  version: 2,
  name: 'request nonces: a signed device request is accepted once',
  async up(db) {
    await db.schema
      .createTable('request_nonces')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('request_nonces_pk', ['device_id', 'nonce'])
      .execute();
    await db.schema.createIndex('request_nonces_expiry').on('request_nonces').column('expires_at').execute();
  },
};
