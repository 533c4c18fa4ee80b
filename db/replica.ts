/**
 * This store's identity as a sync replica: its device id, the next per-device sequence
 * number and its hybrid logical clock. Loaded once per open store and kept in memory;
 * the clock is persisted in `meta` with every write so a restart never goes backwards.
 */
import { v7 as uuidv7 } from 'uuid';
import { HlcClock, parseHlc } from './hlc';
import type { Row } from './schema';
import { qb, type Store } from './store';

export interface Replica {
  deviceId: string;
  clock: HlcClock;
  nextSeq: number;
}

const replicas = new WeakMap<Store, Replica>();

/**
 * The highest device_seq this device may already have used, when its log does not show it:
 * a database restored from a backup (core/sync/afterRestore.node.ts) numbers its next changes
 * above every change the device sent before the restore.
 */
export const SEQ_FLOOR = 'sync.seq_floor';

/**
 * The meta statements are built by Kysely once, not per call: every local write saves the
 * clock and every sync reads a dozen keys, where compiling per call (10–25 µs) would cost
 * more than running the statement. Their parameters are bound in the order the query names
 * them: the key (and then the value).
 */
const META_GET = qb.selectFrom('meta').select('value').where('key', '=', '').compile();
const META_SET = qb
  .insertInto('meta')
  .values({ key: '', value: '' })
  .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
  .compile();

export function getMeta(store: Store, key: string): string | undefined {
  return (store.prepare(META_GET.sql).get(key) as Pick<Row<'meta'>, 'value'> | undefined)?.value;
}

export function setMeta(store: Store, key: Row<'meta'>['key'], value: Row<'meta'>['value']): void {
  store.prepare(META_SET.sql).run(key, value);
}

/**
 * The saved clock; when it is malformed (a database poisoned by a clock no longer accepted),
 * the highest well-formed clock of the log, so the next local clock still sorts after every one seen.
 */
function savedClock(store: Store, saved: string | undefined): { ms: number; counter: number } | null {
  const own = saved === undefined ? null : parseHlc(saved);
  if (own || saved === undefined) return own;
  for (const r of store.prepare('SELECT hlc FROM changes ORDER BY hlc DESC').iterate() as Iterable<{ hlc: string }>) {
    const h = parseHlc(r.hlc);
    if (h) return h;
  }
  return null;
}

/** The highest seq the device's own changes in this database carry (0 when none). */
export function maxOwnSeq(store: Store, deviceId: string): number {
  return store.first(qb.selectFrom('changes').select((eb) => eb.fn.max('device_seq').as('m')).where('device_id', '=', deviceId))?.m ?? 0;
}

export function replicaOf(store: Store): Replica {
  let r = replicas.get(store);
  if (r) return r;
  let deviceId = getMeta(store, 'device_id');
  if (!deviceId) {
    deviceId = uuidv7();
    setMeta(store, 'device_id', deviceId);
  }
  const saved = getMeta(store, 'hlc');
  const clock = new HlcClock({ ...(savedClock(store, saved) ?? { ms: 0, counter: 0 }), device: deviceId });
  const floor = Number(getMeta(store, SEQ_FLOOR) ?? '0');
  r = { deviceId, clock, nextSeq: Math.max(maxOwnSeq(store, deviceId), floor) + 1 };
  replicas.set(store, r);
  return r;
}

/** Forget the cached replica (after the store's identity was replaced, e.g. on enrolment). */
export function resetReplica(store: Store): void {
  replicas.delete(store);
}
