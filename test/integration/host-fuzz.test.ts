/**
 * The browser-mode host under hostile requests over a real socket: malformed
 * percent-encoding, traversal in every encoding (a sibling folder named like the UI folder
 * included), oversized and slow bodies, wrong methods, invalid JSON, NUL in JSON, a handler
 * that throws, and a few hundred generated paths and headers from a seeded PRNG. After
 * every case the host still serves index.html and answers a token call; no case gets a 5xx
 * except the one meant to (the throwing handler), and no answer carries a file from
 * outside the UI folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreApp } from '../../main/app';
import { startHost, type Host } from '../../main/host/server';
import { rng } from '../sync/helpers';
import { openTestCore, tempDir, type TestCore } from './coreFixture';
import { HOSTILE_SEGMENTS, rawRequest, type RawRequest, type RawResponse } from './rawHttp';

const TOKEN = 'fuzz-token-0123456789abcdef';
const SECRETS = ['SECRET-SIBLING', 'SECRET-PARENT'];
let t: TestCore;
let host: Host;
let errors: unknown[] = [];
const realConsoleError = console.error;

beforeAll(async () => {
  t = openTestCore();
  const base = tempDir('shnor-fuzz-');
  const ui = path.join(base, 'ui');
  fs.mkdirSync(path.join(ui, 'assets'), { recursive: true });
  // The renderer's own page head (its CSP meta included), with a body the checks below recognise.
  fs.writeFileSync(path.join(ui, 'index.html'), fs.readFileSync('renderer/index.html', 'utf8').replace('<div id="root"></div>', '500+ fuzz'));
  fs.writeFileSync(path.join(ui, 'assets', 'app.js'), 'console.log(1)');
  // A sibling whose name starts like the UI folder's, and a file in the parent: neither may be served.
  fs.mkdirSync(path.join(base, 'ui-secret'));
  fs.writeFileSync(path.join(base, 'ui-secret', 'secret.txt'), SECRETS[0]!);
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRETS[1]!);
  const core: CoreApp = {
    call: (name, input) => (name === 'test.throw' ? Promise.reject(new Error('сбой обработчика')) : t.core.call(name, input)),
    on: (listener) => t.core.on(listener),
    close: () => undefined,
  };
  host = await startHost(core, { port: 0, staticDir: ui, token: TOKEN, requestTimeoutMs: 5000 });
  console.error = (...args: unknown[]) => void errors.push(args);
});
afterAll(async () => {
  console.error = realConsoleError;
  await host.close();
  t.close();
});

const hostHeader = () => `127.0.0.1:${host.port}`;
const send = (r: RawRequest) => rawRequest(host.port, { ...r, headers: { host: hostHeader(), ...r.headers } });
const call = (name: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  send({ method: 'POST', target: `/api/call/${name}`, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers }, body: Buffer.from(body) });

/** The host still answers: the page and a token call. */
async function stillAnswers(why: string): Promise<void> {
  const page = await send({ method: 'GET', target: '/' });
  expect(page.status, `index.html after ${why}`).toBe(200);
  expect(page.body, why).toContain('500+ fuzz');
  const info = await call('app.info', '{}');
  expect(info.status, `token call after ${why}`).toBe(200);
}

function noSecret(r: RawResponse, why: string): void {
  for (const s of SECRETS) expect(r.body, why).not.toContain(s);
}

