/**
 * The regional hub under hostile requests over a real socket. Cheap checks come before
 * costly work: an unauthenticated or wrongly signed package is refused (401) without being
 * opened, a body over the limit is refused as it arrives, the admin import checks the key
 * before reading. Malformed URLs, wrong methods, bad JSON, NUL in JSON, oversize and
 * malformed forms on /region, a slow body and a few hundred seeded random requests: no 5xx,
 * and /api/health answers after every case.
 */
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrolHttp, syncHttp } from '../../core/sync/client';
import { buildOutgoing } from '../../core/sync/local.node';
import { insertRow } from '../../db/write';
import { hubRoutes } from '../../core/contract/hub';
import { listen, type RunningHub } from '../../server/http';
import { HOSTILE_SEGMENTS, rawRequest, type RawRequest } from '../integration/rawHttp';
import { deviceAuth, enrol, makeHub, makeLaptop, rng, type Laptop, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
let laptop: Laptop;
let district: string;
let pushes: ReturnType<typeof vi.spyOn>;
let errors: unknown[] = [];
const realConsoleError = console.error;

beforeAll(async () => {
  th = await makeHub();
  srv = await listen(th.hub, 0, '127.0.0.1', { requestTimeoutMs: 5000 });
  district = (await th.hub.createDistrict('Район для проверки')).id;
  laptop = makeLaptop('fuzz');
  await enrol(th.hub, laptop, district);
  pushes = vi.spyOn(th.hub, 'push');
  console.error = (...args: unknown[]) => void errors.push(args);
});
afterAll(async () => {
  console.error = realConsoleError;
  await srv.close();
  await th.close();
});

const send = (r: RawRequest) => rawRequest(srv.port, { ...r, headers: { host: 'hub', ...r.headers } });
const admin = () => ({ authorization: `Bearer ${th.hub.identity.adminToken}` });

async function healthy(why: string): Promise<void> {
  const r = await send({ method: 'GET', target: '/api/health' });
  expect(r.status, `health after ${why}`).toBe(200);
  expect(hubRoutes.health.reply.parse(JSON.parse(r.body)).hub).toBe(th.hub.identity.device);
}

/** A zip whose entries inflate to far more than it weighs (the issue's bomb did 2 MB → 3 GB), padded to 2 MB. */
function zipBomb(): Buffer {
  const zeros = new Uint8Array(16 * 1024 * 1024);
  const zip = Buffer.from(zipSync(Object.fromEntries(['manifest.json', 'changes/0001.ndjson', 'changes/0002.ndjson', 'changes/0003.ndjson'].map((n) => [n, [zeros, { level: 9 }]]))));
  expect(zip.length).toBeLessThan(1024 * 1024);
  return Buffer.concat([zip, Buffer.alloc(2 * 1024 * 1024 - zip.length)]);
}

describe('cheap checks before costly work', () => {
  it('refuses an unauthenticated 2 MB package with 401 without opening it, on every push route', async () => {
    const bomb = zipBomb();
    pushes.mockClear();
    const rss = process.memoryUsage().rss;
    for (const target of ['/api/sync', `/api/districts/${district}/sync`, '/api/admin/import']) {
      const r = await send({ method: 'POST', target, headers: { 'content-type': 'application/octet-stream' }, body: bomb });
      expect(r.status, target).toBe(401);
      expect(JSON.parse(r.body).error.message, target).toMatch(/подпис|администратора/);
    }
    expect(pushes).not.toHaveBeenCalled();
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
    await healthy('a zip bomb');
  });

  it('refuses a wrongly signed package (checked over the raw bytes) and a stale signature before opening it', async () => {
    const bytes = buildOutgoing(laptop.store, laptop.dataDir);
    const target = `/api/districts/${district}/sync`;
    pushes.mockClear();
    const tampered = Buffer.from(bytes);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    const bad = await send({ method: 'POST', target, headers: deviceAuth(laptop, 'POST', target, bytes), body: tampered });
    expect(bad.status).toBe(401);
    const otherPath = await send({ method: 'POST', target: '/api/sync', headers: deviceAuth(laptop, 'POST', target, bytes), body: Buffer.from(bytes) });
    expect(otherPath.status).toBe(401);
    const stale = await send({ method: 'POST', target, headers: deviceAuth(laptop, 'POST', target, bytes, Date.now() - 3600_000), body: Buffer.from(bytes) });
    expect(stale.status).toBe(401);
    expect(JSON.parse(stale.body).error.code).toBe('stale_auth');
    const garbage = await send({ method: 'POST', target, headers: { 'x-device-auth': 'x.y.z' }, body: Buffer.from(bytes) });
    expect(garbage.status).toBe(401);
    expect(pushes).not.toHaveBeenCalled();
    // The same bytes, properly signed, are taken.
    const ok = await send({ method: 'POST', target, headers: deviceAuth(laptop, 'POST', target, bytes), body: Buffer.from(bytes) });
    expect(ok.status).toBe(200);
    expect(pushes).toHaveBeenCalledTimes(1);
  });

  it('refuses a body over the limit as it arrives, even from an enrolled device', async () => {
    const target = `/api/districts/${district}/sync`;
    const r = await send({
      method: 'POST',
      target,
      headers: { ...deviceAuth(laptop, 'POST', target, new Uint8Array(0)), 'content-length': String(hubRoutes.districtSync.limit + 1) },
      body: (socket) => socket.write(Buffer.alloc(1024)),
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.message).toMatch(/Слишком большой запрос/);
    const json = await send({ method: 'POST', target: '/api/enrol', headers: { 'content-type': 'application/json' }, body: Buffer.from(`{"name":"${'x'.repeat(hubRoutes.enrol.limit)}"}`) });
    expect(json.status).toBe(413);
    await healthy('oversized bodies');
  });

  it('answers /api/health at once while a slow body is cut off', async () => {
    const slow = send({ method: 'POST', target: '/api/enrol', headers: { 'content-type': 'application/json', 'content-length': '200' }, body: (s) => s.write('{"code":'), timeoutMs: 15_000 });
    const started = Date.now();
    await healthy('a slow body in flight');
    expect(Date.now() - started).toBeLessThan(1000);
    const r = await slow;
    expect([0, 408]).toContain(r.status);
    expect(r.ms).toBeLessThan(12_000);
  });
});

describe('a laptop whose clock is off', () => {
  it('syncs anyway: the hub refuses the stale signature, the laptop corrects by the hub\'s Date header and retries once', async () => {
    const ahead = await listen(th.hub, 0, '127.0.0.1', { now: () => Date.now() + 2 * 3600_000 });
    try {
      const l = makeLaptop('clock-off');
      await enrolHttp(l.store, ahead.url, (await th.hub.createCode(district)).code, 'Ноутбук с отстающими часами');
      insertRow(l.store, 'schools', { district_id: 'd', full_name: 'Школа со сбитыми часами', short_name: 'Школа со сбитыми часами', kind: 'СОШ', is_participant: true, stage: 'forming' });
      pushes.mockClear();
      await syncHttp({ store: l.store, dataDir: l.dataDir, emit: () => undefined });
      expect(pushes).toHaveBeenCalledTimes(1);
      const stored = await th.hub.db.selectFrom('changes').select('row_id').where('tbl', '=', 'schools').where('data', 'like', '%сбитыми часами%').execute();
      expect(stored).toHaveLength(1);
    } finally {
      await ahead.close();
    }
  });
});

describe('the hub under malformed requests', () => {
  it('answers bad URLs, wrong methods, bad JSON and NUL in JSON with 4xx in Russian', async () => {
    for (const target of ['/%E0%A4%A', '/api/%E0%A4%A', `/api/districts/%E0%A4%A/sync`, '/region/%E0%A4%A', '/region?date=%E0%A4%A']) {
      const r = await send({ method: 'GET', target });
      expect(r.status, target).toBeGreaterThanOrEqual(400);
      expect(r.status, target).toBeLessThan(500);
    }
    for (const [method, target] of [['GET', '/api/sync'], ['PUT', '/api/enrol'], ['DELETE', '/api/admin/districts'], ['POST', '/api/health'], ['PATCH', `/api/districts/${district}/sync`]] as const) {
      const r = await send({ method, target, headers: admin() });
      expect(r.status, `${method} ${target}`).toBe(405);
      expect(JSON.parse(r.body).error.message).toMatch(/метод/);
    }
    const enrolBody = (body: string) => send({ method: 'POST', target: '/api/enrol', headers: { 'content-type': 'application/json' }, body: Buffer.from(body) });
    for (const body of ['{bad', '{"code":', '[1,', '\u0000']) expect((await enrolBody(body)).status, body).toBe(400);
    const nul = await enrolBody(JSON.stringify({ code: 'AAAA-BBBB', device: 'dev-1', publicKey: 'k'.repeat(50), name: 'ноутбук\u0000', dataDistrictId: null }));
    expect(nul.status).toBe(400);
    expect(JSON.parse(nul.body).error.code).toBe('nul_char');
    const nulAdmin = await send({ method: 'POST', target: '/api/admin/districts', headers: { ...admin(), 'content-type': 'application/json' }, body: Buffer.from('{"name":"Район\\u0000"}') });
    expect(nulAdmin.status).toBe(400);
    const invalid = await enrolBody(JSON.stringify({ code: 1 }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.message).toMatch(/^Неверные данные запроса: code: Неверный ввод/);
    await healthy('malformed requests');
  });

  it('answers oversize and malformed forms on /region with 413/400 pages, never a dropped connection', async () => {
    const login = await send({ method: 'POST', target: '/region/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`name=${'x'.repeat(20_000)}`) });
    expect(login.status).toBe(413);
    expect(login.headers['content-type']).toMatch(/^text\/html/);
    expect(login.body).toContain('Слишком большой запрос');
    await send({ method: 'POST', target: '/api/admin/accounts', headers: { ...admin(), 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ name: 'fuzz.admin', role: 'admin', password: 'пароль для форм' })) });
    const signIn = `name=fuzz.admin&password=${encodeURIComponent('пароль для форм')}`;
    const cookie = (await send({ method: 'POST', target: '/region/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(signIn) })).headers['set-cookie']!.split(';')[0]!;
    const boundary = 'xYz';
    const form = (file: Buffer) =>
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="request"; filename="r.shnor-enrol"\r\nContent-Type: application/octet-stream\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const big = await send({ method: 'POST', target: '/region/enrol-file', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: form(Buffer.alloc(1024 * 1024, 0x41)) });
    expect(big.status).toBe(413);
    expect(big.body).toMatch(/слишком большой/);
    const broken = await send({ method: 'POST', target: '/region/enrol-file', headers: { cookie, 'content-type': 'multipart/form-data; boundary=nope' }, body: Buffer.from('--other\r\ngarbage') });
    expect(broken.status).toBe(400);
    expect(broken.headers['content-type']).toMatch(/^text\/html/);
    const notForm = await send({ method: 'POST', target: '/region/login', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"token":"x"}') });
    expect(notForm.status).toBeGreaterThanOrEqual(400);
    expect(notForm.status).toBeLessThan(500);
    expect((await send({ method: 'DELETE', target: '/region' })).status).toBe(405);
    await healthy('forms');
  });

  it('puts the security headers on /region pages', async () => {
    for (const target of ['/region', '/region/nothing']) {
      const r = await send({ method: 'GET', target });
      expect(r.headers['content-type'], target).toMatch(/^text\/html/);
      expect(r.headers['content-security-policy'], target).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(r.headers['x-content-type-options'], target).toBe('nosniff');
      expect(r.headers['referrer-policy'], target).toBe('no-referrer');
      expect(r.headers['x-frame-options'], target).toBe('DENY');
    }
  });

  it('survives a few hundred generated requests with no 5xx', async () => {
    const r = rng(500);
    const targets = Object.values(hubRoutes).map((x) => x.url.replace(':id', district));
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];
    const types = ['application/json', 'application/octet-stream', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', 'multipart/form-data', 'a/b/c', ';'];
    const bodies = ['{}', '{"name":"x"}', '{"table":"schools","rows":[{"id":"\\u0000"}]}', '{bad', 'null', '[]', 'token=x', '--b\r\n', 'PK\u0003\u0004garbage', '{"__proto__":{"admin":true}}'];
    const auths = [admin(), { authorization: 'Bearer nope' }, deviceAuth(laptop, 'POST', '/api/sync'), { 'x-device-auth': `${'a'.repeat(100)}.1.${'A'.repeat(88)}` }, { cookie: 'region_view=forged' }, {}];
    errors = [];
    pushes.mockClear();
    for (let i = 0; i < 300; i++) {
      const base = r.chance(0.6) ? r.pick([...targets, '/region', '/region/login', '/region/enrol-file', '/region/logout']) : '';
      const extra = r.chance(0.5) ? `/${Array.from({ length: 1 + r.int(3) }, () => r.pick(HOSTILE_SEGMENTS)).join('/')}` : '';
      const target = `${base}${extra}${r.chance(0.2) ? `?${r.pick(['after=-1', 'after=1e309', 'after=%E0%A4%A', 'date=2022-02-31', 'after=9007199254740993', 'a[b]=c'])}` : ''}` || '/';
      const method = r.pick(methods);
      const headers: Record<string, string> = { ...r.pick(auths) };
      if (r.chance(0.6)) headers['content-type'] = r.pick(types);
      const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(r.pick(bodies));
      const res = await send({ method, target, headers, ...(body ? { body } : {}) });
      const why = `#${i} ${method} ${target} ${JSON.stringify(headers)}`;
      expect(res.status, why).toBeLessThan(500);
      await healthy(why);
    }
    expect(errors).toEqual([]);
    expect(pushes).not.toHaveBeenCalled();
  }, 120_000);
});
