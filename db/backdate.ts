/**
 * The demo district is built in one go on a fresh laptop, but it shows a district that has
 * worked with the app since its curators were appointed: its history is moved to that day,
 * so reports as of any past date (db/asOf.ts) read the demo as it is rather than an empty
 * district. Only for history this laptop has never sent: every clock it names is its own.
 */
import { packHlc, unpackHlc } from './hlc';
import { replicaOf } from './replica';
import type { Store } from './store';

/** Restamps every change of this device, in the order written, at `ms` (one counter step each). */
export function backdateUnsentHistory(store: Store, ms: number): void {
  const device = replicaOf(store).deviceId;
  store.tx(() => {
    const changes = store.sqlite.prepare('SELECT device_seq, hlc FROM changes WHERE device_id = ? AND server_seq IS NULL ORDER BY device_seq').all(device) as { device_seq: number; hlc: string }[];
    const moved = new Map<string, string>();
    changes.forEach((c, i) => moved.set(c.hlc, packHlc({ ms, counter: i, device: unpackHlc(c.hlc).device })));
    const swap = (s: string) => s.replace(/[0-9a-z]{11}-[0-9a-z]{5}-[^"]+/g, (h) => moved.get(h) ?? h);
    const setChange = store.sqlite.prepare('UPDATE changes SET hlc = ?, meta = ? WHERE device_id = ? AND device_seq = ?');
    const metaOf = store.sqlite.prepare('SELECT meta FROM changes WHERE device_id = ? AND device_seq = ?').pluck();
    for (const c of changes) {
      const meta = metaOf.get(device, c.device_seq) as string | null;
      setChange.run(moved.get(c.hlc), meta === null ? null : swap(meta), device, c.device_seq);
    }
    store.sqlite.exec('CREATE TEMP TABLE backdated (old TEXT PRIMARY KEY NOT NULL, new TEXT NOT NULL) WITHOUT ROWID');
    const add = store.sqlite.prepare('INSERT INTO temp.backdated (old, new) VALUES (?, ?)');
    for (const [from, to] of moved) add.run(from, to);
    for (const [table, column] of [['field_clocks', 'hlc'], ['sync_tombstones', 'hlc'], ['sync_tombstones', 'seen']] as const) {
      store.sqlite.exec(`UPDATE ${table} SET ${column} = (SELECT new FROM temp.backdated WHERE old = ${table}.${column}) WHERE ${column} IN (SELECT old FROM temp.backdated)`);
    }
    store.sqlite.exec('DROP TABLE temp.backdated');
  });
}
