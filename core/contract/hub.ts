/**
 * The regional hub's HTTP API, declared once: each route's method, path, the zod schemas
 * of its parameters, query, JSON body and JSON answer, and its body limit. The server
 * (server/http.ts) registers its routes from this table and validates requests with these
 * schemas; the laptop's client (core/sync/client.ts) parses the answers with the same ones.
 * Packages travel as `application/octet-stream` (the same bytes as a USB file): a route
 * whose `body` or `reply` is `'package'` carries one.
 *
 * Device routes are authenticated by the `x-device-auth` header: the device id, a
 * timestamp in milliseconds, a random nonce and an Ed25519 signature by the device key over
 * `deviceAuthMessage(...)` (the method, the path with its query, the timestamp, the nonce
 * and the raw body), so the hub checks who sent a package before it opens it, and accepts
 * each request once.
 */
// zod from the contract's building blocks: its messages in Russian, as the hub sends them back.
import { z } from './common';
import { DISTRICT_ROLES } from '../rules/permissions';

/** The hub's error answer: a code and a Russian message. */
export const hubErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type HubErrorBody = z.infer<typeof hubErrorSchema>;

const id = z.string().regex(/^[\w-]{1,100}$/, 'Неверный идентификатор.');
const idParams = z.strictObject({ id });
const districtRow = z.object({ id: z.string(), name: z.string(), data_district_id: z.string().nullable(), created_at: z.string() });
const deviceRow = z.object({ id: z.string(), name: z.string(), enrolled_at: z.string(), revoked_at: z.string().nullable(), last_seen_at: z.string().nullable(), cursor: z.coerce.number() });
const named = z.strictObject({ name: z.string().trim().min(1).max(300) });
const region = z.object({ id: z.string(), name: z.string() });

const districtRole = z.enum(DISTRICT_ROLES);
/** The account a code binds a laptop to (server/accounts.ts). */
const boundAccount = z.object({ accountId: z.string(), personId: z.string().nullable(), role: districtRole });

/**
 * Device routes whose body is JSON travel as bytes (`'package'` in the table), so that the
 * device's signature covers exactly what was sent; the server parses them with these.
 */
export const accountCodeRequest = z.strictObject({ requester: id, personId: id, role: districtRole });
export const accountBindRequest = z.strictObject({ code: z.string().min(4).max(40), accountId: id.nullable() });

const KB = 1024;
const MB = 1024 * KB;
/** Packages over HTTP: the same bound a USB package has (core/sync/package.node.ts reads at most 512 MB), and room for the envelope it is sealed in (a 16-byte tag per 1 MiB chunk). */
export const PACKAGE_LIMIT = 513 * MB;
const JSON_LIMIT = 64 * KB;

/** The largest piece of an attachment in one request, and the most changes one reply piece may carry. */
export const BLOB_PIECE_MAX = 4 * MB;
export const REPLY_PIECE_MAX = 5000;
const sha = z.string().regex(/^[0-9a-f]{64}$/, 'Неверная ссылка на файл.');
const blobParams = z.strictObject({ id, sha });

export const DEVICE_AUTH_HEADER = 'x-device-auth';
/** How far a request's timestamp may be from the hub's clock (a laptop whose clock is off corrects by the hub's Date header and retries); the hub remembers each nonce this long. */
export const DEVICE_AUTH_WINDOW_MS = 10 * 60_000;

/** `<device>.<ms>.<nonce>.<base64 signature>`; the device id may not contain dots, the nonce (base64url) and the signature have none. */
export const deviceAuthSchema = z
  .string()
  .regex(/^([\w-]{1,100})\.(\d{1,15})\.([\w-]{16,64})\.([A-Za-z0-9+/]{40,200}={0,2})$/)
  .transform((s) => {
    const [device, ts, nonce, signature] = s.split('.') as [string, string, string, string];
    return { device, ts: Number(ts), nonce, signature };
  });
export type DeviceAuth = z.output<typeof deviceAuthSchema>;

