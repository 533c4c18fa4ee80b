/**
 * The hub's HTTP API on Fastify. Every route, with its request and answer schemas and its
 * body limit, is declared once in core/contract/hub.ts; this file registers them and says
 * what each does. Errors are `{ error: { code, message } }` with a Russian message.
 *
 *   GET  /api/health                         instant: the hub answers
 *   POST /api/enrol                          { code, device, publicKey, name, dataDistrictId } → enrolment
 *   POST /api/sync                           device package → reply package
 *   POST /api/districts/:id/sync             the same, and the route's district must be the device's
 *   POST /api/districts/:id/sync?limit=N&blobs=0   a piece of the chunked exchange: a reply of at most N changes, no attachments
 *   GET  /api/districts/:id/changes?after=N  reply package
 *   GET  /api/districts/:id/blobs/:sha/status            { size, received }: the hub's file, this device's unfinished upload
 *   POST /api/districts/:id/blobs/:sha/pieces?offset=&total=&sha256=   one piece of an upload, appended at its offset
 *   GET  /api/districts/:id/blobs/:sha/pieces?offset=&length=          one piece of a download
 *     (device routes carry x-device-auth: device id, timestamp, nonce, Ed25519 signature over the request and its raw body;
 *      a nonce is accepted once, a timestamp only within ±10 minutes of the hub's clock)
 *   admin (Authorization: Bearer <token from admin-token.txt>):
 *   GET|POST /api/admin/districts, POST /api/admin/districts/:id/codes, GET /api/admin/districts/:id/devices,
 *   POST /api/admin/devices/:id/revoke, POST /api/admin/reference, GET|POST /api/admin/region ({ name }: the region published to every district), POST /api/admin/import (USB package → reply file),
 *   POST /api/admin/enrol-file (a laptop's enrolment request file → its reply package: enrolment + the district),
 *   POST /api/admin/accounts ({ name, role: admin|coordinator, password }: a named account of the region page);
 *   the admin actions (district, code, revoke, enrolment by file, account) go to the audit log
 *   GET /region — the region's page, named accounts with sessions (see server/regionPage.ts, server/regionAccounts.ts)
 *
 * Cheap checks come before costly work: the admin key and the device (enrolled, active,
 * a fresh timestamp) are checked before the body is read, the signature over the raw
 * bytes before a package is opened, and every body is refused at its limit as it arrives.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accountBindRequest, accountCodeRequest, DEVICE_AUTH_HEADER, DEVICE_AUTH_WINDOW_MS, deviceAuthSchema, hubRoutes, type HubReply, type HubRoute, type HubRouteName } from '../core/contract/hub';
import { deviceAuthValid } from '../core/sync/requestAuth.node';
import { Hub, HubError, type ReplyOptions } from './hub';
import { BlobTransfers } from './blobTransfer';
import { isEnvelope, openEnvelope, sealEnvelope } from '../core/sync/envelope.node';
import { API_KEY_ACTOR, RegionAccounts } from './regionAccounts';
import { registerRegionPage } from './regionPage';
import { hardenedServer, jsonWithoutNul, registerSecurityHeaders, russianFrameworkError, type ServerLimits } from '../core/http/fastify.node';

type Device = Awaited<ReturnType<Hub['activeDevice']>>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The device a device route's header names, looked up before the body is read. */
    hubDevice?: { device: Device; auth: z.output<typeof deviceAuthSchema> };
  }
}

const fail = (status: number, code: string, message: string): HubError => new HubError(status, code, message);

function requireAdmin(hub: Hub, req: FastifyRequest): void {
  const auth = req.headers.authorization ?? '';
  if (!hub.isAdmin(auth.startsWith('Bearer ') ? auth.slice(7) : undefined)) throw fail(401, 'not_admin', 'Нужен ключ администратора региона.');
}

