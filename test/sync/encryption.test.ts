/**
 * Packages sealed to their recipient, over the real hub: what travels over HTTP and what is
 * written to a USB file shows no name and is no zip; a laptop enrolled before encryption keeps
 * syncing plain until it announces its key, and then only sealed; a package sealed for someone
 * else is refused; a laptop refuses a server that is not the hub it enrolled with; HTTPS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context';
import { enrolHttp, syncHttp } from '../../core/sync/client';
import { isEnvelope, openEnvelope, sealEnvelope } from '../../core/sync/envelope.node';
import { buildOutgoing, deviceEncKeys, deviceKeys, enrolment, META } from '../../core/sync/local.node';
import { buildPackage, type Manifest } from '../../core/sync/package.node';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { getMeta, replicaOf } from '../../db/replica';
import { insertRow } from '../../db/write';
import { HubError } from '../../server/hub';
import { listen, type RunningHub } from '../../server/http';
import { enrol, exchange, importInto, makeHub, makeLaptop, sealedToHub, tempDir, type Laptop, type TestHub } from './helpers';

const SURNAME = 'Чернышевская';
const ctxOf = (l: Laptop): Ctx => ({ store: l.store, dataDir: l.dataDir, emit: () => undefined });

const person = (l: Laptop, lastName: string) =>
  insertRow(l.store, 'people', { district_id: 'd', last_name: lastName, first_name: 'Анна', is_coordinator: false, is_curator: true, is_school_coordinator: false, is_director: false });

/** Neither a readable name nor a zip: what a finder of the bytes gets. */
function expectOpaque(bytes: Uint8Array, what: string): void {
  expect(isEnvelope(bytes), what).toBe(true);
  expect(Buffer.from(bytes).includes(Buffer.from(SURNAME)), what).toBe(false);
  expect(() => unzipSync(bytes), what).toThrow();
}

const hubRefusalOf = (p: Promise<unknown>): Promise<HubError> =>
  p.then(
    () => {
      throw new Error('accepted');
    },
    (e: unknown) => e as HubError,
  );

let th: TestHub;
let districtId: string;

beforeAll(async () => {
  th = await makeHub();
  districtId = (await th.hub.createDistrict('Район А')).id;
});
afterAll(async () => {
  await th.close();
});

describe('sealed packages over the real hub', () => {
  let srv: RunningHub;
  const realFetch = globalThis.fetch;
  const wire: Uint8Array[] = [];

  beforeAll(async () => {
    srv = await listen(th.hub, 0);
    // Every package body as it crosses the wire, both ways.
    globalThis.fetch = async (input, init) => {
      if (init?.body instanceof Uint8Array) wire.push(new Uint8Array(init.body));
      const res = await realFetch(input, init);
      if (res.headers.get('content-type')?.startsWith('application/octet-stream')) wire.push(new Uint8Array(await res.clone().arrayBuffer()));
      return res;
    };
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await srv.close();
  });

  it('push and pull carry no surname and no zip, on the wire and in the USB file, and the data arrives', async () => {
    const a = makeLaptop('a');
    const b = makeLaptop('b');
    await enrolHttp(a.store, srv.url, (await th.hub.createCode(districtId)).code, 'Ноутбук А');
    await enrolHttp(b.store, srv.url, (await th.hub.createCode(districtId)).code, 'Ноутбук Б');
    expect(enrolment(a.store)?.hubEncKey).toBe(th.hub.identity.encPublicKey);
    person(a, SURNAME);
    wire.length = 0;
    await syncHttp(ctxOf(a));
    await syncHttp(ctxOf(b));
    expect(b.store.sqlite.prepare('SELECT 1 FROM people WHERE last_name = ?').get(SURNAME)).toBeTruthy();
    expect(wire.length).toBeGreaterThanOrEqual(4);
    wire.forEach((bytes, i) => expectOpaque(bytes, `body ${i}`));

    // The USB route: the exported file and the reply file the region hands back.
    person(a, `${SURNAME}-Флешка`);
    const file = buildOutgoing(a.store, a.dataDir);
    expectOpaque(file, 'USB file');
    const reply = await th.hub.push(file);
    expectOpaque(reply, 'USB reply');
    importInto(a, reply);
    // Only its recipient opens it: the other laptop of the district cannot.
    expect(() => importInto(b, reply)).toThrow(/другого получателя/);
  });
});

