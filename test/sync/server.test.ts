/**
 * The regional server over real HTTP on loopback: enrolment, authorisation on every route
 * (district A cannot read or write district B), revocation, region reference data flowing
 * down and not writable by a district, ±1 year clock skew, a dropped connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context';
import { enrolHttp, syncHttp } from '../../core/sync/client';
import { buildOutgoing, deviceKeys, enrolment, importPackage } from '../../core/sync/local.node';
import { buildPackage } from '../../core/sync/package.node';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { replicaOf } from '../../db/replica';
import { insertRow, updateRow } from '../../db/write';
import { listen, type RunningHub } from '../../server/http';
import { deviceAuth, makeHub, makeLaptop, sealedToHub, skewClock, snapshot, type Laptop, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
let admin: Record<string, string>;
let dA: string;
let dB: string;
let a1: Laptop;
let a2: Laptop;
let b1: Laptop;

const ctxOf = (l: Laptop): Ctx => ({ store: l.store, dataDir: l.dataDir, emit: () => undefined });

async function adminPost(path: string, body: unknown = {}) {
  const res = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string; code: string } } };
}

async function code(district: string): Promise<string> {
  return (await adminPost(`/api/admin/districts/${district}/codes`)).body.code as string;
}

function signedGet(l: Laptop, target: string): Promise<Response> {
  return fetch(`${srv.url}${target}`, { headers: deviceAuth(l, 'GET', target) });
}

/** A package POSTed the way a laptop does: signed by `l`'s device key. */
function signedPost(l: Laptop, target: string, bytes: Uint8Array): Promise<Response> {
  return fetch(`${srv.url}${target}`, { method: 'POST', headers: deviceAuth(l, 'POST', target, bytes), body: Buffer.from(bytes) });
}

beforeAll(async () => {
  th = await makeHub();
  srv = await listen(th.hub, 0);
  admin = { authorization: `Bearer ${th.hub.identity.adminToken}` };
  dA = (await adminPost('/api/admin/districts', { name: 'Район А' })).body.id as string;
  dB = (await adminPost('/api/admin/districts', { name: 'Район Б' })).body.id as string;
  a1 = makeLaptop('a1');
  a2 = makeLaptop('a2');
  b1 = makeLaptop('b1');
  skewClock(a1.store, 365 * 86_400_000);
  skewClock(a2.store, -365 * 86_400_000);
  await enrolHttp(a1.store, srv.url, await code(dA), 'Ноутбук А1');
  await enrolHttp(a2.store, srv.url, await code(dA), 'Ноутбук А2');
  await enrolHttp(b1.store, srv.url, await code(dB), 'Ноутбук Б1');
});
afterAll(async () => {
  await srv.close();
  await th.close();
});

const school = (l: Laptop, name: string) => insertRow(l.store, 'schools', { district_id: 'd', full_name: name, short_name: name, kind: 'СОШ', is_participant: true, stage: 'forming' });

