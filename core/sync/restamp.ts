/**
 * Changes stamped by a clock that ran ahead are stamped again before they leave the laptop
 * (issue 12). The regional server refuses a package stamped further ahead of its time than
 * it allows (core/rules/clock.ts); once the laptop knows the server's time (an exchange, or
 * its clock set right), its changes the server has not acknowledged that are ahead of it
 * get new clocks from the disciplined clock, in their order, so they are accepted and no
 * longer win against later edits made elsewhere. Nobody else has them yet (unacknowledged),
 * so only this laptop's bookkeeping names the old clocks: the log, the field clocks, the
 * tombstones, the conflicts, and the causal context of its own later changes.
 */
import { hlcPrefix, packHlc, parseHlc } from '../../db/hlc';
import { clockFor, physicalNow, replicaOf, setMeta } from '../../db/replica';
import type { Row } from '../../db/schema';
import type { Store } from '../../db/store';
import type { ChangeMeta } from '../../db/write';
import { CLOCK_TOLERANCE_MS } from '../rules/clock';
import { conflictId } from './apply';

type Pending = Pick<Row<'changes'>, 'device_seq' | 'hlc' | 'tbl' | 'row_id' | 'meta'>;

/**
 * Restamps this laptop's changes after `acked` whose clocks are further ahead of its
 * disciplined time than the tolerance, and sets its clock back with them; returns how many.
 */
export function restampAhead(store: Store, acked: number): number {
  const r = replicaOf(store);
  const bound = hlcPrefix(physicalNow(r) + CLOCK_TOLERANCE_MS + 1);
  // Own changes are never past the clock: a clock within bounds means nothing to do.
  if (r.clock.current() < bound) return 0;
  return store.tx(() => {
    const ahead = store
      .prepare('SELECT device_seq, hlc, tbl, row_id, meta FROM changes WHERE device_id = ? AND device_seq > ? AND hlc >= ? ORDER BY device_seq')
      .all(r.deviceId, acked, bound) as Pending[];
    // After every clock that is not ahead, so what the restamped changes had seen still sorts before them.
    const base = (store.prepare('SELECT MAX(hlc) AS h FROM changes WHERE hlc < ?').get(bound) as { h: string | null }).h;
    const start = base === null ? null : parseHlc(base);
    const clock = clockFor(r, start ?? { ms: 0, counter: 0 }, () => physicalNow(r));
    const renamed = new Map<string, string>();
    for (const c of ahead) renamed.set(c.hlc, clock.tick());
    renameOwnChanges(store, r.deviceId, ahead, renamed);
    r.clock = clock;
    setMeta(store, 'hlc', clock.current());
    return ahead.length;
  });
}

/**
 * Gives this laptop's changes new clocks (old → new in `renamed`) everywhere its bookkeeping
 * names them: the log with the causal context of its own changes, the field clocks, the
 * tombstones and the conflicts. Only for changes nobody else has yet.
 */
function renameOwnChanges(store: Store, device: string, changes: readonly Pending[], renamed: ReadonlyMap<string, string>): void {
  const rename = (h: string): string => renamed.get(h) ?? h;
  const setChange = store.prepare('UPDATE changes SET hlc = ?, meta = ? WHERE device_id = ? AND device_seq = ?');
  const setField = store.prepare('UPDATE field_clocks SET hlc = ? WHERE tbl = ? AND row_id = ? AND hlc = ?');
  const setTomb = store.prepare('UPDATE sync_tombstones SET hlc = ? WHERE tbl = ? AND row_id = ? AND hlc = ?');
  const setSeen = store.prepare('UPDATE sync_tombstones SET seen = ? WHERE tbl = ? AND row_id = ? AND seen = ?');
  for (const c of changes) {
    const h = rename(c.hlc);
    setChange.run(h, c.meta === null ? null : JSON.stringify(renameMeta(JSON.parse(c.meta) as ChangeMeta, rename)), device, c.device_seq);
    setField.run(h, c.tbl, c.row_id, c.hlc);
    setTomb.run(h, c.tbl, c.row_id, c.hlc);
    setSeen.run(h, c.tbl, c.row_id, c.hlc);
  }
  renameConflicts(store, changes, rename);
}

/**
 * Dates this laptop's history nobody has received yet back to `ms`, in the order written (one
 * counter step each), the clock staying where it is. For a district built in one go that stands
 * for one that has worked since then — the demo, test fixtures — so reports as of a past date
 * (db/asOf.ts) read it instead of an empty district.
 */
export function restampUnsentAt(store: Store, ms: number): void {
  const device = replicaOf(store).deviceId;
  store.tx(() => {
    const unsent = store
      .prepare('SELECT device_seq, hlc, tbl, row_id, meta FROM changes WHERE device_id = ? AND server_seq IS NULL ORDER BY device_seq')
      .all(device) as Pending[];
    renameOwnChanges(store, device, unsent, new Map(unsent.map((c, i) => [c.hlc, packHlc({ ms, counter: i, device })])));
  });
}

function renameMeta(m: ChangeMeta, rename: (h: string) => string): ChangeMeta {
  const out: ChangeMeta = { ...m };
  if (m.b) out.b = Object.fromEntries(Object.entries(m.b).map(([col, list]) => [col, list.map(rename)]));
  if (m.s) out.s = rename(m.s);
  if (m.d) out.d = rename(m.d);
  if (m.k) out.k = Object.fromEntries(Object.entries(m.k).map(([id, h]) => [id, rename(h)]));
  return out;
}

/** Conflicts of the restamped rows that name an old clock: kept or lost (a lost clock is part of the conflict's id). */
function renameConflicts(store: Store, ahead: readonly Pending[], rename: (h: string) => string): void {
  const rows = new Set(ahead.map((c) => `${c.tbl}\u0000${c.row_id}`));
  const read = store.prepare('SELECT id, tbl, row_id, col, kept_hlc, lost_hlc FROM conflicts WHERE tbl = ? AND row_id = ?');
  const write = store.prepare('UPDATE conflicts SET id = ?, kept_hlc = ?, lost_hlc = ? WHERE id = ?');
  for (const key of rows) {
    const [tbl, rowId] = key.split('\u0000') as [string, string];
    for (const c of read.all(tbl, rowId) as Pick<Row<'conflicts'>, 'id' | 'tbl' | 'row_id' | 'col' | 'kept_hlc' | 'lost_hlc'>[]) {
      const kept = rename(c.kept_hlc);
      const lost = rename(c.lost_hlc);
      if (kept !== c.kept_hlc || lost !== c.lost_hlc) write.run(conflictId(c.tbl, c.row_id, c.col, lost), kept, lost, c.id);
    }
  }
}