describe('browser-mode host under hostile requests', () => {
  it('answers a malformed percent-encoding with 400 and keeps running', async () => {
    for (const target of ['/%E0%A4%A', '/%', '/%zz', '/assets/%E0%A4%A.js', '/api/call/%E0%A4%A', '/api/events?token=%E0%A4%A']) {
      const r = await send({ method: 'GET', target });
      expect([400, 401, 405], target).toContain(r.status);
      await stillAnswers(target);
    }
    const r = await send({ method: 'GET', target: '/%E0%A4%A' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'bad_url' } });
  });

  it('serves nothing outside the UI folder, in any encoding', async () => {
    const escapes = [
      '/../secret.txt',
      '/../ui-secret/secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fui-secret%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%2e%2e%2fui-secret%2fsecret.txt',
      '/.%2e/ui-secret/secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/%252e%252e/ui-secret/secret.txt',
      '/..\\secret.txt',
      '/..%5csecret.txt',
      '/..%5cui-secret%5csecret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '/%c0%ae%c0%ae%c0%afsecret.txt',
      '/%e0%80%ae%e0%80%ae/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/ui-secret/secret.txt',
      '/secret.txt%00.js',
      '/%00../secret.txt',
      '/..;/secret.txt',
      '//..//secret.txt',
      '/....//secret.txt',
      '/ui-secret/secret.txt',
      '/../ui/../ui-secret/secret.txt',
      `http://${'127.0.0.1'}/../secret.txt`,
    ];
    for (const target of escapes) {
      for (const method of ['GET', 'HEAD']) {
        const r = await send({ method, target });
        noSecret(r, target);
        expect(r.status, `${method} ${target}`).toBeGreaterThanOrEqual(200);
        expect(r.status, `${method} ${target}`).toBeLessThan(500);
      }
    }
    // A real file inside the folder is served with its type and the security headers.
    const asset = await send({ method: 'GET', target: '/assets/app.js' });
    expect(asset.status).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    await stillAnswers('traversal');
  });

  it('puts the security headers on every HTML answer', async () => {
    for (const target of ['/', '/schools', '/?token=x']) {
      const r = await send({ method: 'GET', target });
      expect(r.headers['content-type'], target).toMatch(/^text\/html/);
      const csp = r.headers['content-security-policy'] ?? '';
      expect(csp, target).toContain("frame-ancestors 'none'");
      expect(csp, target).toContain("script-src 'self'");
      expect(csp, target).toContain('connect-src');
      expect(r.headers['x-content-type-options'], target).toBe('nosniff');
      expect(r.headers['referrer-policy'], target).toBe('no-referrer');
      expect(r.headers['x-frame-options'], target).toBe('DENY');
      expect(r.headers['cache-control'], target).toBe('no-store');
    }
  });

  it('refuses an oversized body with 413 as it arrives, whether announced or chunked', async () => {
    const announced = await send({
      method: 'POST',
      target: '/api/call/app.info',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-length': String(65 * 1024 * 1024) },
      body: (socket) => socket.write(Buffer.alloc(1024, 0x20)),
    });
    expect(announced.status, announced.body).toBe(413);
    expect(JSON.parse(announced.body).error.message).toMatch(/Слишком большой запрос/);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const chunked = await send({
      method: 'POST',
      target: '/api/call/app.info',
      headers: { authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      body: (socket) => {
        let sent = 0;
        const more = () => {
          while (sent < 70 && !socket.destroyed) {
            sent++;
            socket.write(`${chunk.length.toString(16)}\r\n`);
            socket.write(chunk);
            if (!socket.write('\r\n')) return void socket.once('drain', more);
          }
        };
        more();
      },
      timeoutMs: 20_000,
    });
    expect(chunked.status).toBe(413);
    await stillAnswers('oversized bodies');
  });

  it('cuts off a slow body instead of waiting for it', async () => {
    const r = await send({
      method: 'POST',
      target: '/api/call/app.info',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-length': '100' },
      body: (socket) => socket.write('{"a":'),
      timeoutMs: 15_000,
    });
    expect(r.ms).toBeLessThan(12_000);
    expect([0, 408]).toContain(r.status);
    await stillAnswers('a slow body');
  });

  it('refuses wrong methods with 405, bad JSON and NUL with 400, without a token with 401', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      expect((await send({ method, target: '/api/call/app.info', headers: { authorization: `Bearer ${TOKEN}` } })).status, method).toBe(405);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await send({ method, target: '/', body: Buffer.from('x') })).status, method).toBe(405);
    for (const body of ['{bad', '{"a":1', 'null x', '\u0000', '"\\ud800']) {
      const r = await call('app.info', body);
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.body).ok).toBe(false);
    }
    for (const body of ['{"name":"a\\u0000b"}', '{"a\\u0000":1}', '{"list":["ok","\\u0000"]}']) {
      const r = await call('schools.create', body);
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.body).error.code).toBe('nul_char');
    }
    expect((await call('app.info', '{}', { authorization: 'Bearer nope' })).status).toBe(401);
    await stillAnswers('methods and JSON');
  });

  it('turns a handler that throws into a logged 500 with a Russian message, and keeps running', async () => {
    errors = [];
    const r = await call('test.throw', '{}');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.parse(r.body).error.message).toMatch(/Внутренняя ошибка/);
    expect(errors.length).toBe(1);
    await stillAnswers('a handler error');
  });

  it('survives a few hundred generated requests with no 5xx and no file from outside', async () => {
    const r = rng(9001);
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'get', 'BREW'];
    const hosts = [hostHeader(), `localhost:${host.port}`, 'evil.example', `127.0.0.1:${host.port + 1}`, '', '127.0.0.1'];
    const auths = [`Bearer ${TOKEN}`, 'Bearer ', TOKEN, 'Basic Zm9vOmJhcg==', `Bearer ${TOKEN}x`];
    const types = ['application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', ';;;', 'a/b/c'];
    const bodies = ['{}', '{"id":"x"}', '[]', 'null', '{bad', '"\\u0000"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'x'.repeat(5000)];
    errors = [];
    for (let i = 0; i < 300; i++) {
      const segments = Array.from({ length: 1 + r.int(5) }, () => r.pick(HOSTILE_SEGMENTS));
      const prefix = r.pick(['', '/api/call', '/api', '/assets', '/api/events']);
      const target = `${prefix}/${segments.join(r.pick(['/', '/', '%2f', '\\']))}${r.chance(0.2) ? `?token=${r.pick([TOKEN, '%E0%A4%A', ''])}` : ''}`;
      const headers: Record<string, string> = { host: r.pick(hosts) };
      if (r.chance(0.6)) headers.authorization = r.pick(auths);
      if (r.chance(0.5)) headers['content-type'] = r.pick(types);
      const method = r.pick(methods);
      const body = method === 'GET' || method === 'HEAD' || r.chance(0.3) ? undefined : Buffer.from(r.pick(bodies));
      const res = await send({ method, target, headers, ...(body ? { body } : {}) });
      const why = `#${i} ${method} ${target} ${JSON.stringify(headers)}`;
      expect(res.status, why).toBeLessThan(500);
      noSecret(res, why);
      await stillAnswers(why);
    }
    expect(errors).toEqual([]);
    await stillAnswers('the generated requests');
  }, 120_000);
});