describe('a laptop enrolled before packages were sealed', () => {
  /** An empty package of `l`, plain; as the version before encryption built it unless it names a key. */
  const packageOf = (l: Laptop, encKey?: string): Uint8Array =>
    buildPackage(
      {
        schema: LATEST_SCHEMA_VERSION,
        minReaderSchema: 1,
        id: crypto.randomUUID(),
        createdAt: new Date().toISOString(),
        sender: { device: replicaOf(l.store).deviceId, district: districtId, role: 'device' },
        recipient: null,
        cursor: 0,
        hub: null,
        ack: null,
        ...(encKey ? { encKey } : {}),
      },
      [],
      [],
      deviceKeys(l.store).privateKey,
    );
  const encKeyOnHub = async (l: Laptop) =>
    (await th.hub.db.selectFrom('devices').select('enc_key').where('id', '=', replicaOf(l.store).deviceId).executeTakeFirstOrThrow()).enc_key;

  it('syncs plain until it announces its key; then the hub takes only sealed packages and seals its replies', async () => {
    const old = makeLaptop('old');
    await enrol(th.hub, old, districtId, { legacy: true });
    expect(getMeta(old.store, META.encPublicKey)).toBeUndefined();

    // The old version: plain both ways, and the reply names no key an old laptop would not understand.
    const plainReply = await th.hub.push(packageOf(old));
    expect(isEnvelope(plainReply)).toBe(false);
    const manifest = JSON.parse(Buffer.from(unzipSync(plainReply)['manifest.json']!).toString()) as Manifest;
    expect(manifest.encKey).toBeUndefined();
    expect(await encKeyOnHub(old)).toBeNull();

    // Upgraded: its first package is still plain (it does not know the hub's key) but announces its own.
    const first = buildOutgoing(old.store, old.dataDir);
    expect(isEnvelope(first)).toBe(false);
    const sealedReply = await th.hub.push(first);
    expect(await encKeyOnHub(old)).toBe(deviceEncKeys(old.store).publicKey);
    expect(isEnvelope(sealedReply)).toBe(true);
    importInto(old, sealedReply);
    expect(enrolment(old.store)?.hubEncKey).toBe(th.hub.identity.encPublicKey);

    // From now on: sealed accepted, plain refused, another key refused.
    expect(isEnvelope(buildOutgoing(old.store, old.dataDir))).toBe(true);
    await th.hub.push(buildOutgoing(old.store, old.dataDir));
    expect((await hubRefusalOf(th.hub.push(packageOf(old)))).code).toBe('not_sealed');
    const otherKey = packageOf(old, deviceEncKeys(makeLaptop('x').store).publicKey);
    const refused = await hubRefusalOf(th.hub.push(sealedToHub(th.hub, otherKey)));
    expect(refused.code).toBe('enc_key_changed');
    expect(refused.message).toMatch(/отличается от зарегистрированного/);
    expect(await encKeyOnHub(old)).toBe(deviceEncKeys(old.store).publicKey);
  });

  it('a package sealed for another recipient is refused by the hub, which stores nothing of it', async () => {
    const l = makeLaptop('l');
    const other = makeLaptop('other');
    await enrol(th.hub, l, districtId);
    person(l, SURNAME);
    const signed = openEnvelope(buildOutgoing(l.store, l.dataDir), { publicKey: th.hub.identity.encPublicKey, privateKey: th.hub.identity.encPrivateKey });
    const before = await th.hub.db.selectFrom('packages').select('id').execute();
    const refused = await hubRefusalOf(th.hub.push(sealEnvelope(signed, deviceEncKeys(other.store).publicKey)));
    expect(refused.status).toBe(400);
    expect(refused.code).toBe('wrong_recipient');
    expect(refused.message).toMatch(/другого получателя/);
    expect(await th.hub.db.selectFrom('packages').select('id').execute()).toEqual(before);
    // The same package sealed to the hub goes through.
    await th.hub.push(sealedToHub(th.hub, signed));
  });
});

