/**
 * The hub's HTTP API. Packages travel as `application/octet-stream` (the same bytes as a
 * USB file); everything else is JSON. Errors are `{ error: { code, message } }` with a
 * Russian message.
 *
 *   POST /api/enrol                          { code, device, publicKey, name, dataDistrictId } → enrolment
 *   POST /api/sync                           device package → reply package (signature = authentication)
 *   POST /api/districts/:id/sync             the same, and the route's district must be the device's
 *   GET  /api/districts/:id/changes?after=N  reply package; header X-Device-Auth: <device>.<Ed25519 sig of "GET <path+query>">
 *   admin (Authorization: Bearer <token from admin-token.txt>):
 *   GET|POST /api/admin/districts, POST /api/admin/districts/:id/codes, GET /api/admin/districts/:id/devices,
 *   POST /api/admin/devices/:id/revoke, POST /api/admin/reference, GET|POST /api/admin/region ({ name }: the region published to every district), POST /api/admin/import (USB package → reply file),
 *   POST /api/admin/enrol-file (a laptop's enrolment request file → its reply package: enrolment + the district)
 *   GET /region — the regional coordinator's read-only page (see server/regionPage.ts)
 */
import { createPublicKey, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { MAX_PACKAGE_BYTES } from '../core/sync/package.node';
import { Hub, HubError } from './hub';
import { handleRegionPage } from './regionPage';

const MAX_JSON = 4 * 1024 * 1024;

const enrolSchema = z.strictObject({
  code: z.string().min(4).max(40),
  device: z.string().min(1).max(100),
  publicKey: z.string().min(40).max(1000),
  name: z.string().min(1).max(200),
  dataDistrictId: z.string().max(100).nullable(),
});
const districtSchema = z.strictObject({ name: z.string().trim().min(1).max(300) });
const referenceSchema = z.strictObject({
  table: z.string().max(60),
  rows: z.array(z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.union([z.string(), z.number(), z.null()]))).max(10_000),
});

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > limit) {
        reject(new HubError(413, 'too_big', 'Слишком большой запрос.'));
        req.destroy();
        return;
      }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
    req.on('aborted', () => reject(new HubError(400, 'aborted', 'Передача прервана.')));
  });
}

async function json<T>(req: http.IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const body = await readBody(req, MAX_JSON);
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new HubError(400, 'bad_json', 'Тело запроса — не JSON.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HubError(400, 'validation', 'Неверные данные запроса.');
  return parsed.data;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (body instanceof Uint8Array) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Device authentication for GET: a signature of the request line by the device key. */
async function deviceFromHeader(hub: Hub, req: http.IncomingMessage, target: string) {
  const header = req.headers['x-device-auth'];
  const value = Array.isArray(header) ? header[0] : header;
  const dot = value?.lastIndexOf('.') ?? -1;
  if (!value || dot <= 0) throw new HubError(401, 'no_auth', 'Запрос без подписи устройства.');
  const device = await hub.activeDevice(value.slice(0, dot));
  let ok = false;
  try {
    ok = verify(null, Buffer.from(`GET ${target}`), createPublicKey(device.public_key), Buffer.from(value.slice(dot + 1), 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) throw new HubError(401, 'bad_auth', 'Подпись запроса неверна.');
  return device;
}

function requireAdmin(hub: Hub, req: http.IncomingMessage): void {
  const auth = req.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
  if (!hub.isAdmin(token)) throw new HubError(401, 'not_admin', 'Нужен ключ администратора региона.');
}

export async function handle(hub: Hub, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://hub');
  const p = url.pathname;
  const method = req.method ?? 'GET';
  let m: RegExpExecArray | null;
  if (method === 'GET' && p === '/api/health') return send(res, 200, { ok: true, hub: hub.identity.device });
  // The regional coordinator's read-only page (HTML, its own login): server/regionPage.ts.
  if (await handleRegionPage(hub, req, res, url)) return;
  if (method === 'POST' && p === '/api/enrol') return send(res, 200, await hub.enrol(await json(req, enrolSchema)));
  if (method === 'POST' && p === '/api/sync') return send(res, 200, await hub.push(await readBody(req, MAX_PACKAGE_BYTES)));
  if (method === 'POST' && (m = /^\/api\/districts\/([\w-]{1,100})\/sync$/.exec(p))) {
    return send(res, 200, await hub.push(await readBody(req, MAX_PACKAGE_BYTES), m[1]));
  }
  if (method === 'GET' && (m = /^\/api\/districts\/([\w-]{1,100})\/changes$/.exec(p))) {
    const device = await deviceFromHeader(hub, req, p + url.search);
    if (device.district_id !== m[1]) throw new HubError(403, 'foreign_district', 'Устройство может получать данные только своего района.');
    const after = Number(url.searchParams.get('after') ?? '0');
    if (!Number.isInteger(after) || after < 0) throw new HubError(400, 'bad_cursor', 'Неверный курсор.');
    return send(res, 200, await hub.reply(device.id, device.district_id, after));
  }
  if (p.startsWith('/api/admin/')) {
    requireAdmin(hub, req);
    if (p === '/api/admin/districts' && method === 'GET') return send(res, 200, await hub.listDistricts());
    if (p === '/api/admin/districts' && method === 'POST') return send(res, 200, await hub.createDistrict((await json(req, districtSchema)).name));
    if (method === 'POST' && (m = /^\/api\/admin\/districts\/([\w-]{1,100})\/codes$/.exec(p))) return send(res, 200, await hub.createCode(m[1]!));
    if (method === 'GET' && (m = /^\/api\/admin\/districts\/([\w-]{1,100})\/devices$/.exec(p))) return send(res, 200, await hub.listDevices(m[1]!));
    if (method === 'POST' && (m = /^\/api\/admin\/devices\/([\w-]{1,100})\/revoke$/.exec(p))) {
      await hub.revokeDevice(m[1]!);
      return send(res, 200, { ok: true });
    }
    if (method === 'POST' && p === '/api/admin/reference') {
      const body = await json(req, referenceSchema);
      return send(res, 200, { published: await hub.publishReference(body.table, body.rows) });
    }
    if (method === 'POST' && p === '/api/admin/import') return send(res, 200, await hub.push(await readBody(req, MAX_PACKAGE_BYTES)));
    if (p === '/api/admin/region' && method === 'GET') return send(res, 200, await hub.region());
    if (p === '/api/admin/region' && method === 'POST') return send(res, 200, await hub.setRegion((await json(req, districtSchema)).name));
    if (method === 'POST' && p === '/api/admin/enrol-file') return send(res, 200, (await hub.enrolFromFile(await readBody(req, MAX_JSON))).reply);
  }
  throw new HubError(404, 'not_found', 'Нет такого адреса.');
}

export interface RunningHub {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export function listen(hub: Hub, port: number, host = '127.0.0.1'): Promise<RunningHub> {
  const server = http.createServer((req, res) => {
    handle(hub, req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof HubError) return send(res, e.status, { error: { code: e.code, message: e.message } });
      console.error('[hub]', e);
      send(res, 500, { error: { code: 'internal', message: 'Внутренняя ошибка сервера: пакет не принят, повторите позже.' } });
    });
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const addr = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${addr.port}`,
        port: addr.port,
        server,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
      server.closeIdleConnections?.();
    });
  });
}
