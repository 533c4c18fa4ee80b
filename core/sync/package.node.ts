/**
 * The sync package: one zip file, the same bytes over HTTP and on a USB stick.
 *
 *   manifest.json        format/schema version, sender, recipient, ranges, counts, SHA-256 of every part
 *   changes/NNNN.ndjson  the changes, one JSON per line, in chunks (each chunk is applied in one transaction)
 *   blobs/<sha256>       attachment files the changes reference
 *   signature            Ed25519 signature of manifest.json by the sender's device key (base64)
 *
 * The manifest carries every part's hash and is signed, so one signature check covers the
 * whole file. Reading is strict: anything unexpected refuses the package whole, with a
 * Russian message naming the reason, before a single change is applied.
 */
import { createHash, sign, verify } from 'node:crypto';
import { privateKeyOf, publicKeyOf } from './deviceKey.node';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import type { WireChange } from './apply';
import { checkColumns, type ColumnProblem } from './columns.node';
import { readZipOffThread } from './inflate.node';
import { checkChange, explainChange, mayHoldNul, type ChangeProblem } from './wireChange';
import { readZip, ZipLimitError, type ZipLimits } from './zip.node';
import { DISTRICT_ROLES, ROLES } from '../rules/permissions';
import { outgoingCode } from '../accounts/codes.node';

export const PACKAGE_FORMAT = 1;
export const CHUNK_SIZE = 2000;
/** Larger packages are refused before unzipping (a zip bomb must not exhaust memory). */
export const MAX_PACKAGE_BYTES = 512 * 1024 * 1024;
const MiB = 1024 * 1024;
/** What a package may unpack to: a floor for small packages, then a ratio no real package nears (changes compress about tenfold, attachments hardly). */
const MAX_UNZIPPED_BYTES = 1024 * MiB;
const UNZIPPED_FLOOR = 64 * MiB;
const UNZIPPED_RATIO = 64;
/** One part: a chunk of changes or an attachment (at most 20 MB, core/blobs.node.ts). */
const MAX_PART_BYTES = 64 * MiB;

