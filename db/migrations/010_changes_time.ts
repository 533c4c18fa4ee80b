import type { Migration } from './types';

/**
 * Reports as of a past date (db/asOf.ts) ask which rows of a table changed after a given
 * instant: an index on the change's clock within its table answers without scanning the log.
 */
export const m010ChangesTime: Migration = {
  version: 10,
  name: 'index of changes by table and clock',
  up: [`CREATE INDEX changes_time ON changes (tbl, hlc);`],
};
