/**
 * This store's identity as a sync replica: its device id, the next per-device sequence
 * number and its hybrid logical clock. Loaded once per open store and kept in memory;
 * the clock is persisted in `meta` with every write so a restart never goes backwards.
 */
import { v7 as uuidv7 } from 'uuid';
import { HlcClock, unpackHlc } from './hlc';
import type { Store } from './store';

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

export function getMeta(store: Store, key: string): string | undefined {
  const row = store.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(store: Store, key: string, value: string): void {
  store.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
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
  const clock = new HlcClock(saved ? { ...unpackHlc(saved), device: deviceId } : { ms: 0, counter: 0, device: deviceId });
  const max = store.prepare('SELECT MAX(device_seq) AS m FROM changes WHERE device_id = ?').get(deviceId) as { m: number | null };
  const floor = Number(getMeta(store, SEQ_FLOOR) ?? '0');
  r = { deviceId, clock, nextSeq: Math.max(max.m ?? 0, floor) + 1 };
  replicas.set(store, r);
  return r;
}

/** Forget the cached replica (after the store's identity was replaced, e.g. on enrolment). */
export function resetReplica(store: Store): void {
  replicas.delete(store);
}
