/**
 * Browser mode: serves the built renderer and the same calls as the Electron IPC over
 * HTTP (POST /api/call/<name>) and pushes events over a WebSocket (/api/events).
 * Bound to 127.0.0.1; every API request must carry the per-launch token, come from a
 * loopback address and name this host in its Host header (no DNS rebinding).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { CoreApp } from '../app';
import { MIME } from '../mime';

const MAX_BODY = 64 * 1024 * 1024;

export interface HostOptions {
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

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

const refuse = (res: http.ServerResponse, status: number, code: string, message: string) => send(res, status, { ok: false, error: { code, message } });

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('too_large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request handler, separate from listening so tests can drive it with any remote address. */
export function createRequestHandler(app: CoreApp, options: { token: string; staticDir: string; port: () => number }) {
  const root = path.resolve(options.staticDir);
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!isLoopback(req.socket.remoteAddress)) return refuse(res, 403, 'forbidden', 'Доступ только с этого компьютера.');
    if (!hostAllowed(req.headers.host, options.port())) return refuse(res, 403, 'forbidden', 'Недопустимый адрес.');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'method', 'Только POST.');
      const auth = req.headers.authorization ?? '';
      if (!tokensEqual(auth, `Bearer ${options.token}`)) return refuse(res, 401, 'unauthorized', 'Нет доступа: неверный ключ сеанса.');
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body ? JSON.parse(body) : {};
      } catch (e) {
        const tooLarge = e instanceof Error && e.message === 'too_large';
        return refuse(res, tooLarge ? 413 : 400, tooLarge ? 'too_large' : 'bad_json', tooLarge ? 'Слишком большой запрос.' : 'Неверный формат запроса.');
      }
      const name = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      return send(res, 200, await app.call(name, input));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method', 'Метод не поддерживается.');
    let file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(root)) return refuse(res, 404, 'not_found', 'Не найдено.');
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) return refuse(res, 500, 'no_build', 'Интерфейс не собран: выполните npm run build.');
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=31536000, immutable',
    });
    fs.createReadStream(file).pipe(res);
  };
}

export async function startHost(app: CoreApp, options: HostOptions): Promise<Host> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  let port = options.port;
  const server = http.createServer(createRequestHandler(app, { token, staticDir: options.staticDir, port: () => port }));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok =
      isLoopback(req.socket.remoteAddress) &&
      hostAllowed(req.headers.host, port) &&
      url.pathname === '/api/events' &&
      tokensEqual(url.searchParams.get('token') ?? '', token);
    if (!ok) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const off = app.on((event) => ws.send(JSON.stringify(event)));
      ws.on('close', off);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