/** What the device signs: the request line, the timestamp, the nonce (a request is accepted once), then the raw body. */
export function deviceAuthMessage(method: string, target: string, ts: number, nonce: string, body: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${method} ${target}\n${ts}\n${nonce}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

type Auth = 'none' | 'device' | 'admin';

export interface HubRoute {
  method: 'GET' | 'POST';
  url: string;
  auth: Auth;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body's schema, or a package. */
  body?: z.ZodType | 'package';
  /** A JSON answer's schema, or a package. */
  reply: z.ZodType | 'package';
  /** Bytes; refused with 413 while arriving. */
  limit: number;
}

const route = <R extends HubRoute>(r: R): R => r;

export const hubRoutes = {
  health: route({ method: 'GET', url: '/api/health', auth: 'none', reply: z.object({ ok: z.literal(true), hub: z.string() }), limit: 0 }),
  enrol: route({
    method: 'POST',
    url: '/api/enrol',
    auth: 'none',
    body: z.strictObject({
      code: z.string().min(4).max(40),
      device: id,
      publicKey: z.string().min(40).max(1000),
      /** The device's X25519 public key, that the hub seals its replies to (core/sync/envelope.node.ts). */
      encKey: z.string().min(40).max(1000).optional(),
      name: z.string().min(1).max(200),
      dataDistrictId: z.string().max(100).nullable(),
      /** The account the laptop proposes to bind: its id and, if known, its person (server/accounts.ts). */
      account: z.strictObject({ id, personId: id.nullable() }).optional(),
      /** The device's changes so far: the district history the laptop brings (accepted as they are with a coordinator's code). */
      historyUpto: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    }),
    reply: z.object({
      /** The account the code bound this laptop to (absent from a hub before accounts). */
      account: boundAccount.optional(),
      district: region,
      dataDistrictId: z.string().nullable(),
      /** The hub's signing key (pinned by the laptop) and its X25519 key (packages to it are sealed; absent from a hub before encryption). */
      hub: z.object({ device: z.string(), publicKey: z.string(), encKey: z.string().optional() }),
    }),
    limit: JSON_LIMIT,
  }),
  sync: route({ method: 'POST', url: '/api/sync', auth: 'device', body: 'package', reply: 'package', limit: PACKAGE_LIMIT }),
  districtSync: route({
    method: 'POST',
    url: '/api/districts/:id/sync',
    auth: 'device',
    params: idParams,
    /** The chunked exchange asks for a reply of at most `limit` changes and, with `blobs=0`, without attachments (they travel on the blob routes). */
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(REPLY_PIECE_MAX).optional(), blobs: z.enum(['0', '1']).optional() }),
    body: 'package',
    reply: 'package',
    limit: PACKAGE_LIMIT,
  }),
  /**
   * Attachments in resumable pieces (the tus idea: the hub says how much of a file it holds,
   * each piece names its offset and its SHA-256, whole pieces are appended in order, and the
   * finished file must hash to its name). Pieces are sealed like packages once the device has an
   * encryption key.
   */
  blobStatus: route({
    method: 'GET',
    url: '/api/districts/:id/blobs/:sha/status',
    auth: 'device',
    params: blobParams,
    /** `size`: the whole file's size when the hub holds it; `received`: bytes of this device's unfinished upload. */
    reply: z.object({ size: z.number().int().nullable(), received: z.number().int() }),
    limit: 0,
  }),
  blobUpload: route({
    method: 'POST',
    url: '/api/districts/:id/blobs/:sha/pieces',
    auth: 'device',
    params: blobParams,
    query: z.strictObject({ offset: z.coerce.number().int().min(0), total: z.coerce.number().int().min(1), sha256: sha }),
    body: 'package',
    reply: z.object({ received: z.number().int(), complete: z.boolean() }),
    limit: BLOB_PIECE_MAX + 64 * KB,
  }),
  blobDownload: route({
    method: 'GET',
    url: '/api/districts/:id/blobs/:sha/pieces',
    auth: 'device',
    params: blobParams,
    query: z.strictObject({ offset: z.coerce.number().int().min(0), length: z.coerce.number().int().min(1).max(BLOB_PIECE_MAX) }),
    reply: 'package',
    limit: 0,
  }),
  districtChanges: route({
    method: 'GET',
    url: '/api/districts/:id/changes',
    auth: 'device',
    params: idParams,
    query: z.strictObject({ after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0) }),
    reply: 'package',
    limit: 0,
  }),
  /** The coordinator issues a code for a person of the district, from a laptop bound to their account. */
  issueAccountCode: route({ method: 'POST', url: '/api/accounts/codes', auth: 'device', body: 'package', reply: z.object({ code: z.string(), expiresAt: z.string() }), limit: 4 * KB }),
  /** An enrolled laptop takes another account (a shared laptop, a forgotten password) with a code issued for it. */
  bindAccount: route({ method: 'POST', url: '/api/accounts/bind', auth: 'device', body: 'package', reply: boundAccount, limit: 4 * KB }),
  listDistricts: route({ method: 'GET', url: '/api/admin/districts', auth: 'admin', reply: z.array(districtRow), limit: 0 }),
  createDistrict: route({ method: 'POST', url: '/api/admin/districts', auth: 'admin', body: named, reply: region, limit: JSON_LIMIT }),
  createCode: route({ method: 'POST', url: '/api/admin/districts/:id/codes', auth: 'admin', params: idParams, reply: z.object({ code: z.string(), expiresAt: z.string() }), limit: JSON_LIMIT }),
  listDevices: route({ method: 'GET', url: '/api/admin/districts/:id/devices', auth: 'admin', params: idParams, reply: z.array(deviceRow), limit: 0 }),
  revokeDevice: route({ method: 'POST', url: '/api/admin/devices/:id/revoke', auth: 'admin', params: idParams, reply: z.object({ ok: z.literal(true) }), limit: JSON_LIMIT }),
  publishReference: route({
    method: 'POST',
    url: '/api/admin/reference',
    auth: 'admin',
    body: z.strictObject({
      table: z.string().max(60),
      rows: z.array(z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.union([z.string(), z.number(), z.null()]))).max(10_000),
    }),
    reply: z.object({ published: z.number() }),
    limit: 16 * MB,
  }),
  getRegion: route({ method: 'GET', url: '/api/admin/region', auth: 'admin', reply: region.nullable(), limit: 0 }),
  setRegion: route({ method: 'POST', url: '/api/admin/region', auth: 'admin', body: named, reply: region, limit: JSON_LIMIT }),
  importPackage: route({ method: 'POST', url: '/api/admin/import', auth: 'admin', body: 'package', reply: 'package', limit: PACKAGE_LIMIT }),
  /** A named account of the region page (scripts and tests; on the page an administrator does it with a form). */
  createAccount: route({
    method: 'POST',
    url: '/api/admin/accounts',
    auth: 'admin',
    body: z.strictObject({ name: z.string().min(1).max(60), role: z.enum(['admin', 'coordinator']), password: z.string().min(1).max(200) }),
    reply: z.object({ id: z.string(), name: z.string(), role: z.enum(['admin', 'coordinator']) }),
    limit: JSON_LIMIT,
  }),
  /** A laptop's enrolment request file (core/sync/enrolFile.node.ts) → its reply package. */
  enrolFile: route({ method: 'POST', url: '/api/admin/enrol-file', auth: 'admin', body: 'package', reply: 'package', limit: 128 * KB }),
} as const;

export type HubRoutes = typeof hubRoutes;
export type HubRouteName = keyof HubRoutes;
/** The JSON answer of a route, as the server must produce it. */
export type HubReply<N extends HubRouteName> = HubRoutes[N]['reply'] extends z.ZodType ? z.input<HubRoutes[N]['reply']> : Uint8Array;

/** A route's path with its `:name` parameters filled in (encoded). */
export function hubPath(url: string, params: Record<string, string> = {}): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`hubPath: нет параметра ${name} для ${url}`);
    return encodeURIComponent(v);
  });
}
