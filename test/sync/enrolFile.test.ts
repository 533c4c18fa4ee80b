/**
 * Enrolment of a laptop that is never online: the request file it saves, the region's
 * import on the server (in-process and through the admin route), the reply package that
 * enrols the laptop and brings the district; and every refusal — wrong code, replayed
 * request or reply, tampered request or reply, a reply to another laptop's request —
 * with a Russian message and nothing written.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEnvelope } from '../../core/sync/envelope.node';
import { deviceEncKeys } from '../../core/sync/local.node';
import { listen, type RunningHub } from '../../server/http';
import { HubError } from '../../server/hub';
import { countRows, openTestCore, writeFootprint, type TestCore } from '../integration/coreFixture';
import { enrol, exchange, makeHub, makeLaptop, syncFully, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
let districtId: string;
const cores: TestCore[] = [];

beforeAll(async () => {
  process.env.SHNOR_SYNC_INTERVAL_MS = '0';
  th = await makeHub();
  srv = await listen(th.hub, 0);
  districtId = (await th.hub.createDistrict('Каменск-Уральский ГО')).id;
  // A laptop with the district's data, enrolled and synced (its changes are on the hub).
  const a = openTestCore();
  cores.push(a);
  await a.ok('app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
  await a.ok('schools.create', { full_name: 'МАОУ «Средняя общеобразовательная школа № 3»', short_name: 'СОШ № 3', kind: 'СОШ', is_participant: true, stage: 'forming' });
  const laptopA = { name: 'A', store: a.core.ctx.store, dataDir: a.dir };
  await enrol(th.hub, laptopA, districtId);
  await syncFully(th.hub, laptopA);
});
afterAll(async () => {
  for (const c of cores) c.close();
  await srv.close();
  await th.close();
});

function laptop(): TestCore {
  const c = openTestCore();
  cores.push(c);
  return c;
}

const bytesOf = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function requestFile(c: TestCore, code?: string): Promise<Uint8Array> {
  return bytesOf((await c.ok('sync.enrolRequest', { code: code ?? (await th.hub.createCode(districtId)).code })).base64);
}

async function hubRefusal(p: Promise<unknown>): Promise<HubError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HubError);
  return e as HubError;
}

async function refused(c: TestCore, bytes: Uint8Array): Promise<{ code: string; message: string }> {
  const store = c.core.ctx.store;
  const before = { ...writeFootprint(store), districts: countRows(store, 'districts'), imports: countRows(store, 'sync_imports') };
  const r = await c.call('sync.enrolImport', { fileName: 'ответ.shnor', base64: b64(bytes) });
  expect(r.ok).toBe(false);
  expect({ ...writeFootprint(store), districts: countRows(store, 'districts'), imports: countRows(store, 'sync_imports') }).toEqual(before);
  if (r.ok) throw new Error('accepted');
  expect(r.error.message).toMatch(/[а-яё]/i);
  return r.error;
}

describe('enrolment through a request file', () => {
  it('a laptop that is never online enrols, receives the district, and then exchanges package files', async () => {
    const b = laptop();
    const reply = (await th.hub.enrolFromFile(await requestFile(b))).reply;
    const devices = await th.hub.listDevices(districtId);
    expect(devices.map((d) => d.id)).toContain((await b.ok('sync.status', {})).deviceId);

    const run = await b.ok('sync.enrolImport', { fileName: 'ответ.shnor', base64: b64(reply) });
    expect(run.applied).toBeGreaterThan(0);
    expect(run.state.enrolled).toBe(true);
    expect(run.state.server).toBeNull();
    expect(run.state.districtName).toBe('Каменск-Уральский ГО');
    expect((await b.ok('app.info', {})).district?.name).toBe('Каменск-Уральский городской округ');
    expect((await b.ok('schools.list', {})).rows.map((r) => r.short_name)).toEqual(['СОШ № 3']);

    // No server address: HTTP sync says to use files; the file exchange works end to end.
    const now = await b.call('sync.now', {});
    expect(now.ok).toBe(false);
    if (!now.ok) expect(now.error.code).toBe('no_server');
    await b.ok('schools.create', { full_name: 'МАОУ «Средняя общеобразовательная школа № 7»', short_name: 'СОШ № 7', kind: 'СОШ', is_participant: true, stage: 'forming' });
    const out = bytesOf((await b.ok('sync.export', {})).base64);
    const back = await th.hub.push(out);
    await b.ok('sync.import', { fileName: 'ответ.shnor', base64: b64(back) });
    expect((await b.ok('sync.status', {})).pending).toBe(0);

    // The same reply again: the laptop is enrolled already.
    const again = await refused(b, reply);
    expect(again.code).toBe('enrolled');
  });

  it('the region imports the request through the admin route and gets the reply file back', async () => {
    const c = laptop();
    const request = await requestFile(c);
    const anonymous = await fetch(`${srv.url}/api/admin/enrol-file`, { method: 'POST', body: Buffer.from(request) });
    expect(anonymous.status).toBe(401);
    const res = await fetch(`${srv.url}/api/admin/enrol-file`, { method: 'POST', body: Buffer.from(request), headers: { authorization: `Bearer ${th.hub.identity.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const reply = new Uint8Array(await res.arrayBuffer());
    await c.ok('sync.enrolImport', { base64: b64(reply) });
    expect((await c.ok('app.info', {})).district?.name).toBe('Каменск-Уральский городской округ');
    // Replayed request: the one-time code is spent.
    const replay = await fetch(`${srv.url}/api/admin/enrol-file`, { method: 'POST', body: Buffer.from(request), headers: { authorization: `Bearer ${th.hub.identity.adminToken}` } });
    expect(replay.status).toBe(403);
    expect(((await replay.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'used_code', message: expect.stringMatching(/уже использован/) });
  });

  it('the server refuses a wrong code, a replayed request and a tampered request, enrolling nobody', async () => {
    const d = laptop();
    const before = (await th.hub.listDevices(districtId)).length;
    expect((await hubRefusal(th.hub.enrolFromFile(await requestFile(d, 'AAAA-BBBB-CCCC')))).code).toBe('bad_code');

    const good = await requestFile(d);
    const file = JSON.parse(strFromU8(good)) as { request: string; signature: string };
    const forged = { ...file, request: file.request.replace(/"name":"[^"]*"/, '"name":"Чужой ноутбук"') };
    const e = await hubRefusal(th.hub.enrolFromFile(strToU8(JSON.stringify(forged))));
    expect(e.code).toBe('bad_signature');
    expect(e.message).toMatch(/Подпись запроса/);
    expect((await hubRefusal(th.hub.enrolFromFile(strToU8('{"не":"запрос"}')))).code).toBe('bad_request_file');
    expect((await th.hub.listDevices(districtId)).length).toBe(before);

    await th.hub.enrolFromFile(good);
    const replay = await hubRefusal(th.hub.enrolFromFile(good));
    expect(replay.code).toBe('used_code');
    expect((await th.hub.listDevices(districtId)).length).toBe(before + 1);
  });

  it('the laptop refuses a tampered reply, a reply to another request, an ordinary package, and a reply without a request', async () => {
    const e = laptop();
    // Nothing requested yet.
    const other = laptop();
    const otherReply = (await th.hub.enrolFromFile(await requestFile(other))).reply;
    expect((await refused(e, otherReply)).code).toBe('no_request');

    await requestFile(e); // superseded by the next request
    const reply = (await th.hub.enrolFromFile(await requestFile(e))).reply;
    // Sealed to the other laptop's key, it does not even open here; opened, it answers another request.
    expect((await refused(e, otherReply)).code).toBe('wrong_recipient');
    expect((await refused(e, openEnvelope(otherReply, deviceEncKeys(other.core.ctx.store)))).code).toBe('foreign_request');

    // A changed byte in the manifest (the district name) breaks the hub's signature.
    const files = unzipSync(openEnvelope(reply, deviceEncKeys(e.core.ctx.store)));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { enrolment: { district: { name: string } } };
    manifest.enrolment.district.name = 'Подменённый район';
    files['manifest.json'] = strToU8(JSON.stringify(manifest));
    const tampered = await refused(e, zipSync(files));
    expect(tampered.code).toBe('bad_signature');

    // An ordinary hub package (not an enrolment reply) cannot enrol.
    const plain = makeLaptop('plain');
    await enrol(th.hub, plain, districtId);
    expect((await refused(e, openEnvelope(await exchange(th.hub, plain), deviceEncKeys(plain.store)))).code).toBe('not_enrol_reply');

    expect((await e.ok('sync.status', {})).enrolled).toBe(false);
    await e.ok('sync.enrolImport', { base64: b64(reply) });
    expect((await e.ok('sync.status', {})).enrolled).toBe(true);
  });
});
