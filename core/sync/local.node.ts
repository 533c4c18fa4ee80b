/**
 * The laptop side of sync, shared by HTTP and the USB file: identity and keys, the outgoing
 * package ("what the hub has not acknowledged"), and importing a hub package with every
 * check, chunk by chunk, resumable.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { v4 as uuidv4 } from 'uuid';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { getMeta, noteHubTimeAtLeast, replicaOf, saveHubTime, setMeta } from '../../db/replica';
import { REGION_TABLES, SYNCED_TABLES, type SyncedTable } from '../../db/schema';
import { qb, type Store } from '../../db/store';
import { couldBeMassDeletion, isMassDeletion, massDeletionMessage } from '../rules/massDelete';
import { decodeBlob, writeBlobFile } from '../blobs.node';
import { applyChunk, reapplyDeferred, type WireChange } from './apply';
import { restampAhead } from './restamp';
import { generateEncKeys, isEnvelope, openEnvelope, sealEnvelope, type EncKeys } from './envelope.node';
import { buildPackage, openPackage, SyncRefusal, verifyPackage, type Blob, type ParsedPackage } from './package.node';
import { outgoingCodes, type OutgoingCode } from '../accounts/codes.node';

export const META = {
  privateKey: 'sync.private_key',
  publicKey: 'sync.public_key',
  server: 'sync.server',
  district: 'sync.district',
  districtName: 'sync.district_name',
  hubDevice: 'sync.hub_device',
  hubKey: 'sync.hub_key',
  /** The device's X25519 pair packages to it are sealed to (envelope.node.ts), and the hub's public key it seals to. */
  encPrivateKey: 'sync.enc_private_key',
  encPublicKey: 'sync.enc_public_key',
  hubEncKey: 'sync.hub_enc_key',
  cursor: 'sync.cursor',
  acked: 'sync.acked',
  lastSync: 'sync.last_sync',
  /** The id of the enrolment request file this laptop saved last (enrolment without being online). */
  enrolRequest: 'sync.enrol_request',
  /** Set by a restore (afterRestore.node.ts): `{"after":N,"upto":M}`, the own seqs this database lacks. */
  resendOwn: 'sync.resend_own',
} as const;

export { MASS_DELETE_MIN, MASS_DELETE_SHARE } from '../rules/massDelete';

export interface Keys {
  privateKey: string;
  publicKey: string;
}

