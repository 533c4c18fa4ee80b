/**
 * Browser mode on Fastify: serves the built renderer and the same calls as the Electron IPC
 * over HTTP (POST /api/call/<name>) and pushes events over a WebSocket (/api/events).
 * Bound to 127.0.0.1; every API request must carry the per-launch token, come from a
 * loopback address and name this host in its Host header (no DNS rebinding).
 *
 * Hard to break: a malformed URL is a 400, static files come only from inside the UI
 * folder (@fastify/static resolves and checks every path against its root), a body is
 * refused at its limit while it arrives (413), a slow one is cut off, bad JSON is a 400,
 * a wrong method a 405, and a handler's error a logged 500 — the process keeps running.
 * Every answer carries the renderer's CSP, nosniff, no framing and no referrer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { hardenedServer, HttpRefusal, jsonWithoutNul, registerSecurityHeaders, russianFrameworkError, type ServerLimits } from '../../core/http/fastify.node';
import type { CoreApp } from '../app';

/** Exports and package imports travel as base64 inside JSON calls: generous, but bounded. */
const MAX_BODY = 64 * 1024 * 1024;
const INDEX = 'index.html';

export interface HostOptions extends ServerLimits {
  port: number;
  staticDir: string;
  token?: string;
}

export interface Host {
  url: string;
  token: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function hostAllowed(header: string | undefined, port: number): boolean {
  return header === `127.0.0.1:${port}` || header === `localhost:${port}`;
}

/** The Content-Security-Policy the renderer declares in its index.html, as header directives (one policy, two places it is enforced). */
export function rendererCsp(indexHtml: string): Record<string, string[]> {
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(indexHtml);
  const policy = meta?.[1] ?? "default-src 'self'; object-src 'none'; base-uri 'none'";
  const directives: Record<string, string[]> = {};
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives[name] = values;
  }
  directives['frame-ancestors'] = ["'none'"];
  return directives;
}

function refuse(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ ok: false, error: { code, message } });
}

const API_METHODS_BUT_POST = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The host's Fastify app, not listening: tests inject requests into it from any address. */
export async function buildHostApp(app: CoreApp, options: { token: string; staticDir: string; port: () => number } & ServerLimits): Promise<FastifyInstance> {
  const root = path.resolve(options.staticDir);
  const indexFile = path.join(root, INDEX);
  const sendIndex = (reply: FastifyReply) =>
    fs.existsSync(indexFile) ? reply.sendFile(INDEX) : refuse(reply, 503, 'no_build', 'Интерфейс не собран: выполните npm run build.');
  const host = Fastify({
    ...hardenedServer(options),
    forceCloseConnections: true,
    frameworkErrors: (error, _req, reply) => {
      const known = russianFrameworkError(error) ?? { status: 400, code: 'bad_request', message: 'Неверный запрос.' };
      void refuse(reply, known.status, known.code, known.message);
    },
  });
  await registerSecurityHeaders(host, { csp: rendererCsp(fs.existsSync(indexFile) ? fs.readFileSync(indexFile, 'utf8') : '') });
  host.setErrorHandler((error, req, reply) => {
    const known = russianFrameworkError(error);
    if (known) return refuse(reply, known.status, known.code, known.message);
    console.error('[host]', req.method, req.url, error);
    return refuse(reply, 500, 'internal', 'Внутренняя ошибка: запрос не выполнен. Данные не изменены, попробуйте ещё раз.');
  });

  // Who may ask at all: a loopback peer naming this host (DNS rebinding would name another).
  host.addHook('onRequest', async (req) => {
    if (!isLoopback(req.raw.socket.remoteAddress)) throw new HttpRefusal(403, 'forbidden', 'Доступ только с этого компьютера.');
    if (!hostAllowed(req.headers.host, options.port())) throw new HttpRefusal(403, 'forbidden', 'Недопустимый адрес.');
  });
  const requireToken = async (req: FastifyRequest) => {
    if (!tokensEqual(req.headers.authorization ?? '', `Bearer ${options.token}`)) throw new HttpRefusal(401, 'unauthorized', 'Нет доступа: неверный ключ сеанса.');
  };

  await host.register(async (api) => {
    api.removeAllContentTypeParsers();
    // Any content type: the body is the call's JSON input (the bridge sends application/json; tools may not).
    api.addContentTypeParser('*', { parseAs: 'string' }, jsonWithoutNul);
    api.post('/api/call/:name', { bodyLimit: MAX_BODY, onRequest: requireToken }, async (req) => app.call((req.params as { name: string }).name, req.body ?? {}));
    api.route({ method: API_METHODS_BUT_POST, url: '/api/call/*', handler: async (_req, reply) => refuse(reply.header('allow', 'POST'), 405, 'method', 'Только POST.') });
  });

  await host.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const eventsGuard = async (req: FastifyRequest) => {
    const token = (req.query as Record<string, unknown>).token;
    if (typeof token !== 'string' || !tokensEqual(token, options.token)) throw new HttpRefusal(401, 'unauthorized', 'Нет доступа: неверный ключ сеанса.');
  };
  host.get('/api/events', { websocket: true, onRequest: eventsGuard }, (socket) => {
    const off = app.on((event) => socket.send(JSON.stringify(event)));
    socket.on('close', off);
  });

  // sendFile resolves every path (decoded, NUL refused) against the root and refuses what escapes it; a missing file falls through to the SPA.
  await host.register(fastifyStatic, { root, serve: false, index: false, cacheControl: false, dotfiles: 'deny', redirect: false });
  host.get('/*', async (req, reply) => {
    const file = (req.params as { '*': string })['*'];
    return file === '' || file.endsWith('/') ? sendIndex(reply) : reply.sendFile(file);
  });
  host.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode !== 200 || req.url.startsWith('/api/')) return payload;
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    reply.header('cache-control', html ? 'no-store' : 'max-age=31536000, immutable');
    return payload;
  });
  // The single-page app: any other page address is index.html (its hash router takes over); API addresses are 404.
  host.setNotFoundHandler(async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(reply, 405, 'method', 'Метод не поддерживается.');
    if (req.url.startsWith('/api/')) return refuse(reply, 404, 'not_found', 'Не найдено.');
    return sendIndex(reply);
  });
  return host;
}

export async function startHost(app: CoreApp, options: HostOptions): Promise<Host> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  let port = options.port;
  const host = await buildHostApp(app, { token, staticDir: options.staticDir, port: () => port, requestTimeoutMs: options.requestTimeoutMs });
  await host.listen({ port: options.port, host: '127.0.0.1' });
  port = (host.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    server: host.server,
    close: () => host.close(),
  };
}