/** The unpacking limits for a package of `packed` bytes; a name that is no part of a package gets next to nothing (it is refused later anyway). */
export function packageLimits(packed: number): ZipLimits {
  return {
    entry: (name) => (name === 'signature' ? 4096 : name === 'manifest.json' ? 16 * MiB : /^(changes|blobs)\//.test(name) ? MAX_PART_BYTES : 1024),
    total: Math.min(MAX_UNZIPPED_BYTES, UNZIPPED_FLOOR + UNZIPPED_RATIO * packed),
  };
}

export class SyncRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (reason: string, message: string): never => {
  throw new SyncRefusal(reason, message);
};

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const ident = z.string().min(1).max(100);

export const manifestSchema = z.strictObject({
  format: z.number().int().min(1),
  /** The sender's database schema version. */
  schema: z.number().int().min(1),
  /** The oldest reader schema that can apply this package safely (a breaking change raises it). */
  minReaderSchema: z.number().int().min(1),
  id: z.string().uuid(),
  createdAt: z.string().max(40),
  sender: z.strictObject({ device: ident, district: ident.nullable(), role: z.enum(['device', 'hub']) }),
  /** A hub reply is addressed to one device. */
  recipient: ident.nullable(),
  /** Device → hub: the last hub sequence the device has applied. */
  cursor: z.number().int().min(0),
  /** Hub → device: the hub sequences this package covers, (after, upto], and whether more follow. */
  hub: z.strictObject({ after: z.number().int().min(0), upto: z.number().int().min(0), more: z.boolean() }).nullable(),
  /** Hub → device: the recipient's own changes the hub holds, up to this seq. */
  ack: z.number().int().min(0).nullable(),
  ranges: z.array(z.strictObject({ device: ident, from: z.number().int().min(1), to: z.number().int().min(1), count: z.number().int().min(1) })),
  counts: z.strictObject({ changes: z.number().int().min(0), blobs: z.number().int().min(0), deletions: z.number().int().min(0) }),
  parts: z.array(z.strictObject({ name: z.string().regex(/^(changes\/\d{4}\.ndjson|blobs\/[0-9a-f]{64})$/), sha256: hex64, size: z.number().int().min(0) })),
  /**
   * Device → hub, from a laptop that restored a backup: its own changes with seqs in
   * (after, upto] — sent before the restore, after the backup was made — are missing from it;
   * the hub sends them back like another device's changes (core/sync/afterRestore.node.ts).
   */
  resendOwn: z.strictObject({ after: z.number().int().min(0), upto: z.number().int().min(0) }).optional(),
  /**
   * The sender's X25519 public key (SPKI PEM) that packages to it are sealed to (envelope.node.ts):
   * a device announces it in every package (the hub records it once, refuses a change); the hub
   * names its own in the replies it seals, so a laptop enrolled before encryption learns it.
   */
  encKey: z.string().min(40).max(1000).optional(),
  /**
   * Hub → device: the recipient's changes the hub refused (permissions, an unconfirmed author),
   * with the reason in Russian; `ack` counts them as handled, so they are not sent again.
   */
  refused: z
    .array(z.strictObject({ q: z.number().int().min(1), t: z.string().max(100), r: z.string().max(100), reason: z.string().max(2000) }))
    .max(100_000)
    .optional(),
  /**
   * Device → hub: the signed-in account that wrote the package's changes, so the hub can learn
   * the person of an account bound before its laptop knew the district's people, or bind the
   * first coordinator account of a device enrolled before accounts (server/accounts.ts).
   */
  accounts: z
    .array(z.strictObject({ id: ident, personId: ident.nullable(), role: z.enum(ROLES) }))
    .max(20)
    .optional(),
  /** Device → hub: one-time codes a coordinator issued on a laptop that syncs only by files (their hashes; core/accounts/codes.node.ts). */
  codes: z.array(outgoingCode).max(200).optional(),
  /** Device → hub: the user confirmed that the package may delete many rows (the hub checks the same rule as laptops). */
  confirmedMassDelete: z.boolean().optional(),
  /**
   * Hub → device, only in the reply to an enrolment request file (a laptop that is never
   * online): which request it answers, the district, and the hub's key the laptop will trust.
   */
  enrolment: z
    .strictObject({
      request: z.string().uuid(),
      district: z.strictObject({ id: ident, name: z.string().min(1).max(300) }),
      dataDistrictId: ident.nullable(),
      hubKey: z.string().min(40).max(1000),
      /** The account the code bound the laptop to (absent from a hub before accounts). */
      account: z.strictObject({ accountId: ident, personId: ident.nullable(), role: z.enum(DISTRICT_ROLES) }).optional(),
    })
    .optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export interface Blob {
  sha256: string;
  bytes: Uint8Array;
}

export type ManifestInput = Omit<Manifest, 'format' | 'ranges' | 'counts' | 'parts'>;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export function rangesOf(changes: readonly WireChange[]): Manifest['ranges'] {
  const by = new Map<string, { from: number; to: number; count: number }>();
  for (const c of changes) {
    const r = by.get(c.d);
    if (!r) by.set(c.d, { from: c.q, to: c.q, count: 1 });
    else {
      r.from = Math.min(r.from, c.q);
      r.to = Math.max(r.to, c.q);
      r.count += 1;
    }
  }
  return [...by].map(([device, r]) => ({ device, ...r }));
}

const isDeletion = (c: WireChange): boolean => typeof c.v.deleted_at === 'string' && c.v.deleted_at !== '';

const V_KEY = ',"v":{';

/**
 * The text of a valid change's `v` in its line, so the log can store it without serialising `v`
 * again; null when the line is not plainly laid out (then the log serialises `v`). Exact:
 * - with no backslash in the line no key is escaped, so a key "v" anywhere is written `"v"`; the line
 *   has one `"v"`, in V_KEY, so it is the one key "v" the parser read (`m` holds no objects
 *   under any key and `v` holds no objects at all, so V_KEY can only be the change's own key);
 * - `v` holds no objects, so its first '}' outside a string closes it; a '}' inside a string is
 *   followed by more of the string, never by what follows `v` at the top level of a valid line
 *   (`,"m":`, `,"s":` or the line's final '}').
 */
export function valuesText(line: string): string | null {
  const key = line.indexOf(V_KEY);
  if (key < 0 || line.indexOf('"v"') !== key + 1 || line.lastIndexOf('"v"') !== key + 1 || line.includes('\\')) return null;
  const start = key + V_KEY.length - 1;
  const end = line.indexOf('}', start) + 1;
  if (end === 0) return null;
  const closes = end === line.length - 1 ? line.charCodeAt(end) === 0x7d : line.startsWith(',"m":', end) || line.startsWith(',"s":', end);
  return closes ? line.slice(start, end) : null;
}

/** Builds and signs a package. `privateKeyPem` is the sender's Ed25519 key. */
export function buildPackage(input: ManifestInput, changes: readonly WireChange[], blobs: readonly Blob[], privateKeyPem: string, chunkSize = CHUNK_SIZE): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const parts: Manifest['parts'] = [];
  for (let i = 0, n = 0; i < changes.length; i += chunkSize, n++) {
    const name = `changes/${String(n).padStart(4, '0')}.ndjson`;
    const bytes = strToU8(changes.slice(i, i + chunkSize).map((c) => JSON.stringify(c)).join('\n'));
    files[name] = bytes;
    parts.push({ name, sha256: sha256(bytes), size: bytes.length });
  }
  for (const b of blobs) {
    const name = `blobs/${b.sha256}`;
    if (files[name]) continue;
    files[name] = b.bytes;
    parts.push({ name, sha256: sha256(b.bytes), size: b.bytes.length });
  }
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    ...input,
    ranges: rangesOf(changes),
    counts: { changes: changes.length, blobs: parts.length - Math.ceil(changes.length / chunkSize), deletions: changes.filter(isDeletion).length },
    parts,
  };
  const manifestBytes = strToU8(JSON.stringify(manifest));
  files['manifest.json'] = manifestBytes;
  files['signature'] = strToU8(sign(null, manifestBytes, privateKeyOf(privateKeyPem)).toString('base64'));
  // Changes compress well; blobs (PDF, photos) usually do not, so store them as they are.
  return zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}

export interface ParsedPackage {
  manifest: Manifest;
  /** Changes in chunks, as the sender cut them. */
  chunks: WireChange[][];
  /** Beside each change, the text of its `v` as the line holds it, or null (see valuesText). */
  valueTexts: (string | null)[][];
  blobs: Blob[];
  bytes: number;
}

/**
 * Why a change (JSON.parse output) cannot travel in a package, or null: its shape, clocks, ids
 * and text (wireChange.ts), then its table, columns and value types (columns.node.ts).
 * `fromNewerSchema`: the package declares a schema newer than this version's.
 */
export function changeProblem(obj: unknown, fromNewerSchema: boolean): ChangeProblem | ColumnProblem | null {
  const c = checkChange(obj);
  return c ? checkColumns(c, fromNewerSchema) : explainChange(obj);
}

/** Looks up the registered public key (SPKI PEM) of a sender; undefined when unknown. */
export type KeyLookup = (device: string, role: Manifest['sender']['role']) => string | undefined;

/** A package unzipped with its manifest parsed, before the signature is checked. */
export interface OpenedPackage {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  signature: Uint8Array;
  files: Record<string, Uint8Array>;
  bytes: number;
}

/**
 * Unpacks and verifies a package: structure, signature, every part's hash, counts and
 * ranges. Throws SyncRefusal; never returns a partly valid package.
 */
export function readPackage(bytes: Uint8Array, keyOf: KeyLookup): ParsedPackage {
  const opened = openPackage(bytes);
  return verifyPackage(opened, keyOf(opened.manifest.sender.device, opened.manifest.sender.role));
}

/** Step one (the hub needs the sender before it can look its key up asynchronously). */
export function openPackage(bytes: Uint8Array): OpenedPackage {
  checkPackedSize(bytes);
  let files: Record<string, Uint8Array>;
  try {
    files = readZip(bytes, packageLimits(bytes.length));
  } catch (e) {
    return refuseUnzip(e);
  }
  return openedFrom(files, bytes);
}

/** openPackage with the unzipping in a worker thread (the hub: a package must not stall other requests). */
export async function openPackageOffThread(bytes: Uint8Array): Promise<OpenedPackage> {
  checkPackedSize(bytes);
  let files: Record<string, Uint8Array>;
  try {
    files = await readZipOffThread(bytes, packageLimits(bytes.length));
  } catch (e) {
    return refuseUnzip(e);
  }
  return openedFrom(files, bytes);
}

function checkPackedSize(bytes: Uint8Array): void {
  if (bytes.length === 0) refuse('empty', 'Файл пакета пуст.');
  if (bytes.length > MAX_PACKAGE_BYTES) refuse('too_big', 'Пакет слишком большой: больше 512 МБ.');
}

function refuseUnzip(e: unknown): never {
  if (e instanceof ZipLimitError) {
    refuse('too_big_unpacked', `Пакет распаковывается в недопустимо большой объём (часть больше ${MAX_PART_BYTES / MiB} МБ или всё вместе больше допустимого для файла такого размера): это не пакет синхронизации. Ничего не изменено.`);
  }
  return refuse('corrupt', 'Файл пакета повреждён или обрезан: его не удалось распаковать. Передайте файл заново.');
}

function openedFrom(files: Record<string, Uint8Array>, bytes: Uint8Array): OpenedPackage {
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) return refuse('no_manifest', 'В пакете нет оглавления (manifest.json): это не пакет синхронизации или он повреждён.');
  const signature = files['signature'];
  if (!signature || signature.length === 0) return refuse('unsigned', 'Пакет не подписан: его нельзя принять, источник не подтверждён.');
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(manifestBytes));
  } catch {
    return refuse('bad_manifest', 'Оглавление пакета повреждено: это не JSON.');
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format > PACKAGE_FORMAT) {
    refuse('newer_format', `Пакет создан более новой версией программы (формат ${format}, эта версия понимает ${PACKAGE_FORMAT}). Обновите программу и загрузите пакет снова.`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return refuse('bad_manifest', 'Оглавление пакета не соответствует формату: пакет повреждён или подделан.');
  return { manifest: parsed.data, manifestBytes, signature, files, bytes: bytes.length };
}

/** Step two: signature with the sender's registered key, then every part. */
export function verifyPackage(opened: OpenedPackage, key: string | undefined): ParsedPackage {
  const { manifest, manifestBytes, signature, files } = opened;
  if (!key) {
    refuse(
      'unknown_sender',
      manifest.sender.role === 'hub'
        ? 'Пакет подписан неизвестным сервером: этот ноутбук не подключён к нему.'
        : 'Пакет подписан неизвестным или отключённым устройством: его нельзя принять.',
    );
  }
  let ok: boolean;
  try {
    ok = verify(null, manifestBytes, publicKeyOf(key!), Buffer.from(strFromU8(signature), 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) refuse('bad_signature', 'Подпись пакета неверна: файл изменён после подписи или подписан чужим ключом.');

  const expected = new Set(['manifest.json', 'signature', ...manifest.parts.map((p) => p.name)]);
  for (const name of Object.keys(files)) {
    if (!expected.has(name)) refuse('extra_part', `В пакете лишний файл «${name.slice(0, 80)}», которого нет в оглавлении.`);
  }
  const chunks: WireChange[][] = [];
  const valueTexts: (string | null)[][] = [];
  const blobs: Blob[] = [];
  // Tables and columns this version does not know are a newer version's only in a newer version's package.
  const newer = manifest.schema > LATEST_SCHEMA_VERSION;
  for (const p of manifest.parts) {
    const data = files[p.name];
    if (!data) return refuse('missing_part', `В пакете не хватает части «${p.name}»: файл обрезан.`);
    if (data.length !== p.size || sha256(data) !== p.sha256) refuse('bad_hash', `Контрольная сумма части «${p.name}» не совпадает: файл повреждён.`);
    if (p.name.startsWith('blobs/')) {
      const sha = p.name.slice(6);
      if (sha256(data) !== sha) refuse('bad_blob', `Вложение ${sha.slice(0, 12)}… не совпадает со своей суммой.`);
      blobs.push({ sha256: sha, bytes: data });
      continue;
    }
    const text = strFromU8(data);
    const chunk: WireChange[] = [];
    const texts: (string | null)[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        return refuse('bad_change', `Часть «${p.name}» содержит повреждённую запись.`);
      }
      const c = checkChange(obj, mayHoldNul(line));
      const problem = c ? checkColumns(c, newer) : explainChange(obj);
      if (!c || problem) return refuse(problem!.reason, problem!.message);
      chunk.push(c);
      texts.push(valuesText(line));
    }
    chunks.push(chunk);
    valueTexts.push(texts);
  }
  // One pass over the changes for the counts, the ranges and whether each author's seqs only
  // grow (then none repeats); an author whose seqs do not is checked for repeats with a set.
  let total = 0;
  let deletions = 0;
  const ranges = new Map<string, { from: number; to: number; count: number; last: number; ordered: boolean }>();
  for (const chunk of chunks) {
    total += chunk.length;
    for (const c of chunk) {
      if (isDeletion(c)) deletions += 1;
      const r = ranges.get(c.d);
      if (!r) ranges.set(c.d, { from: c.q, to: c.q, count: 1, last: c.q, ordered: true });
      else {
        if (c.q < r.from) r.from = c.q;
        if (c.q > r.to) r.to = c.q;
        r.count += 1;
        if (c.q <= r.last) r.ordered = false;
        r.last = c.q;
      }
    }
  }
  if (total !== manifest.counts.changes || blobs.length !== manifest.counts.blobs || deletions !== manifest.counts.deletions) {
    refuse('bad_counts', 'Число записей в пакете не совпадает с оглавлением.');
  }
  const declared = new Map(manifest.ranges.map((r) => [r.device, r]));
  if (ranges.size !== manifest.ranges.length || [...ranges].some(([device, r]) => {
    const d = declared.get(device);
    return !d || d.from !== r.from || d.to !== r.to || d.count !== r.count;
  })) {
    refuse('bad_ranges', 'Диапазоны изменений в пакете не совпадают с оглавлением.');
  }
  const seqs = new Map<string, Set<number>>();
  for (const chunk of chunks) {
    for (const c of chunk) {
      if (ranges.get(c.d)!.ordered) continue;
      let seen = seqs.get(c.d);
      if (!seen) seqs.set(c.d, (seen = new Set()));
      if (seen.has(c.q)) refuse('duplicate_change', 'В пакете одно и то же изменение записано дважды.');
      seen.add(c.q);
    }
  }
  return { manifest, chunks, valueTexts, blobs, bytes: opened.bytes };
}