describe('regional server', () => {
  it('refuses admin routes without the admin token', async () => {
    for (const [method, path] of [['GET', '/api/admin/districts'], ['POST', '/api/admin/districts'], ['POST', `/api/admin/districts/${dA}/codes`], ['GET', `/api/admin/districts/${dA}/devices`], ['POST', '/api/admin/reference'], ['POST', '/api/admin/import']] as const) {
      const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: 'Bearer wrong-token' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(res.status, path).toBe(401);
    }
  });

  it('a code works once', async () => {
    const c = await code(dA);
    const l = makeLaptop('x');
    await enrolHttp(l.store, srv.url, c, 'X');
    const l2 = makeLaptop('y');
    await expect(enrolHttp(l2.store, srv.url, c, 'Y')).rejects.toThrow(/уже использован/);
    await expect(enrolHttp(makeLaptop('z').store, srv.url, 'AAAA-BBBB-CCCC', 'Z')).rejects.toThrow(/неверен/);
  });

  it('syncs within a district with laptop clocks a year apart', async () => {
    school(a1, 'Школа из будущего');
    const s = school(a2, 'Школа из прошлого');
    await syncHttp(ctxOf(a1));
    await syncHttp(ctxOf(a2));
    await syncHttp(ctxOf(a1));
    // a2 (a year behind) edits after seeing a1's clock: its edit must still win, since it came later.
    updateRow(a2.store, 'schools', s.id, { notes: 'правка с отстающими часами' });
    await syncHttp(ctxOf(a2));
    await syncHttp(ctxOf(a1));
    expect(snapshot(a1.store, ['schools'])).toEqual(snapshot(a2.store, ['schools']));
    const row = a1.store.sqlite.prepare('SELECT notes FROM schools WHERE id = ?').get(s.id) as { notes: string };
    expect(row.notes).toBe('правка с отстающими часами');
    expect((a1.store.sqlite.prepare('SELECT COUNT(*) AS n FROM schools').get() as { n: number }).n).toBe(2);
  });

  it('district B sees nothing of district A', async () => {
    await syncHttp(ctxOf(b1));
    expect((b1.store.sqlite.prepare('SELECT COUNT(*) AS n FROM schools').get() as { n: number }).n).toBe(0);
  });

  it('a device of district B cannot read or write district A on any route', async () => {
    const pkg = buildOutgoing(b1.store, b1.dataDir);
    const post = await signedPost(b1, `/api/districts/${dA}/sync`, pkg);
    expect(post.status).toBe(403);
    expect(((await post.json()) as { error: { message: string } }).error.message).toMatch(/своего района/);
    const get = await signedGet(b1, `/api/districts/${dA}/changes?after=0`);
    expect(get.status).toBe(403);
    // A package claiming district A, signed by B's key: the claim does not match the registration.
    const forged = buildPackage(
      { schema: LATEST_SCHEMA_VERSION, minReaderSchema: 1, id: crypto.randomUUID(), createdAt: new Date().toISOString(), sender: { device: replicaOf(b1.store).deviceId, district: dA, role: 'device' }, recipient: null, cursor: 0, hub: null, ack: null },
      [],
      [],
      deviceKeys(b1.store).privateKey,
    );
    for (const path of ['/api/sync', `/api/districts/${dA}/sync`]) expect((await signedPost(b1, path, forged)).status, path).toBe(403);
    expect((await fetch(`${srv.url}/api/admin/import`, { method: 'POST', headers: admin, body: Buffer.from(forged) })).status).toBe(403);
    // Signed as A1 but with B1's key: the signature does not verify.
    const impostor = buildPackage(
      { schema: LATEST_SCHEMA_VERSION, minReaderSchema: 1, id: crypto.randomUUID(), createdAt: new Date().toISOString(), sender: { device: replicaOf(a1.store).deviceId, district: dA, role: 'device' }, recipient: null, cursor: 0, hub: null, ack: null },
      [],
      [],
      deviceKeys(b1.store).privateKey,
    );
    // Over HTTP it is refused as another device's package; through the admin's USB route, by its signature.
    expect((await signedPost(b1, '/api/sync', impostor)).status).toBe(403);
    expect((await fetch(`${srv.url}/api/admin/import`, { method: 'POST', headers: admin, body: Buffer.from(impostor) })).status).toBe(400);
    // The request itself claimed by A1 but signed with B1's key: refused before the package is opened.
    const claimedA1 = deviceAuth(b1, 'POST', '/api/sync', impostor)['x-device-auth']!.replace(replicaOf(b1.store).deviceId, replicaOf(a1.store).deviceId);
    const asA1 = await fetch(`${srv.url}/api/sync`, { method: 'POST', headers: { 'x-device-auth': claimedA1 }, body: Buffer.from(impostor) });
    expect(asA1.status).toBe(401);
    // Unsigned GET and a GET signed for another path.
    expect((await fetch(`${srv.url}/api/districts/${dA}/changes?after=0`)).status).toBe(401);
    expect((await fetch(`${srv.url}/api/districts/${dA}/changes?after=0`, { headers: deviceAuth(a1, 'GET', '/other') })).status).toBe(401);
    // Its own district works.
    expect((await signedGet(a1, `/api/districts/${dA}/changes?after=0`)).status).toBe(200);
  });

  it('a device may not send changes authored by another device', async () => {
    const c = { d: replicaOf(a1.store).deviceId, q: 999, h: replicaOf(a1.store).clock.current(), t: 'schools', r: crypto.randomUUID(), v: { full_name: 'подделка' } };
    const forged = buildPackage(
      { schema: LATEST_SCHEMA_VERSION, minReaderSchema: 1, id: crypto.randomUUID(), createdAt: new Date().toISOString(), sender: { device: replicaOf(a2.store).deviceId, district: dA, role: 'device' }, recipient: null, cursor: 0, hub: null, ack: null },
      [c],
      [],
      deviceKeys(a2.store).privateKey,
    );
    const res = await signedPost(a2, '/api/sync', sealedToHub(th.hub, forged));
    expect(res.status).toBe(403);
  });


  it("a device may not relay another device's package under its own signature", async () => {
    await school(a1, 'Школа, которую несёт чужой ноутбук');
    const a1Package = buildOutgoing(a1.store, a1.dataDir);
    const relayed = await signedPost(a2, '/api/sync', a1Package);
    expect(relayed.status).toBe(403);
    expect(((await relayed.json()) as { error: { code: string } }).error.code).toBe('wrong_sender');
    // The package itself is sound: signed by its own sender it is accepted.
    expect((await signedPost(a1, '/api/sync', a1Package)).status).toBe(200);
  });
  it('region reference data flows down to every district and a district cannot change it', async () => {
    const id = crypto.randomUUID();
    const r = await adminPost('/api/admin/reference', { table: 'risk_factors', rows: [{ id, year: 2025, code: 'РФ11', title: 'Новый фактор региона' }] });
    expect(r.body.published).toBe(1);
    await syncHttp(ctxOf(a1));
    await syncHttp(ctxOf(b1));
    for (const l of [a1, b1]) expect((l.store.sqlite.prepare('SELECT title FROM risk_factors WHERE id = ?').get(id) as { title: string }).title).toBe('Новый фактор региона');
    const c = { d: replicaOf(b1.store).deviceId, q: 1_000_000, h: replicaOf(b1.store).clock.tick(), t: 'risk_factors', r: id, v: { title: 'взлом' } };
    const forged = buildPackage(
      { schema: LATEST_SCHEMA_VERSION, minReaderSchema: 1, id: crypto.randomUUID(), createdAt: new Date().toISOString(), sender: { device: replicaOf(b1.store).deviceId, district: dB, role: 'device' }, recipient: null, cursor: 0, hub: null, ack: null },
      [c],
      [],
      deviceKeys(b1.store).privateKey,
    );
    const res = await signedPost(b1, '/api/sync', sealedToHub(th.hub, forged));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/только регион/);
    const district = await adminPost('/api/admin/reference', { table: 'schools', rows: [] });
    expect(district.status).toBe(400);
  });

  it('the USB route: an exported file imported by the admin gives the reply file', async () => {
    school(a1, 'Школа с флешки');
    const file = buildOutgoing(a1.store, a1.dataDir);
    const res = await fetch(`${srv.url}/api/admin/import`, { method: 'POST', headers: admin, body: Buffer.from(file) });
    expect(res.status).toBe(200);
    importPackage(a1.store, a1.dataDir, new Uint8Array(await res.arrayBuffer()));
    await syncHttp(ctxOf(a2));
    expect(a2.store.sqlite.prepare("SELECT 1 FROM schools WHERE short_name = 'Школа с флешки'").get()).toBeTruthy();
  });

  it('a connection dropped mid-transfer leaves both sides consistent and the next sync completes', async () => {
    school(a2, 'Школа после обрыва');
    const bytes = buildOutgoing(a2.store, a2.dataDir);
    // Send half the body and cut the socket.
    const net = await import('node:net');
    await new Promise<void>((resolve) => {
      const sock = net.connect(srv.port, '127.0.0.1', () => {
        const auth = deviceAuth(a2, 'POST', '/api/sync', bytes)['x-device-auth'];
        sock.write(`POST /api/sync HTTP/1.1\r\nHost: x\r\nX-Device-Auth: ${auth}\r\nContent-Length: ${bytes.length}\r\n\r\n`);
        sock.write(Buffer.from(bytes.slice(0, bytes.length >> 1)));
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 50);
      });
    });
    await syncHttp(ctxOf(a2));
    await syncHttp(ctxOf(a1));
    expect(a1.store.sqlite.prepare("SELECT 1 FROM schools WHERE short_name = 'Школа после обрыва'").get()).toBeTruthy();
  });

  it('lists and revokes devices; a revoked device is refused on every route', async () => {
    const devices = await (await fetch(`${srv.url}/api/admin/districts/${dB}/devices`, { headers: admin })).json() as { id: string }[];
    expect(devices.map((d) => d.id)).toEqual([replicaOf(b1.store).deviceId]);
    expect((await adminPost(`/api/admin/devices/${replicaOf(b1.store).deviceId}/revoke`)).status).toBe(200);
    await expect(syncHttp(ctxOf(b1))).rejects.toThrow(/отключено администратором/);
    expect((await signedGet(b1, `/api/districts/${dB}/changes?after=0`)).status).toBe(403);
    expect(enrolment(b1.store)).not.toBeNull();
  });
});