/** Who sent it, before the body is read: a well-formed header, an enrolled active device, a timestamp near the hub's clock. */
async function identifyDevice(hub: Hub, req: FastifyRequest, now: number): Promise<void> {
  const header = req.headers[DEVICE_AUTH_HEADER];
  if (header === undefined) throw fail(401, 'no_auth', 'Запрос без подписи устройства.');
  const parsed = deviceAuthSchema.safeParse(header);
  if (!parsed.success) throw fail(401, 'bad_auth', 'Подпись запроса устройства повреждена.');
  if (Math.abs(now - parsed.data.ts) > DEVICE_AUTH_WINDOW_MS) {
    throw fail(401, 'stale_auth', 'Часы ноутбука расходятся с часами сервера: подпись запроса устарела.');
  }
  req.hubDevice = { device: await hub.activeDevice(parsed.data.device), auth: parsed.data };
}

/**
 * The signature over the raw bytes, after they arrived and before anything opens them; then
 * its nonce, recorded until the timestamp leaves the window, so a captured request is not
 * accepted twice.
 */
async function signedDevice(hub: Hub, req: FastifyRequest, body: Uint8Array, now: number): Promise<Device> {
  const who = req.hubDevice;
  if (!who || !deviceAuthValid(who.auth, who.device.public_key, req.method, req.url, body)) throw fail(401, 'bad_auth', 'Подпись запроса неверна.');
  if (!(await hub.firstUseOfNonce(who.device.id, who.auth.nonce, who.auth.ts + DEVICE_AUTH_WINDOW_MS, now))) {
    throw fail(401, 'replayed_auth', 'Этот запрос уже был принят сервером: повтор перехваченного запроса отклонён.');
  }
  return who.device;
}

const bytesOf = (body: unknown): Uint8Array => {
  if (body === undefined) return new Uint8Array(0);
  if (!(body instanceof Uint8Array)) throw fail(415, 'not_package', 'Ожидается пакет (application/octet-stream).');
  return body;
};

