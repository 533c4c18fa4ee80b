/**
 * The laptop's HTTP client of the regional server and the sync state the window shows.
 * HTTP sync sends the same package bytes as the USB file and imports the reply through
 * the same code path (local.ts).
 */
import { AppError } from '../../db/errors';
import { clockOffset, getMeta, maxOwnSeq, noteHubTime, replicaOf, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';
import { errorEntry, type Ctx } from '../context';
import { deferredCount, openConflicts } from './apply';
import { deletionConflicts } from './deletionConflicts';
import { isWrongClock, wrongClockMessage } from '../rules/clock';
import {
  blobRefs,
  buildOutgoing,
  deviceEncKeys,
  deviceKeys,
  enrolment,
  hubMismatchMessage,
  importPackage,
  META,
  outgoingMassDeletion,
  pendingChanges,
  pendingCount,
  saveEnrolment,
  serverRefusals,
  unsealIncoming,
  type ImportResult,
  type ServerRefusal,
} from './local.node';
import { massDeletionMessage } from '../rules/massDelete';
import { readBlob } from '../blobs.node';
import { sealEnvelope } from './envelope.node';
import { Pace, retryDelayMs, TRIES_IN_A_ROW, type TransferProgress } from './transferPace';
import { downloadBlob, missingBlobs, uploadBlob, type HubLink } from './transferBlobs.node';
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
  /** The laptop's clock is further from the server's than the tolerance (core/rules/clock.ts): by how much (laptop minus server) and what to tell the user. */
  clock: { offsetMs: number; message: string } | null;
  /** The transfer in progress (pieces, bytes, time left); null when none runs. */
  transfer: TransferProgress | null;
  /** The last transfer stopped when the link broke for good: what got through and what is left (the next run continues from there). */
  interrupted: { at: string; changesSent: number; changesLeft: number } | null;
  /** When the background sync tries next (ISO); null when it does not run. */
  nextTryAt: string | null;
}

interface Live {
  online: boolean | null;
  syncing: boolean;
  lastError: string | null;
  /** The sync in progress; a second request waits for it, then runs (it may have new changes). */
  current: Promise<unknown> | null;
  /** The hub's clock minus ours, learnt when the hub refused a request's timestamp. */
  hubClockOffsetMs: number;
  transfer: TransferProgress | null;
  interrupted: SyncState['interrupted'];
  nextTryAt: number | null;
  /** The link's pace, kept between runs, and the measured bytes of one change each way. */
  pace: Pace;
  upBytesPerChange: number;
  downBytesPerChange: number;
}

const live = new WeakMap<Store, Live>();
const liveOf = (store: Store): Live => {
  let l = live.get(store);
  if (!l) {
    l = { online: null, syncing: false, lastError: null, current: null, hubClockOffsetMs: 0, transfer: null, interrupted: null, nextTryAt: null, pace: new Pace(), upBytesPerChange: FIRST_BYTES_PER_CHANGE, downBytesPerChange: FIRST_BYTES_PER_CHANGE };
    live.set(store, l);
  }
  return l;
};

function clockWarning(store: Store): SyncState['clock'] {
  const offsetMs = clockOffset(store);
  return offsetMs !== null && isWrongClock(offsetMs) ? { offsetMs, message: wrongClockMessage(offsetMs) } : null;
}

/** Every answer of the hub tells its time (the Date header): the laptop's clock is disciplined by it (db/replica.ts). */
const noteHubDate = (store: Store, res: Response): void => noteHubTime(store, Date.parse(res.headers.get('date') ?? ''));

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
    conflicts: openConflicts(store).length + deletionConflicts(store).length,
    deferred: deferredCount(store),
    refusals: serverRefusals(store),
    clock: clockWarning(store),
    transfer: l.transfer,
    interrupted: l.interrupted,
    nextTryAt: l.nextTryAt === null ? null : new Date(l.nextTryAt).toISOString(),
  };
}

