import type { HubMigration } from './types';

/**
 * Each device's X25519 public key, that the hub seals its replies to and whose holder's packages
 * it then accepts only sealed (core/sync/envelope.node.ts). Null for a device enrolled before
 * packages were sealed, until its first package announces the key. Frozen: a later change is a
 * new migration.
 */
export const h005DeviceEncKeys: HubMigration = {
  version: 5,
  name: 'device encryption keys: packages sealed to their recipient',
  async up(db) {
    await db.schema.alterTable('devices').addColumn('enc_key', 'text').execute();
  },
};
