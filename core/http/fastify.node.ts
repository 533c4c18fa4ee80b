/**
 * What both HTTP hosts (the browser-mode host in main/host and the regional hub in
 * server/) set up the same way on Fastify: a Node server that times out slow and idle
 * requests, security headers on every answer, JSON without NUL characters, and Fastify's
 * own refusals (bad URL, body too large, wrong content type) told in Russian.
 */
import http from 'node:http';
import https from 'node:https';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';

export interface ServerLimits {
  /** The whole request, headers and body, must arrive within this (a slow body is cut off with 408). */
  requestTimeoutMs?: number;
  /** Serve HTTPS with this certificate and key (PEM), as the hub does with --tls-cert/--tls-key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** A refusal with its status, code and Russian message, thrown from parsers and hooks. */
export class HttpRefusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const TOO_LARGE_MESSAGE = 'Слишком большой запрос: он превышает допустимый размер.';

/** Fastify options shared by both hosts: no logger (errors are logged where they are handled), timeouts on a plain Node server. */
export function hardenedServer(limits: ServerLimits = {}): FastifyServerOptions & { serverFactory: (handler: http.RequestListener) => http.Server } {
  const requestTimeout = limits.requestTimeoutMs ?? 120_000;
  return {
    logger: false,
    keepAliveTimeout: 5_000,
    serverFactory: (handler) => {
      const options = {
        requestTimeout,
        headersTimeout: Math.min(requestTimeout, 20_000),
        // Node checks the timeouts above on this interval (30 s by default).
        connectionsCheckingInterval: Math.max(100, Math.min(Math.floor(requestTimeout / 4), 30_000)),
      };
      // An HTTPS server serves requests as an HTTP one does (Fastify only listens and dispatches); the types part ways at TLS.
      return limits.tls ? (https.createServer({ ...options, cert: limits.tls.cert, key: limits.tls.key }, handler) as unknown as http.Server) : http.createServer(options, handler);
    },
  };
}

/** A JSON body, refused (400) when it is not JSON or any key or string holds a NUL (PostgreSQL cannot store one). */
export function jsonWithoutNul(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return done(null, undefined);
  let nul = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (key.includes('\u0000') || (typeof v === 'string' && v.includes('\u0000'))) nul = true;
      return v;
    });
  } catch {
    return done(new HttpRefusal(400, 'bad_json', 'Тело запроса — не JSON.'));
  }
  if (nul) return done(new HttpRefusal(400, 'nul_char', 'В тексте запроса есть недопустимый символ NUL.'));
  done(null, value);
}

interface Refusal {
  status: number;
  code: string;
  message: string;
}

const FRAMEWORK: Record<string, Refusal> = {
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', message: 'Неверный адрес: ошибка в кодировке.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'too_big', message: TOO_LARGE_MESSAGE },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'media_type', message: 'Неподдерживаемый тип содержимого запроса.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_length', message: 'Длина тела запроса не совпадает с заявленной.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'bad_json', message: 'Пустое тело запроса вместо JSON.' },
};

/** A refusal of our own or of Fastify (and its plugins) as status, code and a Russian message; null for anything else (a bug: 500). */
export function russianFrameworkError(error: unknown): Refusal | null {
  if (error instanceof HttpRefusal) return { status: error.statusCode, code: error.code, message: error.message };
  if (!(error instanceof Error)) return null;
  const { code, statusCode } = error as Error & { code?: string; statusCode?: number };
  if (code && FRAMEWORK[code]) return FRAMEWORK[code];
  if (code === 'FST_ERR_VALIDATION') return { status: 400, code: 'validation', message: 'Неверные данные запроса.' };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return statusCode === 413 ? { status: 413, code: 'too_big', message: TOO_LARGE_MESSAGE } : { status: statusCode, code: 'bad_request', message: 'Неверный запрос.' };
  }
  return null;
}

/** Security headers on every answer: the given CSP, nosniff, no framing, no referrer. */
export async function registerSecurityHeaders(app: FastifyInstance, options: { csp: Record<string, string[]> }): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: options.csp },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Plain HTTP on loopback or behind the region's proxy: HSTS belongs to whoever terminates TLS.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
