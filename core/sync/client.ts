/**
 * The laptop's HTTP client of the regional server and the sync state the window shows.
 * HTTP sync sends the same package bytes as the USB file and imports the reply through
 * the same code path (local.ts).
 */
import { AppError } from '../../db/errors';
import { getMeta, maxOwnSeq, replicaOf, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';
import { errorEntry, type Ctx } from '../context';
import { deferredCount, openConflicts } from './apply';
import { buildOutgoing, deviceEncKeys, deviceKeys, enrolment, hubMismatchMessage, importPackage, META, pendingCount, saveEnrolment, serverRefusals, type ImportResult, type ServerRefusal } from './local.node';
import { SyncRefusal } from './package.node';
import type { z } from 'zod';
import { DEVICE_AUTH_HEADER, hubErrorSchema, hubPath, hubRoutes } from '../contract/hub';
import { hubDispatcher } from './hubTls.node';
import { deviceAuthHeader } from './requestAuth.node';
import { accountClaim, adoptEnrolledAccount } from '../accounts/pending';

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
  /** This laptop's changes the regional server refused, newest first. */
  refusals: ServerRefusal[];
}

interface Live {
  online: boolean | null;
  syncing: boolean;
  lastError: string | null;
  /** The sync in progress; a second request waits for it, then runs (it may have new changes). */
  current: Promise<unknown> | null;
  /** The hub's clock minus ours, learnt when the hub refused a request's timestamp. */
  hubClockOffsetMs: number;
}

const live = new WeakMap<Store, Live>();
const liveOf = (store: Store): Live => {
  let l = live.get(store);
  if (!l) live.set(store, (l = { online: null, syncing: false, lastError: null, current: null, hubClockOffsetMs: 0 }));
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
    deferred: deferredCount(store),
    refusals: serverRefusals(store),
  };
}

const TIMEOUT_MS = 60_000;

async function request(url: string, init: RequestInit): Promise<Response> {
  const dispatcher = hubDispatcher(url);
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), dispatcher } as RequestInit);
  } catch (e) {
    if (certificateRefused(e)) {
      throw new AppError(
        'hub_certificate',
        'Сертификат HTTPS сервера не подтверждён (самоподписанный, чужой или просрочен): соединение не установлено, ничего не отправлено. Проверьте адрес сервера; сертификат региона указывают в переменной SHNOR_HUB_CA.',
      );
    }
    throw new AppError('offline', 'Сервер недоступен: нет связи. Данные сохранены на ноутбуке, синхронизация повторится позже.');
  }
}

/** fetch failed because the server's TLS certificate is not trusted (node's error codes for it). */
function certificateRefused(e: unknown): boolean {
  const code = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code);
}

/** The hub's refusal as { code, message }; a body that is not the contract's error keeps a generic message. */
async function refusalOf(res: Response): Promise<{ code: string; message: string }> {
  const fallback = { code: 'server_error', message: `Сервер ответил ошибкой ${res.status}.` };
  try {
    const parsed = hubErrorSchema.safeParse(await res.json());
    return parsed.success ? parsed.data.error : fallback;
  } catch {
    return fallback;
  }
}

async function failure(res: Response): Promise<never> {
  const { code, message } = await refusalOf(res);
  throw new AppError(code, message);
}

/** A JSON answer parsed with the route's schema from the hub contract. */
async function answer<T>(res: Response, schema: z.ZodType<T>): Promise<T> {
  let parsed: z.ZodSafeParseResult<T> | null;
  try {
    parsed = schema.safeParse(await res.json());
  } catch {
    parsed = null;
  }
  if (!parsed?.success) throw new AppError('bad_reply', 'Сервер ответил не так, как ожидалось: проверьте адрес сервера (это должен быть региональный сервер «500+»).');
  return parsed.data;
}

/** POSTs a package to a device route, signed by the device key; retries once with the hub's clock when ours is off. */
async function postSigned(store: Store, server: string, path: string, body: Uint8Array): Promise<Response> {
  const l = liveOf(store);
  const send = () =>
    request(`${server}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        [DEVICE_AUTH_HEADER]: deviceAuthHeader(replicaOf(store).deviceId, deviceKeys(store).privateKey, 'POST', path, body, Date.now() + l.hubClockOffsetMs),
      },
      body: Buffer.from(body),
    });
  const res = await send();
  const hubNow = Date.parse(res.headers.get('date') ?? '');
  if (res.status !== 401 || Number.isNaN(hubNow)) return res;
  const refusal = await refusalOf(res.clone());
  if (refusal.code !== 'stale_auth') return res;
  l.hubClockOffsetMs = hubNow - Date.now();
  return send();
}

/**
 * A device route whose JSON body is signed (core/contract/hub.ts sends such bodies as bytes):
 * the hub's answer parsed with the route's schema, its refusal as an AppError in Russian.
 */
export async function postSignedJson<T>(store: Store, path: string, value: unknown, schema: z.ZodType<T>): Promise<T> {
  const e = enrolment(store);
  if (!e) throw new AppError('not_enrolled', 'Ноутбук не подключён к серверу: сначала подключитесь к району на странице «Синхронизация».');
  const res = await postSigned(store, e.server, path, new TextEncoder().encode(JSON.stringify(value)));
  if (!res.ok) await failure(res);
  return answer(res, schema);
}

export function normaliseServer(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export async function enrolHttp(store: Store, serverUrl: string, code: string, name: string): Promise<SyncState> {
  if (enrolment(store)) throw new AppError('enrolled', 'Ноутбук уже подключён к серверу.');
  const server = normaliseServer(serverUrl);
  const res = await request(`${server}${hubRoutes.enrol.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: code.trim().toUpperCase(),
      device: replicaOf(store).deviceId,
      publicKey: deviceKeys(store).publicKey,
      encKey: deviceEncKeys(store).publicKey,
      name,
      dataDistrictId: getMeta(store, 'district_id') ?? null,
      account: accountClaim(store),
      historyUpto: maxOwnSeq(store, replicaOf(store).deviceId),
    }),
  });
  if (!res.ok) await failure(res);
  const body = await answer(res, hubRoutes.enrol.reply);
  store.tx(() => {
    adoptEnrolledAccount(store, body.account);
    saveEnrolment(store, { server, district: body.district.id, districtName: body.district.name, hubDevice: body.hub.device, hubKey: body.hub.publicKey, hubEncKey: body.hub.encKey ?? null });
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
      const res = await postSigned(store, e.server, hubPath(hubRoutes.districtSync.url, { id: e.district }), body);
      l.online = true;
      if (!res.ok) await failure(res);
      const reply = new Uint8Array(await res.arrayBuffer());
      const r = pinnedHub(e.server, () =>
        importPackage(store, dataDir, reply, {
          confirmMassDelete: options.confirmMassDelete,
          onProgress: (done, all) => ctx.emit({ type: 'progress', task: 'sync', done, total: all, label: 'Загрузка изменений с сервера' }),
        }),
      );
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
 * The reply at the enrolled server's address must be signed by the hub the laptop enrolled
 * with: a reply from another hub, or signed with another key, is another server answering
 * there (reinstalled, or an impostor), refused before anything is written.
 */
function pinnedHub<T>(server: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof SyncRefusal && (e.reason === 'bad_signature' || e.reason === 'unknown_sender')) throw new SyncRefusal('hub_mismatch', hubMismatchMessage(server));
    throw e;
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
    const wroteFrom = ctx.store.touched.mark();
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
