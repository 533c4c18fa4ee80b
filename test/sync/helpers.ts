/** Test scaffolding for sync: a hub in-process, laptops on temporary databases, and an oracle. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../db/open';
import { getMeta, maxOwnSeq, noteHubTime, replicaOf, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';
import { openConflicts } from '../../core/sync/apply';
import { sealEnvelope } from '../../core/sync/envelope.node';
import { buildOutgoing, deviceEncKeys, deviceKeys, importPackage, saveEnrolment, type ImportOptions } from '../../core/sync/local.node';
import { deviceAuthHeader } from '../../core/sync/requestAuth.node';
import { DEVICE_AUTH_HEADER } from '../../core/contract/hub';
import { openHubStorage, type HubStorage } from '../../server/db';
import { Hub, HubError } from '../../server/hub';

export function tempDir(prefix = 'shnor-sync-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestHub {
  hub: Hub;
  storage: HubStorage;
  dir: string;
  close(): Promise<void>;
}

export async function makeHub(databaseUrl?: string): Promise<TestHub> {
  const dir = tempDir('shnor-hub-');
  const storage = await openHubStorage(dir, databaseUrl ?? '');
  const hub = await Hub.open(storage, dir);
  return { hub, storage, dir, close: () => storage.close() };
}

export interface Laptop {
  name: string;
  store: Store;
  dataDir: string;
}

export function makeLaptop(name: string, file = false): Laptop {
  const dataDir = tempDir(`shnor-${name}-`);
  const store = openStore(file ? path.join(dataDir, 'district.sqlite') : ':memory:');
  return { name, store, dataDir };
}

/**
 * Enrols a laptop the way the sync handler does, but calling the hub in-process. `legacy`: as a
 * version before packages were sealed did, with no encryption key on either side.
 */
export async function enrol(hub: Hub, laptop: Laptop, districtId: string, { legacy = false } = {}): Promise<void> {
  const { code } = await hub.createCode(districtId);
  const store = laptop.store;
  const res = await hub.enrol({
    code,
    device: replicaOf(store).deviceId,
    publicKey: deviceKeys(store).publicKey,
    ...(legacy ? {} : { encKey: deviceEncKeys(store).publicKey }),
    name: laptop.name,
    dataDistrictId: getMeta(store, 'district_id') ?? null,
    // As the laptop's client does: what it holds already is the district's history.
    historyUpto: maxOwnSeq(store, replicaOf(store).deviceId),
  });
  saveEnrolment(store, { server: 'test', district: res.district.id, districtName: res.district.name, hubDevice: res.hub.device, hubKey: res.hub.publicKey, hubEncKey: legacy ? null : res.hub.encKey });
  if (res.dataDistrictId && !getMeta(store, 'district_id')) setMeta(store, 'district_id', res.dataDistrictId);
}

/** The x-device-auth header a laptop sends to the hub over HTTP for this request (signed by its device key). */
export function deviceAuth(laptop: Laptop, method: string, target: string, body: Uint8Array = new Uint8Array(0), now = Date.now()): Record<string, string> {
  return { [DEVICE_AUTH_HEADER]: deviceAuthHeader(replicaOf(laptop.store).deviceId, deviceKeys(laptop.store).privateKey, method, target, body, now) };
}

/** A package as a laptop of this version sends it: sealed to the hub's key (a test that forges one seals it like this). */
export const sealedToHub = (hub: Hub, bytes: Uint8Array): Uint8Array => sealEnvelope(bytes, hub.identity.encPublicKey);

/**
 * One exchange: push the outgoing package, get the reply (not yet imported). As over HTTP, the
 * laptop learns the hub's time from the answer, a refusal included (the Date header), and a
 * package refused for a clock ahead is built again — restamped — and sent once more.
 */
export async function exchange(hub: Hub, laptop: Laptop): Promise<Uint8Array> {
  for (let tries = 0; ; tries++) {
    try {
      const reply = await hub.push(buildOutgoing(laptop.store, laptop.dataDir));
      noteHubTime(laptop.store, Date.now());
      return reply;
    } catch (e) {
      noteHubTime(laptop.store, Date.now());
      if (!(e instanceof HubError && e.code === 'clock_ahead') || tries > 0) throw e;
    }
  }
}

export function importInto(laptop: Laptop, bytes: Uint8Array, options: ImportOptions = {}) {
  return importPackage(laptop.store, laptop.dataDir, bytes, options);
}

/** Sync until the hub has nothing more for this laptop. */
export async function syncFully(hub: Hub, laptop: Laptop): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = importInto(laptop, await exchange(hub, laptop));
    if (!r.more) return;
  }
  throw new Error('sync did not finish');
}

/** A laptop whose wall clock is off by `offsetMs`. */
export function skewClock(store: Store, offsetMs: number): void {
  replicaOf(store).wall = () => Date.now() + offsetMs;
}

/** Everything a user sees of the synced tables, for comparing replicas. */
export function snapshot(store: Store, tables: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = store.sqlite.prepare(`SELECT * FROM ${t} ORDER BY id`).all();
  return out;
}

export function conflictSet(store: Store): string[] {
  return openConflicts(store)
    .map((c) => `${c.tbl}|${c.row_id}|${c.col}|${c.lost_hlc}|${JSON.stringify(c.lost)}`)
    .sort();
}

/** A small seeded PRNG (mulberry32) so a failing case can be replayed by its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
