import type { Migration } from './types';

/**
 * Who made each change (issue 10): `changes.author` is the account signed in when the change
 * was written here, or the author a remote change carried (`a` on the wire); null for changes
 * from before accounts. `sync_refusals` keeps what the regional server refused of this
 * laptop's changes, with its Russian reason, for the Синхронизация screen. Both are local.
 */
export const m008ChangeAuthor: Migration = {
  version: 8,
  name: 'change author, refusals reported by the server',
  up: [
    `ALTER TABLE changes ADD COLUMN author TEXT;`,
    `CREATE TABLE sync_refusals (
      device_seq INTEGER PRIMARY KEY,
      tbl TEXT NOT NULL,
      row_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      refused_at TEXT NOT NULL
    );`,
  ],
};
