import type { HubMigration } from './types';

/**
 * The district history a device brought when it was bound to a coordinator account: its
 * changes up to this seq were made before accounts (no author) and are the district's data the
 * coordinator vouched for with the region's code; the hub accepts them as they are. Later
 * changes must name their author. Frozen: a later change is a new migration.
 */
export const h006DeviceHistory: HubMigration = {
  version: 6,
  name: 'device history before accounts',
  async up(db) {
    await db.schema.alterTable('devices').addColumn('history_upto', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  },
};