/** A JSON call (enrolment, codes): small, so a fixed time. Pieces of a transfer get a time for their size (Pace.timeoutMs). */
const TIMEOUT_MS = 60_000;
/** Bytes a change takes in a sealed package, before the first piece measured it. */
const FIRST_BYTES_PER_CHANGE = 100;

const OFFLINE_MESSAGE = 'Сервер недоступен: нет связи. Данные сохранены на ноутбуке, синхронизация повторится позже.';

async function request(url: string, init: RequestInit, timeoutMs = TIMEOUT_MS, offlineMessage = OFFLINE_MESSAGE): Promise<Response> {
  const dispatcher = hubDispatcher(url);
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), dispatcher } as RequestInit);
    // The body read here, inside the time and the catch: a link that breaks mid-answer is a broken link, not a crash.
    const body = await res.arrayBuffer();
    return new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  } catch (e) {
    if (certificateRefused(e)) {
      throw new AppError(
        'hub_certificate',
        'Сертификат HTTPS сервера не подтверждён (самоподписанный, чужой или просрочен): соединение не установлено, ничего не отправлено. Проверьте адрес сервера; сертификат региона указывают в переменной SHNOR_HUB_CA.',
      );
    }
    throw new AppError('offline', offlineMessage);
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

/** A request to a device route, signed by the device key; retries once with the hub's clock when ours is off. */
async function sendSigned(store: Store, server: string, method: 'GET' | 'POST', path: string, body: Uint8Array, timeoutMs = TIMEOUT_MS): Promise<Response> {
  const l = liveOf(store);
  const send = () =>
    request(
      `${server}${path}`,
      {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/octet-stream' } : {}),
          [DEVICE_AUTH_HEADER]: deviceAuthHeader(replicaOf(store).deviceId, deviceKeys(store).privateKey, method, path, body, Date.now() + l.hubClockOffsetMs),
        },
        ...(method === 'POST' ? { body: Buffer.from(body) } : {}),
      },
      timeoutMs,
    );
  const res = await send();
  noteHubDate(store, res);
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
  const res = await sendSigned(store, e.server, 'POST', path, new TextEncoder().encode(JSON.stringify(value)));
  if (!res.ok) await failure(res);
  return answer(res, schema);
}

export function normaliseServer(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export async function enrolHttp(store: Store, serverUrl: string, code: string, name: string): Promise<SyncState> {
  if (enrolment(store)) throw new AppError('enrolled', 'Ноутбук уже подключён к серверу.');
  const server = normaliseServer(serverUrl);
  const unreachable = `Не удалось связаться с сервером ${server}: проверьте адрес и подключение к сети, затем нажмите «Подключить» ещё раз. Ноутбук пока не подключён к серверу; изменения хранятся на нём (ждут отправки: ${pendingCount(store)}), их можно передать и файлом через флешку.`;
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
  }, TIMEOUT_MS, unreachable);
  noteHubDate(store, res);
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

/**
 * The exchange in pieces, each acknowledged before the next: the files the pending changes
 * reference (resumable, transferBlobs.node.ts), then the changes, a piece of the oldest
 * pending ones per request with a reply of at most as many of the hub's, then the files the
 * district's rows reference and this laptop lacks. Piece sizes follow the measured link
 * (transferPace.ts); a broken piece is tried again after a pause, with a smaller size, and
 * only TRIES_IN_A_ROW breaks in a row stop the run — what got through stays delivered (the
 * hub keeps a change once by its device and number, the laptop applies one once), and the
 * next run, automatic or «Продолжить», starts where this one stopped.
 */