describe('the pinned hub', () => {
  let impostor: http.Server;
  let answer: Uint8Array = new Uint8Array();
  let url: string;

  beforeAll(async () => {
    // Answers every device request with the package it is given, as another server at the enrolled address would.
    impostor = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(answer)));
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
  });
  afterAll(() => impostor.close());

  it('refuses a reply from another hub, or signed with another key, in Russian, and changes nothing', async () => {
    const l = makeLaptop('pinned');
    await enrol(th.hub, l, districtId);
    // The laptop's server address now leads to the impostor.
    l.store.sqlite.prepare("UPDATE meta SET value = ? WHERE key = 'sync.server'").run(url);
    const other = await makeHub();
    try {
      const otherDistrict = (await other.hub.createDistrict('Район А')).id;
      const stand = makeLaptop('stand-in');
      await enrol(other.hub, stand, otherDistrict);
      // A genuine reply of the other hub, sealed to our laptop's key (its public key is no secret).
      const fromOther = openEnvelope(await exchange(other.hub, stand), deviceEncKeys(stand.store));
      const state = () => JSON.stringify(['people', 'schools', 'meta', 'sync_imports'].map((t) => l.store.sqlite.prepare(`SELECT * FROM ${t}`).all()));
      const before = state();
      answer = sealEnvelope(fromOther, deviceEncKeys(l.store).publicKey);
      await expect(syncHttp(ctxOf(l))).rejects.toMatchObject({ code: 'hub_mismatch', message: expect.stringMatching(new RegExp(`Сервер ${url} не тот, к которому подключён этот ноутбук: его ключ отличается`)) });
      // The other hub's key under our hub's name.
      const m = JSON.parse(Buffer.from(unzipSync(fromOther)['manifest.json']!).toString()) as Manifest;
      const { format: _f, ranges: _r, counts: _c, parts: _p, ...input } = m;
      const forged = buildPackage({ ...input, id: crypto.randomUUID(), recipient: replicaOf(l.store).deviceId, sender: { ...m.sender, device: th.hub.identity.device, district: districtId } }, [], [], other.hub.identity.privateKey);
      answer = sealEnvelope(forged, deviceEncKeys(l.store).publicKey);
      await expect(syncHttp(ctxOf(l))).rejects.toMatchObject({ code: 'hub_mismatch', message: expect.stringMatching(/не тот, к которому подключён этот ноутбук/) });
      expect(state()).toBe(before);
    } finally {
      await other.close();
    }
  });
});

describe('HTTPS', () => {
  let srv: RunningHub;
  let certFile: string;

  beforeAll(async () => {
    const dir = tempDir('shnor-tls-');
    certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    srv = await listen(th.hub, 0, '127.0.0.1', { tls: { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } });
  });
  afterAll(async () => {
    await srv.close();
  });
  afterEach(() => {
    delete process.env.SHNOR_HUB_CA;
  });

  it('serves the hub over HTTPS; a laptop trusting the certificate enrols and syncs, one that does not is told why', async () => {
    expect(srv.url).toMatch(/^https:\/\//);
    const l = makeLaptop('tls');
    await expect(enrolHttp(l.store, srv.url, (await th.hub.createCode(districtId)).code, 'Ноутбук')).rejects.toMatchObject({ code: 'hub_certificate' });
    process.env.SHNOR_HUB_CA = certFile;
    await enrolHttp(l.store, srv.url, (await th.hub.createCode(districtId)).code, 'Ноутбук');
    person(l, SURNAME);
    await syncHttp(ctxOf(l));
    const stored = await th.hub.db.selectFrom('changes').select('data').where('device_id', '=', replicaOf(l.store).deviceId).execute();
    expect(stored.some((r) => r.data.includes(SURNAME))).toBe(true);
    // Plain HTTP to the HTTPS port is no way around it.
    await expect(fetch(srv.url.replace('https:', 'http:') + '/api/health')).rejects.toThrow();
  });
});
