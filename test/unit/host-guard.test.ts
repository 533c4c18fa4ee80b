/**
 * The browser-mode host lets only our own page call the core: the per-launch token,
 * a loopback peer and our own Host header are all required.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildHostApp, isLoopback, startHost, type Host } from '../../main/host/server';
import { openTestCore, tempDir, writeFootprint, type TestCore } from '../integration/coreFixture';

const TOKEN = 'test-token-0123456789abcdef';
const PORT = 4321;
let t: TestCore;
let staticDir: string;
let app: FastifyInstance;

beforeAll(async () => {
  t = openTestCore();
  await t.ok('app.createDistrict', { region: 'Республика Дагестан', district: 'МР «Цунтинский район»' });
  staticDir = tempDir('shnor-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>500+</title>');
  app = await buildHostApp(t.core, { token: TOKEN, staticDir, port: () => PORT });
});
afterAll(async () => {
  await app.close();
  t.close();
});

interface FakeRequest {
  remoteAddress?: string;
  host?: string;
  method?: 'GET' | 'POST';
  url?: string;
  authorization?: string;
  body?: unknown;
}

/** Drives the host with a request from any address, as a socket would deliver it. */
async function send(r: FakeRequest): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  const headers: Record<string, string> = {};
  if (!('host' in r) || r.host !== undefined) headers.host = 'host' in r ? r.host! : `127.0.0.1:${PORT}`;
  if (r.authorization !== undefined) headers.authorization = r.authorization;
  const res = await app.inject({
    method: r.method ?? 'POST',
    url: r.url ?? '/api/call/app.info',
    remoteAddress: r.remoteAddress ?? '127.0.0.1',
    headers,
    ...(r.body === undefined ? {} : { payload: JSON.stringify(r.body) }),
  });
  return { status: res.statusCode, body: res.json() };
}

const bearer = `Bearer ${TOKEN}`;
const newSchool = { full_name: 'МКОУ «Кидеринская СОШ»', short_name: 'Кидеринская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming' };

describe('host guard (request handler)', () => {
  it('accepts a proper call: loopback, our Host, the token', async () => {
    const r = await send({ authorization: bearer });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    const created = await send({ url: '/api/call/schools.create', authorization: bearer, body: newSchool, host: `localhost:${PORT}` });
    expect(created).toMatchObject({ status: 200, body: { ok: true, value: { short_name: 'Кидеринская СОШ' } } });
  });

  it.each([
    ['no token', undefined],
    ['an empty token', 'Bearer '],
    ['a wrong token', 'Bearer test-token-0123456789abcdeX'],
    ['the token with a suffix', `${bearer}x`],
    ['the bare token without Bearer', TOKEN],
  ])('refuses %s with 401 and writes nothing', async (_what, authorization) => {
    const before = writeFootprint(t.core.ctx.store);
    const r = await send({ url: '/api/call/schools.create', authorization, body: newSchool });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(r.body.error!.message).toMatch(/ключ сеанса/);
    expect(writeFootprint(t.core.ctx.store)).toEqual(before);
  });

  it('does not take the token from the query string for calls', async () => {
    const r = await send({ url: `/api/call/app.info?token=${TOKEN}` });
    expect(r.status).toBe(401);
  });

  it.each(['10.0.0.5', '192.168.1.20', '::ffff:192.168.1.20', 'fe80::1', '0.0.0.0'])(
    'refuses a call from non-loopback address %s with 403, even with the token',
    async (remoteAddress) => {
      const before = writeFootprint(t.core.ctx.store);
      const r = await send({ remoteAddress, url: '/api/call/schools.create', authorization: bearer, body: newSchool });
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(writeFootprint(t.core.ctx.store)).toEqual(before);
    },
  );

  it.each(['evil.example', `evil.example:${PORT}`, `127.0.0.1:${PORT + 1}`, `127.0.0.1.nip.io:${PORT}`, undefined])(
    'refuses a foreign Host header %s with 403 (DNS rebinding)',
    async (host) => {
      const r = await send({ host, authorization: bearer });
      expect(r.status).toBe(403);
    },
  );

  it('refuses calls that are not POST', async () => {
    const r = await send({ method: 'GET', authorization: bearer });
    expect(r.status).toBe(405);
  });

  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '::', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
  });
});

describe('host over a real socket', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost(t.core, { port: 0, staticDir, token: TOKEN });
  });
  afterAll(() => host.close());

  const base = () => `http://127.0.0.1:${host.port}`;

  it('listens on 127.0.0.1 only and answers a proper call', async () => {
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1');
    const ok = await fetch(`${base()}/api/call/app.info`, { method: 'POST', headers: { authorization: bearer }, body: '{}' });
    expect(ok.status).toBe(200);
    const no = await fetch(`${base()}/api/call/app.info`, { method: 'POST', body: '{}' });
    expect(no.status).toBe(401);
  });

  it('serves no file outside the renderer folder', async () => {
    const r = await fetch(`${base()}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await r.text()).not.toContain('root:');
  });

  function wsOutcome(url: string): Promise<'open' | 'refused'> {
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('error', () => resolve('refused'));
    });
  }

  it('refuses an event socket without the token or with a wrong one', async () => {
    expect(await wsOutcome(`ws://127.0.0.1:${host.port}/api/events`)).toBe('refused');
    expect(await wsOutcome(`ws://127.0.0.1:${host.port}/api/events?token=wrong`)).toBe('refused');
  });

  it('pushes data.changed over the event socket opened with the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events?token=${TOKEN}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const message = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    await fetch(`${base()}/api/call/schools.create`, { method: 'POST', headers: { authorization: bearer }, body: JSON.stringify({ ...newSchool, short_name: 'Цунтинская СОШ' }) });
    expect(await message).toEqual({ type: 'data.changed', tables: ['schools'] });
    ws.close();
  });
});