/** The device's Ed25519 key pair, made on first use; the private key never leaves the database. */
export function deviceKeys(store: Store): Keys {
  const privateKey = getMeta(store, META.privateKey);
  const publicKey = getMeta(store, META.publicKey);
  if (privateKey && publicKey) return { privateKey, publicKey };
  const pair = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  store.tx(() => {
    setMeta(store, META.privateKey, pair.privateKey);
    setMeta(store, META.publicKey, pair.publicKey);
  });
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** The device's X25519 key pair, made on first use (at enrolment, or on a laptop enrolled before packages were sealed). */
export function deviceEncKeys(store: Store): EncKeys {
  const privateKey = getMeta(store, META.encPrivateKey);
  const publicKey = getMeta(store, META.encPublicKey);
  if (privateKey && publicKey) return { privateKey, publicKey };
  const pair = generateEncKeys();
  store.tx(() => {
    setMeta(store, META.encPrivateKey, pair.privateKey);
    setMeta(store, META.encPublicKey, pair.publicKey);
  });
  return pair;
}

export interface Enrolment {
  /** '' when the laptop enrolled through a request file and exchanges packages only as files. */
  server: string;
  district: string;
  districtName: string;
  hubDevice: string;
  hubKey: string;
  /** The hub's X25519 public key; null for a laptop enrolled with a hub before packages were sealed, until a sealed reply names it. */
  hubEncKey: string | null;
}

export function enrolment(store: Store): Enrolment | null {
  const server = getMeta(store, META.server);
  const district = getMeta(store, META.district);
  const hubDevice = getMeta(store, META.hubDevice);
  const hubKey = getMeta(store, META.hubKey);
  if (server === undefined || !district || !hubDevice || !hubKey) return null;
  return { server, district, districtName: getMeta(store, META.districtName) ?? '', hubDevice, hubKey, hubEncKey: getMeta(store, META.hubEncKey) ?? null };
}

export function saveEnrolment(store: Store, e: Enrolment): void {
  store.tx(() => {
    setMeta(store, META.server, e.server);
    setMeta(store, META.district, e.district);
    setMeta(store, META.districtName, e.districtName);
    setMeta(store, META.hubDevice, e.hubDevice);
    setMeta(store, META.hubKey, e.hubKey);
    if (e.hubEncKey) setMeta(store, META.hubEncKey, e.hubEncKey);
  });
}

const metaInt = (store: Store, key: string): number => Number(getMeta(store, key) ?? '0');

/** Local changes the hub has not acknowledged yet (the first `limit` of them). Region tables are the region's: never sent. */
export function pendingChanges(store: Store, limit?: number): WireChange[] {
  const { deviceId } = replicaOf(store);
  const query = qb
    .selectFrom('changes')
    .select(['device_seq', 'hlc', 'tbl', 'row_id', 'data', 'meta', 'author'])
    .where('device_id', '=', deviceId)
    .where('device_seq', '>', metaInt(store, META.acked))
    .where('tbl', 'not in', REGION_TABLES)
    .orderBy('device_seq');
  const rows = store.all(limit === undefined ? query : query.limit(limit));
  return rows.map((r) => ({
    d: deviceId,
    q: r.device_seq,
    h: r.hlc,
    t: r.tbl,
    r: r.row_id,
    v: JSON.parse(r.data),
    m: r.meta ? JSON.parse(r.meta) : null,
    ...(r.author ? { a: r.author } : {}),
  }));
}

export function pendingCount(store: Store): number {
  const { deviceId } = replicaOf(store);
  const r = store.first(
    qb
      .selectFrom('changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('device_id', '=', deviceId)
      .where('device_seq', '>', metaInt(store, META.acked))
      .where('tbl', 'not in', REGION_TABLES),
  );
  return r?.n ?? 0;
}

const SHA_COLUMN = /sha256$/;
const SHA = /^[0-9a-f]{64}$/;

/**
 * Attachment files the changes reference (columns named *sha256), read from `<dataDir>/blobs`;
 * with the laptop's data key (store.dataKey) decrypted, since packages carry plain bytes.
 */
export function blobsFor(changes: readonly WireChange[], blobDir: string, key: Buffer | null = null): Blob[] {
  const out: Blob[] = [];
  for (const sha256 of blobRefs(changes)) {
    const file = path.join(blobDir, sha256);
    if (!fs.existsSync(file)) continue;
    const bytes = key ? decodeBlob(fs.readFileSync(file), sha256, key) : fs.readFileSync(file);
    if (bytes) out.push({ sha256, bytes });
  }
  return out;
}

/** The attachments (SHA-256 of each, once) the changes reference. */
export function blobRefs(changes: readonly WireChange[]): string[] {
  const out = new Set<string>();
  for (const c of changes) {
    for (const [k, v] of Object.entries(c.v)) if (SHA_COLUMN.test(k) && typeof v === 'string' && SHA.test(v)) out.add(v);
  }
  return [...out];
}

/** Writes blobs atomically (temp file + rename), encrypted with the laptop's data key when given; an existing file with that name is already right. */
export function saveBlobs(blobs: readonly Blob[], blobDir: string, key: Buffer | null = null): void {
  if (!blobs.length) return;
  fs.mkdirSync(blobDir, { recursive: true });
  for (const b of blobs) {
    const file = path.join(blobDir, b.sha256);
    if (fs.existsSync(file)) continue;
    writeBlobFile(file, b.bytes, key);
  }
}

/**
 * The package for the hub: unacknowledged local changes, their blobs, and our cursor, announcing
 * our encryption key; sealed to the hub's key once the laptop knows it (a laptop enrolled
 * before packages were sealed sends plain until the hub's first sealed reply names it).
 */
export interface OutgoingOptions {
  confirmMassDelete?: boolean;
  /** A piece of the chunked exchange: at most this many changes, the oldest first. */
  limit?: number;
  /** false: no attachments (the chunked exchange sends them on their own resumable route first). */
  blobs?: boolean;
}

export function buildOutgoing(store: Store, dataDir: string, options: OutgoingOptions = {}): Uint8Array {
  const e = enrolment(store);
  if (!e) throw new SyncRefusal('not_enrolled', 'Ноутбук не подключён к региональному серверу: сначала введите код подключения.');
  // Changes a clock ahead stamped are stamped again first: the server would refuse them (core/rules/clock.ts).
  restampAhead(store, metaInt(store, META.acked));
  const changes = pendingChanges(store, options.limit);
  const signed = buildPackage(
    {
      schema: LATEST_SCHEMA_VERSION,
      minReaderSchema: 1,
      id: uuidv4(),
      createdAt: new Date().toISOString(),
      sender: { device: replicaOf(store).deviceId, district: e.district, role: 'device' },
      recipient: null,
      cursor: metaInt(store, META.cursor),
      hub: null,
      ack: null,
      ...resendRequest(store),
      ...(options.confirmMassDelete ? { confirmedMassDelete: true } : {}),
      encKey: deviceEncKeys(store).publicKey,
      ...(store.session ? { accounts: [{ id: store.session.accountId, personId: store.session.personId, role: store.session.role }] } : {}),
      ...codesOf(store),
    },
    changes,
    options.blobs === false ? [] : blobsFor(changes, path.join(dataDir, 'blobs'), store.dataKey),
    deviceKeys(store).privateKey,
  );
  return e.hubEncKey ? sealEnvelope(signed, e.hubEncKey) : signed;
}

function codesOf(store: Store): { codes?: OutgoingCode[] } {
  const codes = outgoingCodes(store);
  return codes.length ? { codes } : {};
}

/**
 * After a restore, every package names the own seqs the laptop lacks. For good, not until one
 * reply brought them: a package file the laptop exported before the restore may reach the hub
 * later, and its changes must come back too. The range ends at the restore, so changes made
 * since are never echoed back.
 */
function resendRequest(store: Store): { resendOwn?: { after: number; upto: number } } {
  const range = getMeta(store, META.resendOwn);
  return range === undefined ? {} : { resendOwn: JSON.parse(range) as { after: number; upto: number } };
}

/** A change of this laptop the regional server refused, as the Синхронизация screen lists it. */
export interface ServerRefusal {
  seq: number;
  table: string;
  rowId: string;
  reason: string;
  refusedAt: string;
}

/** How many refusals the screen lists (newest first); the rest stay in the table. */
const REFUSALS_SHOWN = 200;

function storeRefusals(store: Store, refused: NonNullable<ParsedPackage['manifest']['refused']>): void {
  const at = new Date().toISOString();
  const insert = store.prepare('INSERT OR IGNORE INTO sync_refusals (device_seq, tbl, row_id, reason, refused_at) VALUES (?, ?, ?, ?, ?)');
  for (const x of refused) insert.run(x.q, x.t, x.r, x.reason, at);
}

/** What the regional server refused of this laptop's changes, newest first. */
export function serverRefusals(store: Store): ServerRefusal[] {
  return store
    .all(qb.selectFrom('sync_refusals').selectAll().orderBy('device_seq', 'desc').limit(REFUSALS_SHOWN))
    .map((r) => ({ seq: r.device_seq, table: r.tbl, rowId: r.row_id, reason: r.reason, refusedAt: r.refused_at }));
}

export interface ImportOptions {
  /** The user confirmed that the package may delete many rows. */
  confirmMassDelete?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** The enrolment a reply to an enrolment request brings (enrolFile.ts): checked against, saved when the import completes. */
  enrolling?: { enrolment: Enrolment; dataDistrictId: string | null };
}

export interface ImportResult {
  applied: number;
  duplicate: number;
  deferred: number;
  more: boolean;
}

/** A package as it arrived, opened with this laptop's key when sealed (a hub talking to a laptop enrolled before encryption sends plain). */
export function unsealIncoming(store: Store, bytes: Uint8Array): Uint8Array {
  return isEnvelope(bytes) ? openEnvelope(bytes, deviceEncKeys(store)) : bytes;
}

export const hubMismatchMessage = (server: string): string =>
  `Сервер${server ? ` ${server}` : ''} не тот, к которому подключён этот ноутбук: его ключ отличается от запомненного при подключении. ` +
  'Ничего не изменено. Если сервер района переустановили, администратор региона должен выдать новый код подключения.';

const foreignDistrictMessage = (ours: string): string =>
  `Пакет из другого района${ours ? `: этот ноутбук работает с районом «${ours}»` : ''}. Ничего не изменено; загрузите пакет, полученный для своего района.`;

/**
 * Verifies a hub package against this laptop's enrolment; throws SyncRefusal with the reason.
 * The hub is pinned: a package from any other hub, or signed with another key, is refused.
 */
export function checkIncoming(store: Store, bytes: Uint8Array, options: ImportOptions = {}): ParsedPackage {
  const e = options.enrolling?.enrolment ?? enrolment(store);
  if (!e) throw new SyncRefusal('not_enrolled', 'Ноутбук не подключён к региональному серверу: пакет не от кого принимать.');
  const opened = openPackage(unsealIncoming(store, bytes));
  const sender = opened.manifest.sender;
  if (sender.role === 'hub' && sender.device !== e.hubDevice) throw new SyncRefusal('hub_mismatch', hubMismatchMessage(e.server));
  // Named before the sender's key is looked up: a package of another district (a reply for a
  // laptop there, or such a laptop's own package) is refused as that, not as an unknown sender.
  if (sender.district !== e.district) throw new SyncRefusal('foreign_district', foreignDistrictMessage(e.districtName));
  const pkg = verifyPackage(opened, sender.role === 'hub' ? e.hubKey : undefined);
  const m = pkg.manifest;
  const me = replicaOf(store).deviceId;
  if (m.recipient !== me || !m.hub) throw new SyncRefusal('foreign_recipient', 'Пакет предназначен другому ноутбуку этого района: загрузите пакет, выгруженный для этого ноутбука.');
  // The hub's encryption key, as its signed reply names it: learnt once, never replaced.
  if (m.encKey && e.hubEncKey && m.encKey !== e.hubEncKey) {
    throw new SyncRefusal('hub_enc_key_changed', 'Ключ шифрования сервера в пакете отличается от запомненного этим ноутбуком: пакет не принят, ничего не изменено.');
  }
  if (m.minReaderSchema > LATEST_SCHEMA_VERSION) {
    throw new SyncRefusal('newer_schema', `Пакет требует более новой версии программы (схема ${m.minReaderSchema}, у вас ${LATEST_SCHEMA_VERSION}). Обновите программу; ничего не изменено.`);
  }
  const done = store.first(qb.selectFrom('sync_imports').select('completed_at').where('package_id', '=', m.id));
  if (done?.completed_at) throw new SyncRefusal('replay', 'Этот пакет уже был загружен: повторная загрузка ничего не изменит.');
  const cursor = metaInt(store, META.cursor);
  if (m.hub.after > cursor) {
    throw new SyncRefusal('gap', `Пакет продолжает более поздний обмен: сначала загрузите предыдущий ответ сервера (ожидается продолжение с № ${cursor}).`);
  }
  if (!options.confirmMassDelete) {
    const n = massDeletion(store, pkg.chunks.flat());
    if (n) throw new SyncRefusal('mass_delete', massDeletionMessage(n.deleted, n.live, 'загрузите пакет снова'));
  }
  return pkg;
}

/** Live local rows the changes would tombstone, when that is suspiciously many. */
export function massDeletion(store: Store, changes: readonly WireChange[]): { deleted: number; live: number } | null {
  if (!couldBeMassDeletion(changes.reduce((n, c) => (typeof c.v.deleted_at === 'string' ? n + 1 : n), 0))) return null;
  const { deleted, live } = countDeletions(store, changes, 'live');
  return isMassDeletion(deleted, live) ? { deleted, live } : null;
}

/**
 * The same rule for what this laptop is about to send (a package file): rows its unsent
 * changes deleted, against the rows that were live before (live now + those), so the
 * coordinator confirms before the region's server would refuse the file.
 */
export function outgoingMassDeletion(store: Store): { deleted: number; live: number } | null {
  const { deleted, live } = countDeletions(store, pendingChanges(store), 'deleted');
  return isMassDeletion(deleted, live + deleted) ? { deleted, live: live + deleted } : null;
}

/**
 * Rows the changes tombstone that are now in `state` (live: incoming deletions not applied
 * yet; deleted: our own deletions already applied), and the live rows of the tables they touch.
 */
function countDeletions(store: Store, changes: readonly WireChange[], state: 'live' | 'deleted'): { deleted: number; live: number } {
  const targets = new Map<SyncedTable, Set<string>>();
  for (const c of changes) {
    // An unknown table here has nothing of ours to lose.
    if (typeof c.v.deleted_at !== 'string' || !isSynced(c.t)) continue;
    let s = targets.get(c.t);
    if (!s) targets.set(c.t, (s = new Set()));
    s.add(c.r);
  }
  let deleted = 0;
  let live = 0;
  for (const [t, ids] of targets) {
    live += liveRows(store, t);
    deleted += countRows(store, t, ids, state);
  }
  return { deleted, live };
}

const isSynced = (t: string): t is SyncedTable => (SYNCED_TABLES as readonly string[]).includes(t);

function liveRows(store: Store, table: SyncedTable): number {
  return store.first(qb.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null))?.n ?? 0;
}

/** How many of the ids are rows of the table that are live (or deleted); ids in slices, under SQLite's bound on parameters. */
function countRows(store: Store, table: SyncedTable, ids: ReadonlySet<string>, state: 'live' | 'deleted'): number {
  const all = [...ids];
  let n = 0;
  for (let i = 0; i < all.length; i += 500) {
    const slice = all.slice(i, i + 500);
    const q = qb
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'in', slice)
      .where('deleted_at', state === 'live' ? 'is' : 'is not', null);
    n += store.first(q)?.n ?? 0;
  }
  return n;
}