/** A signed JSON body (sent as bytes so the signature covers it), parsed with its schema from the contract. */
function jsonOf<T>(body: Uint8Array, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw fail(400, 'bad_json', 'Тело запроса — не JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fail(400, 'validation', `Неверный запрос: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

const paramsOf = (req: FastifyRequest) => req.params as z.output<typeof hubRoutes.districtSync.params>;
const blobParamsOf = (req: FastifyRequest) => req.params as z.output<typeof hubRoutes.blobStatus.params>;

/** A piece of an attachment as sent: sealed to the hub by a device that has an encryption key, as its packages are. */
function openPiece(hub: Hub, device: Device, body: Uint8Array): Uint8Array {
  if (!device.enc_key) return body;
  if (!isEnvelope(body)) throw fail(400, 'not_sealed', 'Часть файла не зашифрована, а это устройство передаёт только зашифрованные данные: не принята.');
  try {
    return openEnvelope(body, { publicKey: hub.identity.encPublicKey, privateKey: hub.identity.encPrivateKey });
  } catch (e) {
    throw fail(400, 'bad_piece', e instanceof Error ? e.message : 'Часть файла повреждена.');
  }
}

/** What each route does, typed by its answer in the contract. */
type Handlers = { [N in HubRouteName]: (req: FastifyRequest) => Promise<HubReply<N>> };

function handlers(hub: Hub, now: () => number, accounts: RegionAccounts): Handlers {
  const audit = (action: string, detail: string) => accounts.audit(API_KEY_ACTOR, action, detail);
  const push = async (req: FastifyRequest, routeDistrict?: string, replyOptions: ReplyOptions = {}) => {
    const body = bytesOf(req.body);
    const device = await signedDevice(hub, req, body, now());
    if (routeDistrict !== undefined && routeDistrict !== device.district_id) {
      throw fail(403, 'foreign_district', 'Устройство может обмениваться данными только своего района.');
    }
    return hub.push(body, device.district_id, device.id, replyOptions, now());
  };
  const blobs = new BlobTransfers(hub);
  /** A blob route's signed device, of the route's district. */
  const districtDevice = async (req: FastifyRequest, body: Uint8Array) => {
    const device = await signedDevice(hub, req, body, now());
    if (device.district_id !== paramsOf(req).id) throw fail(403, 'foreign_district', 'Устройство может обмениваться файлами только своего района.');
    return device;
  };
  return {
    health: async () => ({ ok: true, hub: hub.identity.device }),
    enrol: async (req) => hub.enrol(req.body as z.output<typeof hubRoutes.enrol.body>),
    sync: (req) => push(req),
    districtSync: (req) => {
      const q = req.query as z.output<typeof hubRoutes.districtSync.query>;
      return push(req, paramsOf(req).id, { ...(q.limit ? { limit: q.limit } : {}), ...(q.blobs === '0' ? { blobs: false } : {}) });
    },
    blobStatus: async (req) => {
      const device = await districtDevice(req, new Uint8Array(0));
      return blobs.status(device.id, blobParamsOf(req).sha);
    },
    blobUpload: async (req) => {
      const body = bytesOf(req.body);
      const device = await districtDevice(req, body);
      const q = req.query as z.output<typeof hubRoutes.blobUpload.query>;
      return blobs.receive(device.id, blobParamsOf(req).sha, { ...q, bytes: openPiece(hub, device, body) });
    },
    blobDownload: async (req) => {
      const device = await districtDevice(req, new Uint8Array(0));
      const q = req.query as z.output<typeof hubRoutes.blobDownload.query>;
      const bytes = await blobs.slice(device.district_id, blobParamsOf(req).sha, q.offset, q.length);
      return device.enc_key ? sealEnvelope(bytes, device.enc_key) : bytes;
    },
    districtChanges: async (req) => {
      const device = await signedDevice(hub, req, new Uint8Array(0), now());
      if (device.district_id !== paramsOf(req).id) throw fail(403, 'foreign_district', 'Устройство может получать данные только своего района.');
      return hub.reply(device.id, device.district_id, (req.query as z.output<typeof hubRoutes.districtChanges.query>).after);
    },
    issueAccountCode: async (req) => {
      const body = bytesOf(req.body);
      const device = await signedDevice(hub, req, body, now());
      return hub.issueAccountCode(device.id, jsonOf(body, accountCodeRequest));
    },
    bindAccount: async (req) => {
      const body = bytesOf(req.body);
      const device = await signedDevice(hub, req, body, now());
      return hub.bindAccount(device.id, jsonOf(body, accountBindRequest));
    },
    listDistricts: () => hub.listDistricts(),
    createDistrict: async (req) => {
      const d = await hub.createDistrict((req.body as z.output<typeof hubRoutes.createDistrict.body>).name);
      await audit('Район создан', d.name);
      return d;
    },
    createCode: async (req) => {
      const issued = await hub.createCode(paramsOf(req).id);
      await audit('Выдан код подключения', (await hub.district(paramsOf(req).id)).name);
      return issued;
    },
    listDevices: (req) => hub.listDevices(paramsOf(req).id),
    revokeDevice: async (req) => {
      await hub.revokeDevice(paramsOf(req).id);
      await audit('Устройство отключено', paramsOf(req).id);
      return { ok: true };
    },
    publishReference: async (req) => {
      const body = req.body as z.output<typeof hubRoutes.publishReference.body>;
      return { published: await hub.publishReference(body.table, body.rows) };
    },
    getRegion: () => hub.region(),
    setRegion: async (req) => hub.setRegion((req.body as z.output<typeof hubRoutes.setRegion.body>).name),
    importPackage: async (req) => hub.push(bytesOf(req.body)),
    enrolFile: async (req) => {
      const enrolled = await hub.enrolFromFile(bytesOf(req.body));
      await audit('Подключение через файл', `${enrolled.district.name}: устройство ${enrolled.device}`);
      return enrolled.reply;
    },
    createAccount: async (req) => {
      const body = req.body as z.output<typeof hubRoutes.createAccount.body>;
      return accounts.createUser(API_KEY_ACTOR, body.name, body.role, body.password);
    },
  };
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } });
}

