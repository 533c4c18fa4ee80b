import type { Migration } from './types';

/**
 * What the sync engine needs beyond the change log of 001:
 * - `changes.meta`: the writer's causal context (which field clocks it overwrote, which
 *   deletion it had seen) so concurrency is decided the same way on every replica;
 * - `sync_tombstones`: the winning deletion of a row with the edits it had seen, so a
 *   concurrent edit can revive the row whatever order the changes arrive in;
 * - `sync_imports`: packages seen (replay refusal) and chunks done (resume after a crash);
 * - `sync_deferred`: changes kept raw because this app version cannot apply them yet.
 */
export const m003Sync: Migration = {
  version: 3,
  name: 'sync: causal context, tombstones, imports, deferred changes',
  up: [
    `ALTER TABLE changes ADD COLUMN meta TEXT;`,
    `CREATE TABLE sync_tombstones (tbl TEXT NOT NULL, row_id TEXT NOT NULL, value TEXT NOT NULL, hlc TEXT NOT NULL,
      seen TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) STRICT, WITHOUT ROWID;`,
    `CREATE TABLE sync_imports (package_id TEXT PRIMARY KEY NOT NULL, sender TEXT NOT NULL, chunks_done INTEGER NOT NULL,
      chunks_total INTEGER NOT NULL, started_at TEXT NOT NULL, completed_at TEXT) STRICT;`,
    `CREATE TABLE sync_deferred (device_id TEXT NOT NULL, device_seq INTEGER NOT NULL, reason TEXT NOT NULL,
      PRIMARY KEY (device_id, device_seq)) STRICT;`,
    `CREATE INDEX conflicts_field ON conflicts (tbl, row_id, col, resolved_at);`,
  ],
};
