/**
 * The laptop's HTTP client of the regional server and the sync state the window shows.
 * HTTP sync sends the same package bytes as the USB file and imports the reply through
 * the same code path (local.ts).
 */
import { AppError } from '../../db/errors';
import { getMeta, replicaOf, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';
import { errorEntry, type Ctx } from '../context';
import { openConflicts } from './apply';
import { buildOutgoing, deviceKeys, enrolment, importPackage, META, pendingCount, saveEnrolment, type ImportResult } from './local.node';
import { SyncRefusal } from './package.node';

export interface SyncState {
  enrolled: boolean;
  server: string | null;
  districtName: string | null;
  deviceId: string;
  /** null: not tried yet. */
  online: boolean | null;
  syncing: boolean;
  lastSync: string | null;
  lastError: string | null;
  pending: number;
  conflicts: number;
  deferred: number;
}

interface Live {
  online: boolean | null;
  syncing: boolean;
  lastError: string | null;
  /** The sync in progress; a second request waits for it, then runs (it may have new changes). */
  current: Promise<unknown> | null;
}

const live = new WeakMap<Store, Live>();
const liveOf = (store: Store): Live => {
  let l = live.get(store);
  if (!l) live.set(store, (l = { online: null, syncing: false, lastError: null, current: null }));
  return l;
};

export function syncState(store: Store): SyncState {
  const e = enrolment(store);
  const l = liveOf(store);
  return {
    enrolled: !!e,
    server: e?.server || null,
    districtName: e?.districtName ?? null,
    deviceId: replicaOf(store).deviceId,
    online: l.online,
    syncing: l.syncing,
    lastSync: getMeta(store, META.lastSync) ?? null,
    lastError: l.lastError,
    pending: pendingCount(store),
    conflicts: openConflicts(store).length,
    deferred: (store.prepare('SELECT COUNT(*) AS n FROM sync_deferred').get() as { n: number }).n,
  };
}

const TIMEOUT_MS = 60_000;

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new AppError('offline', 'Сервер недоступен: нет связи. Данные сохранены на ноутбуке, синхронизация повторится позже.');
  }
}

async function failure(res: Response): Promise<never> {
  let message = `Сервер ответил ошибкой ${res.status}.`;
  let code = 'server_error';
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // not JSON: keep the generic message
  }
  throw new AppError(code, message);
}

export function normaliseServer(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export async function enrolHttp(store: Store, serverUrl: string, code: string, name: string): Promise<SyncState> {
  if (enrolment(store)) throw new AppError('enrolled', 'Ноутбук уже подключён к серверу.');
  const server = normaliseServer(serverUrl);
  const res = await request(`${server}/api/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: code.trim().toUpperCase(),
      device: replicaOf(store).deviceId,
      publicKey: deviceKeys(store).publicKey,
      name,
      dataDistrictId: getMeta(store, 'district_id') ?? null,
    }),
  });
  if (!res.ok) await failure(res);
  const body = (await res.json()) as { district: { id: string; name: string }; dataDistrictId: string | null; hub: { device: string; publicKey: string } };
  store.tx(() => {
    saveEnrolment(store, { server, district: body.district.id, districtName: body.district.name, hubDevice: body.hub.device, hubKey: body.hub.publicKey });
    // A laptop joining an existing district adopts its data district; its rows arrive with the first sync.
    if (body.dataDistrictId && !getMeta(store, 'district_id')) setMeta(store, 'district_id', body.dataDistrictId);
  });
  liveOf(store).online = true;
  return syncState(store);
}

export interface SyncOptions {
  confirmMassDelete?: boolean;
}

/** Push what the hub lacks, import the reply; repeat while the hub says more follows. */
export async function syncHttp(ctx: Ctx, options: SyncOptions = {}): Promise<ImportResult> {
  const l = liveOf(ctx.store);
  while (l.current) await l.current.catch(() => undefined);
  const run = syncOnce(ctx, options);
  l.current = run;
  try {
    return await run;
  } finally {
    l.current = null;
  }
}

async function syncOnce(ctx: Ctx, options: SyncOptions): Promise<ImportResult> {
  const { store, dataDir } = ctx;
  const e = enrolment(store);
  if (!e) throw new AppError('not_enrolled', 'Ноутбук не подключён к региональному серверу: введите адрес сервера и код подключения.');
  if (!e.server) throw new AppError('no_server', 'Ноутбук подключён к району через файл, без адреса сервера: обменивайтесь пакетами через файл (флешку).');
  const l = liveOf(store);
  l.syncing = true;
  ctx.emit({ type: 'sync.state', state: syncState(store) });
  const total: ImportResult = { applied: 0, duplicate: 0, deferred: 0, more: false };
  try {
    for (let round = 0; round < 1000; round++) {
      const body = buildOutgoing(store, dataDir, { confirmMassDelete: options.confirmMassDelete });
      ctx.emit({ type: 'progress', task: 'sync', done: 0, total: 1, label: 'Отправка изменений на сервер' });
      const res = await request(`${e.server}/api/districts/${encodeURIComponent(e.district)}/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from(body),
      });
      l.online = true;
      if (!res.ok) await failure(res);
      const reply = new Uint8Array(await res.arrayBuffer());
      const r = importPackage(store, dataDir, reply, {
        confirmMassDelete: options.confirmMassDelete,
        onProgress: (done, all) => ctx.emit({ type: 'progress', task: 'sync', done, total: all, label: 'Загрузка изменений с сервера' }),
      });
      total.applied += r.applied;
      total.duplicate += r.duplicate;
      total.deferred += r.deferred;
      if (!r.more) break;
    }
    l.lastError = null;
    return total;
  } catch (err) {
    if (err instanceof AppError && err.code === 'offline') l.online = false;
    const message = err instanceof SyncRefusal || err instanceof AppError ? err.message : 'Синхронизация не удалась.';
    l.lastError = message;
    if (err instanceof SyncRefusal) throw new AppError(err.reason, err.message);
    throw err;
  } finally {
    l.syncing = false;
    ctx.emit({ type: 'sync.state', state: syncState(store) });
  }
}

/**
 * Background sync: tries now and then every `intervalMs` while enrolled. A failure only
 * updates the state the window shows; the user keeps working.
 */
export function startBackgroundSync(ctx: Ctx, intervalMs = Number(process.env.SHNOR_SYNC_INTERVAL_MS ?? 120_000)): () => void {
  if (!(intervalMs > 0)) return () => undefined;
  const tick = () => {
    if (!enrolment(ctx.store)?.server || liveOf(ctx.store).syncing) return;
    syncHttp(ctx).then(
      () => {
        const tables = ctx.store.touched.since(wroteFrom);
        if (tables.length > 0) ctx.emit({ type: 'data.changed', tables });
      },
      // Being offline is the normal case; anything else is worth a line in the log.
      (e: unknown) => {
        if (!(e instanceof AppError)) ctx.log?.(errorEntry('sync', e));
        else if (e.code !== 'offline') ctx.log?.(errorEntry('sync', e, 'warn'));
      },
    );
  };
  const first = setTimeout(tick, 3000);
  const timer = setInterval(tick, intervalMs);
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
    const wroteFrom = ctx.store.touched.mark();