/** Every error becomes data: a refusal with its status, a framework error in Russian, anything else a logged 500. */
function onError(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HubError) return sendError(reply, error.status, error.code, error.message);
  const known = russianFrameworkError(error);
  if (known) return sendError(reply, known.status, known.code, known.message);
  console.error('[hub]', req.method, req.url, error);
  return sendError(reply, 500, 'internal', 'Внутренняя ошибка сервера: запрос не выполнен, повторите позже.');
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function registerApi(app: FastifyInstance, hub: Hub, now: () => number, accounts: RegionAccounts): void {
  const run = handlers(hub, now, accounts);
  const methodsOf = new Map<string, Set<string>>();
  for (const [name, r] of Object.entries(hubRoutes) as [HubRouteName, HubRoute][]) {
    methodsOf.set(r.url, (methodsOf.get(r.url) ?? new Set()).add(r.method));
    const handler = run[name] as (req: FastifyRequest) => Promise<unknown>;
    app.route({
      method: r.method,
      url: r.url,
      ...(r.limit ? { bodyLimit: r.limit } : {}),
      schema: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.query ? { querystring: r.query } : {}),
        ...(r.body && r.body !== 'package' ? { body: r.body } : {}),
      },
      onRequest: async (req) => {
        if (r.auth === 'admin') requireAdmin(hub, req);
        if (r.auth === 'device') await identifyDevice(hub, req, now());
      },
      handler: async (req, reply) => {
        const out = await handler(req);
        if (out instanceof Uint8Array) return reply.type('application/octet-stream').send(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(out));
      },
    });
  }
  // A known address with another method is 405, not 404.
  for (const [url, methods] of methodsOf) {
    // Fastify answers HEAD wherever there is a GET.
    if (methods.has('GET')) methods.add('HEAD');
    const others = HTTP_METHODS.filter((m) => !methods.has(m));
    app.route({ method: others, url, handler: async (_req, reply) => sendError(reply.header('allow', [...methods].join(', ')), 405, 'method', 'Этот метод для этого адреса не поддерживается.') });
  }
}

export interface HubServerOptions extends ServerLimits {
  /** The hub's clock for device signatures and the Date header a laptop corrects its own by (tests set it apart from the laptop's). */
  now?: () => number;
}

/** The hub's Fastify app (not listening): the API, the region's page, security headers, errors as data. */
export async function buildHubApp(hub: Hub, options: HubServerOptions = {}): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const accounts = new RegionAccounts(hub.db, now);
  const app = Fastify({
    ...hardenedServer(options),
    frameworkErrors: (error, _req, reply) => {
      const known = russianFrameworkError(error) ?? { status: 400, code: 'bad_request', message: 'Неверный запрос.' };
      void sendError(reply, known.status, known.code, known.message);
    },
  });
  await registerSecurityHeaders(app, { csp: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"] } });
  app.setValidatorCompiler(({ schema }) => zodValidator(schema as z.ZodType));
  app.setErrorHandler(onError);
  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'not_found', 'Нет такого адреса.'));
  await app.register(async (api) => {
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('application/json', { parseAs: 'string' }, jsonWithoutNul);
    // Packages arrive as octet-stream, or with no or any other type (curl, the USB route's tools): the bytes as they are.
    api.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    // The clock device signatures are checked against, told in every answer's Date header.
    api.addHook('onSend', async (_req, reply, payload) => {
      reply.header('date', new Date(now()).toUTCString());
      return payload;
    });
    registerApi(api, hub, now, accounts);
  });
  await app.register(async (page) => registerRegionPage(page, hub, accounts));
  return app;
}

/** A zod schema as Fastify's validator: the parsed value replaces the raw one (coercions and defaults included). */
export function zodValidator(schema: z.ZodType) {
  return (data: unknown) => {
    const r = schema.safeParse(data);
    if (r.success) return { value: r.data };
    const issue = r.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { error: new HubError(400, 'validation', `Неверные данные запроса: ${where}${issue?.message ?? 'не по схеме'}.`) };
  };
}

export interface RunningHub {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export async function listen(hub: Hub, port: number, host = '127.0.0.1', options: HubServerOptions = {}): Promise<RunningHub> {
  const app = await buildHubApp(hub, options);
  await app.listen({ port, host });
  const addr = app.server.address() as AddressInfo;
  return { url: `${options.tls ? 'https' : 'http'}://${host}:${addr.port}`, port: addr.port, server: app.server, close: () => app.close() };
}