async function syncOnce(ctx: Ctx, options: SyncOptions): Promise<ImportResult> {
  const { store, dataDir } = ctx;
  const e = enrolment(store);
  if (!e) throw new AppError('not_enrolled', 'Ноутбук не подключён к региональному серверу: введите адрес сервера и код подключения.');
  if (!e.server) throw new AppError('no_server', 'Ноутбук подключён к району через файл, без адреса сервера: обменивайтесь пакетами через файл (флешку).');
  // The hub judges each piece alone, so the laptop asks about the whole backlog before the first.
  const massDeletion = options.confirmMassDelete ? null : outgoingMassDeletion(store);
  if (massDeletion) throw new AppError('mass_delete', massDeletionMessage(massDeletion.deleted, massDeletion.live, 'отправьте изменения снова'));
  const l = liveOf(store);
  const toSend = pendingCount(store);
  const progress: TransferProgress = { phase: 'filesUp', changesSent: 0, changesLeft: toSend, changesReceived: 0, bytesDone: 0, bytesLeft: null, bytesPerSecond: 0, secondsLeft: null, retrying: 0 };
  const t0 = Date.now();
  let shown = 0;
  const show = (force = false) => {
    progress.bytesPerSecond = Math.round(l.pace.rate);
    progress.secondsLeft = progress.bytesLeft === null ? null : Math.ceil(l.pace.secondsFor(progress.bytesLeft));
    if (!force && Date.now() - shown < 250) return;
    shown = Date.now();
    ctx.emit({ type: 'sync.state', state: syncState(store) });
  };
  l.syncing = true;
  l.transfer = progress;
  show(true);
  const link = hubLink(store, e.server, l, progress, show);
  const total: ImportResult = { applied: 0, duplicate: 0, deferred: 0, more: false };
  try {
    const upload = blobRefs(pendingChanges(store))
      .map((sha) => ({ sha, bytes: readOwnBlob(dataDir, sha, store.dataKey) }))
      .filter((b): b is { sha: string; bytes: Buffer } => b.bytes !== null);
    let filesLeft = upload.reduce((n, b) => n + b.bytes.length, 0);
    const estimate = () => filesLeft + progress.changesLeft * l.upBytesPerChange;
    progress.bytesLeft = estimate();
    for (const b of upload) {
      await uploadBlob(link, e.district, b.sha, b.bytes, l.pace);
      filesLeft -= b.bytes.length;
      progress.bytesLeft = estimate();
    }
    progress.phase = 'changes';
    const syncPath = hubPath(hubRoutes.districtSync.url, { id: e.district });
    for (let idle = 0; idle < 3; ) {
      const before = progress.changesLeft;
      const r = await link.piece(async () => {
        const body = buildOutgoing(store, dataDir, { confirmMassDelete: options.confirmMassDelete, limit: l.pace.pieceChanges(l.upBytesPerChange), blobs: false });
        const want = l.pace.pieceChanges(l.downBytesPerChange);
        const started = performance.now();
        const res = await sendSigned(store, e.server, 'POST', `${syncPath}?limit=${want}&blobs=0`, body, l.pace.timeoutMs(body.length + want * l.downBytesPerChange));
        l.online = true;
        if (!res.ok) await failure(res);
        const reply = new Uint8Array(await res.arrayBuffer());
        l.pace.measured(body.length + reply.length, performance.now() - started);
        const imported = pinnedHub(e.server, () =>
          importPackage(store, dataDir, reply, {
            confirmMassDelete: options.confirmMassDelete,
            onProgress: (done, all) => ctx.emit({ type: 'progress', task: 'sync', done, total: all, label: 'Загрузка изменений с сервера' }),
          }),
        );
        return { imported, sentBytes: body.length, replyBytes: reply.length };
      });
      const left = pendingCount(store);
      const sent = before - left;
      const received = r.imported.applied + r.imported.duplicate + r.imported.deferred;
      if (sent > 0) l.upBytesPerChange = r.sentBytes / sent;
      if (received > 0) l.downBytesPerChange = r.replyBytes / received;
      progress.changesSent += sent;
      progress.changesLeft = left;
      progress.changesReceived += received;
      progress.bytesDone += r.sentBytes + r.replyBytes;
      progress.bytesLeft = estimate();
      show();
      total.applied += r.imported.applied;
      total.duplicate += r.imported.duplicate;
      total.deferred += r.imported.deferred;
      if (left === 0 && !r.imported.more) break;
      // A piece that moved nothing either way (a hub that keeps answering the same) ends the run after a few.
      idle = sent === 0 && received === 0 ? idle + 1 : 0;
    }
    progress.phase = 'filesDown';
    const wanted = missingBlobs(store, dataDir);
    progress.bytesLeft = null;
    show(true);
    for (const sha of wanted) await downloadBlob(link, store, dataDir, e.district, sha, l.pace);
    l.lastError = null;
    l.interrupted = null;
    return total;
  } catch (caught) {
    const err = caught instanceof AppError && caught.code === 'offline' ? linkLost(l, progress, pendingCount(store), Date.now() - t0, caught) : caught;
    const message = err instanceof SyncRefusal || err instanceof AppError ? err.message : 'Синхронизация не удалась.';
    l.lastError = message;
    if (err instanceof SyncRefusal) throw new AppError(err.reason, err.message);
    throw err;
  } finally {
    l.syncing = false;
    l.transfer = null;
    ctx.emit({ type: 'sync.state', state: syncState(store) });
  }
}