/**
 * Imports a verified hub package: blobs first (content-addressed, harmless if left over),
 * then each chunk in its own transaction with the progress recorded in the same transaction,
 * so a crash at any point resumes where it stopped; the last transaction moves the cursors.
 */
export function importPackage(store: Store, dataDir: string, bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  const pkg = checkIncoming(store, bytes, options);
  const m = pkg.manifest;
  // The server made the package at createdAt: a clock behind that is wrong (db/replica.ts).
  noteHubTimeAtLeast(store, Date.parse(m.createdAt));
  saveBlobs(pkg.blobs, path.join(dataDir, 'blobs'), store.dataKey);
  reapplyDeferred(store);
  const total = pkg.chunks.length;
  store.run(
    qb
      .insertInto('sync_imports')
      .values({ package_id: m.id, sender: m.sender.device, chunks_done: 0, chunks_total: total, started_at: new Date().toISOString(), completed_at: null })
      .onConflict((oc) => oc.column('package_id').doNothing()),
  );
  const start = store.first(qb.selectFrom('sync_imports').select('chunks_done').where('package_id', '=', m.id))?.chunks_done ?? 0;
  const result: ImportResult = { applied: 0, duplicate: 0, deferred: 0, more: m.hub?.more ?? false };
  const finish = () => {
    const joining = options.enrolling;
    if (joining) {
      saveEnrolment(store, joining.enrolment);
      if (joining.dataDistrictId && !getMeta(store, 'district_id')) setMeta(store, 'district_id', joining.dataDistrictId);
      store.run(qb.deleteFrom('meta').where('key', '=', META.enrolRequest));
    }
    store.run(qb.updateTable('sync_imports').set({ completed_at: new Date().toISOString() }).where('package_id', '=', m.id));
    if (m.encKey && !getMeta(store, META.hubEncKey)) setMeta(store, META.hubEncKey, m.encKey);
    if (m.hub && m.hub.upto > metaInt(store, META.cursor)) setMeta(store, META.cursor, String(m.hub.upto));
    // Stored with the ack that covers them, so a reply lost on the way leaves both for the next one.
    if (m.refused?.length) storeRefusals(store, m.refused);
    if (m.ack !== null && m.ack > metaInt(store, META.acked)) setMeta(store, META.acked, String(m.ack));
    setMeta(store, META.lastSync, new Date().toISOString());
    saveHubTime(store);
  };
  if (total === 0) store.tx(finish);
  for (let i = start; i < total; i++) {
    const r = applyChunk(store, pkg.chunks[i]!, () => {
      store.run(qb.updateTable('sync_imports').set({ chunks_done: i + 1 }).where('package_id', '=', m.id));
      if (i === total - 1) finish();
    }, pkg.valueTexts[i]);
    result.applied += r.applied;
    result.duplicate += r.duplicate;
    result.deferred += r.deferred;
    options.onProgress?.(i + 1, total);
  }
  return result;
}
