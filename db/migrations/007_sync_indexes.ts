import type { Migration } from './types';

/**
 * `changes_unsent (server_seq, device_id, device_seq)` from 002 serves no query: the unsent
 * changes are read by (device_id, device_seq > acked), which the primary key covers, and
 * nothing on a laptop filters or sorts by server_seq (the hub keeps its own schema). Every
 * logged change paid for it — applying a package writes one log row per change — so it goes.
 * `changes_row (tbl, row_id)` stays: apply reads a row's insert and its edits after a
 * deletion through it.
 */
export const m007SyncIndexes: Migration = {
  version: 7,
  name: 'drop the unused changes_unsent index',
  up: [`DROP INDEX IF EXISTS changes_unsent;`],
};