/**
 * The link failed for good: offline; and when the run had got something through (or had been
 * at it a while), an interrupted transfer the next run continues, said as such.
 */
function linkLost(l: Live, progress: TransferProgress, left: number, ranMs: number, e: AppError): AppError {
  l.online = false;
  if (progress.changesSent === 0 && progress.bytesDone === 0 && ranMs < 10_000) return e;
  l.interrupted = { at: new Date().toISOString(), changesSent: progress.changesSent, changesLeft: left };
  return new AppError(
    'offline',
    `Связь с сервером прервалась: передано изменений — ${progress.changesSent}, осталось отправить — ${left}. Переданное сохранено на сервере; нажмите «Продолжить», когда связь появится, или дождитесь следующей автоматической попытки.`,
  );
}

/** An attachment file of this laptop as plain bytes; null when it is not here (another laptop's, still on its way). */
function readOwnBlob(dataDir: string, sha: string, key: Buffer | null): Buffer | null {
  try {
    return readBlob(dataDir, sha, 'вложение', key);
  } catch {
    return null;
  }
}

/** The hub as the pieces of one run use it: signed requests, sealing, and the retry of a broken piece. */
function hubLink(store: Store, server: string, l: Live, progress: TransferProgress, show: () => void): HubLink {
  return {
    send: (method, path, body, timeoutMs) => sendSigned(store, server, method, path, body, timeoutMs),
    answer: async (res, schema) => {
      if (!res.ok) await failure(res);
      return answer(res, schema);
    },
    refused: failure,
    seal: (bytes) => {
      const key = enrolment(store)?.hubEncKey;
      return key ? sealEnvelope(bytes, key) : bytes;
    },
    open: (bytes) => unsealIncoming(store, bytes),
    piece: async (run) => {
      for (let failures = 0; ; ) {
        try {
          const out = await run();
          progress.retrying = 0;
          return out;
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'offline') || ++failures >= TRIES_IN_A_ROW) throw e;
          l.pace.broke();
          progress.retrying = failures;
          show();
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(failures)));
        }
      }
    },
    moved: (bytes) => {
      progress.bytesDone += bytes;
      if (progress.bytesLeft !== null) progress.bytesLeft = Math.max(0, progress.bytesLeft - bytes);
      show();
    },
  };
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
  const l = liveOf(ctx.store);
  const tick = () => {
    l.nextTryAt = Date.now() + intervalMs;
    if (!enrolment(ctx.store)?.server || l.syncing) return;
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
  const FIRST_MS = 3000;
  l.nextTryAt = Date.now() + FIRST_MS;
  const first = setTimeout(tick, FIRST_MS);
  const timer = setInterval(tick, intervalMs);
  first.unref?.();
  timer.unref?.();
  return () => {
    l.nextTryAt = null;
    clearTimeout(first);
    clearInterval(timer);
  };
}
