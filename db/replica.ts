/**
 * This store's identity as a sync replica: its device id, the next per-device sequence
 * number and its hybrid logical clock. Loaded once per open store and kept in memory;
 * the clock is persisted in `meta` with every write so a restart never goes backwards.
 *
 * The clock follows the laptop's wall clock while it agrees with the regional server's;
 * when the last exchange showed them further apart than the tolerance (core/rules/clock.ts),
 * it follows the server's time as last confirmed plus the time elapsed since on a monotonic
 * clock (after a restart, on the wall clock), so a laptop set days ahead cannot win every
 * later edit and cannot pull the other laptops' clocks forward.
 */
import { v7 as uuidv7 } from 'uuid';
import { CLOCK_AHEAD_LIMIT_MS, isWrongClock } from '../core/rules/clock';
import { HlcClock, parseHlc } from './hlc';
import type { Row } from './schema';
import { qb, type Store } from './store';

/** The server's time as an exchange confirmed it, and this laptop's clocks at that moment. */
export interface HubTime {
  hub: number;
  wall: number;
  /** performance.now() then; null after a restart (that process's monotonic clock is gone). */
  mono: number | null;
}

export interface Replica {
  deviceId: string;
  clock: HlcClock;
  nextSeq: number;
  /** The laptop's wall clock (tests set one off). */
  wall: () => number;
  hubTime: HubTime | null;
}

/** meta: the last HubTime, `{"hub":…,"wall":…}`. */
export const HUB_TIME = 'sync.hub_time';

/** The server's time now, by the last exchange; null before any. */
export function hubNow(r: Replica): number | null {
  const a = r.hubTime;
  if (!a) return null;
  const mono = performance.now();
  const elapsed = a.mono !== null && mono >= a.mono ? mono - a.mono : Math.max(0, r.wall() - a.wall);
  return a.hub + elapsed;
}

/** The physical time the clock follows: the wall clock, or the server's time when they are too far apart. */
export function physicalNow(r: Replica): number {
  const wall = r.wall();
  const hub = hubNow(r);
  return hub !== null && isWrongClock(wall - hub) ? hub : wall;
}

/** The laptop's clock minus the server's, by the last exchange; null before any. */
export function clockOffset(store: Store): number | null {
  const r = replicaOf(store);
  const hub = hubNow(r);
  return hub === null ? null : r.wall() - hub;
}

/**
 * Records the server's time an exchange reported (an HTTP answer's Date header): from now on the
 * clock is disciplined by it. Kept in memory; saveHubTime keeps it for the next start once a
 * reply of the enrolled hub was imported (an answer from someone else writes nothing).
 */
export function noteHubTime(store: Store, hubMs: number): void {
  if (!Number.isFinite(hubMs)) return;
  const r = replicaOf(store);
  r.hubTime = { hub: hubMs, wall: r.wall(), mono: performance.now() };
}

export function saveHubTime(store: Store): void {
  const a = replicaOf(store).hubTime;
  if (a) setMeta(store, HUB_TIME, JSON.stringify({ hub: a.hub, wall: a.wall }));
}

/**
 * A time the server's clock had certainly passed (a package file's creation by the server):
 * a laptop whose clock is behind it by more than the tolerance takes it as the server's time,
 * so it stops stamping in the past and adopts the clocks the file brings.
 */
export function noteHubTimeAtLeast(store: Store, hubMs: number): void {
  const r = replicaOf(store);
  const behind = hubMs - (hubNow(r) ?? r.wall());
  if (behind > 0 && isWrongClock(behind)) noteHubTime(store, hubMs);
}

function savedHubTime(saved: string | undefined): HubTime | null {
  if (saved === undefined) return null;
  const v = JSON.parse(saved) as { hub?: unknown; wall?: unknown };
  return typeof v.hub === 'number' && typeof v.wall === 'number' ? { hub: v.hub, wall: v.wall, mono: null } : null;
}

/** A clock for the replica, following its physical time and adopting no remote clock further ahead than the server allows. */
export function clockFor(r: Pick<Replica, 'deviceId'>, last: { ms: number; counter: number }, now: () => number): HlcClock {
  return new HlcClock({ ...last, device: r.deviceId }, { now, maxAhead: CLOCK_AHEAD_LIMIT_MS });
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
  const cached = replicas.get(store);
  if (cached) return cached;
  let deviceId = getMeta(store, 'device_id');
  if (!deviceId) {
    deviceId = uuidv7();
    setMeta(store, 'device_id', deviceId);
  }
  const saved = getMeta(store, 'hlc');
  const floor = Number(getMeta(store, SEQ_FLOOR) ?? '0');
  const made: Omit<Replica, 'clock'> = { deviceId, nextSeq: Math.max(maxOwnSeq(store, deviceId), floor) + 1, wall: Date.now, hubTime: savedHubTime(getMeta(store, HUB_TIME)) };
  // The clock reads the replica's physical time, which follows its wall clock and the hub's time as they change.
  const replica: Replica = { ...made, clock: clockFor(made, savedClock(store, saved) ?? { ms: 0, counter: 0 }, () => physicalNow(replica)) };
  replicas.set(store, replica);
  return replica;
}

/** Forget the cached replica (after the store's identity was replaced, e.g. on enrolment). */
export function resetReplica(store: Store): void {
  replicas.delete(store);
}
