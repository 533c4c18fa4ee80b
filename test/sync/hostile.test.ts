/**
 * A corpus of malformed and hostile packages: each is refused whole, with a Russian
 * message naming the reason, and the laptop's database is byte-for-byte unchanged. The
 * changes that are hostile in what they carry (clocks, tables, columns, ids, text, types) and
 * the zip bombs are refused the same way by the hub's push, which stores nothing of them.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, SyncRefusal, type Manifest } from '../../core/sync/package.node';
import { applyChunk, type WireChange } from '../../core/sync/apply';
import { openEnvelope, sealEnvelope } from '../../core/sync/envelope.node';
import { deviceEncKeys, deviceKeys } from '../../core/sync/local.node';
import { getMeta, replicaOf } from '../../db/replica';
import { MAX_HLC_MS, parseHlc } from '../../db/hlc';
import type { Store } from '../../db/store';
import { insertRow } from '../../db/write';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { HubError } from '../../server/hub';
import { listen } from '../../server/http';
import { deviceAuth, enrol, exchange, importInto, makeHub, makeLaptop, sealedToHub, syncFully, type Laptop, type TestHub } from './helpers';

/** The wall-time part of the last clock in range (the year 3000). */
const LAST_MS = MAX_HLC_MS.toString(36).padStart(11, '0');
const MiB = 1024 * 1024;

let th: TestHub;
let a: Laptop;
let b: Laptop;
let other: Laptop;
let districtId: string;
let otherDistrictId: string;

function dump(store: Store): string {
  const tables = store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return JSON.stringify(tables.map((t) => [t.name, store.sqlite.prepare(`SELECT * FROM "${t.name}"`).all()]));
}

function manifestFor(l: Laptop, over: Partial<Manifest> = {}): Omit<Manifest, 'format' | 'ranges' | 'counts' | 'parts'> {
  return {
    schema: LATEST_SCHEMA_VERSION,
    minReaderSchema: 1,
    id: crypto.randomUUID(),
    createdAt: new Date().toISOString(),
    sender: { device: th.hub.identity.device, district: districtId, role: 'hub' },
    recipient: replicaOf(l.store).deviceId,
    cursor: 0,
    hub: { after: 0, upto: 1, more: false },
    ack: 0,
    ...over,
  };
}

const change = (over: Partial<WireChange> = {}): WireChange => ({
  d: 'другое-устройство',
  q: 1,
  h: '0000000000a-00000-другое-устройство',
  t: 'schools',
  r: crypto.randomUUID(),
  v: { district_id: 'd', full_name: 'Школа', short_name: 'Ш', kind: 'СОШ', created_at: 'x', updated_at: 'x', deleted_at: null },
  s: 1,
  ...over,
});

/** Rewrites entries of a package, keeping or re-signing the manifest as given. */
function rezip(bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes);
  edit(files);
  return zipSync(files);
}

let valid: Uint8Array;

interface RawEntry {
  name: string;
  /** The entry's bytes as stored (deflated unless `stored`). */
  data: Uint8Array;
  /** The unpacked size the headers declare (may lie). */
  size: number;
  stored?: boolean;
}

/** A zip file written by hand, so that its headers can say anything (fflate's writer would not lie). */
function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, Buffer.from(e.data));
    central.push(dir, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, end]));
}

/** `n` zero bytes, deflated (about a thousandth of n): the kernel of every bomb below. */
const zeros = (() => {
  const cache = new Map<number, Uint8Array>();
  return (n: number): Uint8Array => {
    let z = cache.get(n);
    if (!z) cache.set(n, (z = deflateRawSync(Buffer.alloc(n), { level: 9 })));
    return z;
  };
})();

/** The package's small parts as they are, so only the bomb makes it unusual. */
const genuine = (): RawEntry[] =>
  Object.entries(unzipSync(valid))
    .filter(([name]) => name === 'manifest.json' || name === 'signature')
    .map(([name, data]) => ({ name, data, size: data.length, stored: true }));

type Bomb = [name: string, reason: string, make: () => Uint8Array];

const bombs: Bomb[] = [
  // 80 MiB declared honestly: past the limit of one part, refused from the directory before any inflating.
  ['бомба: одна огромная часть', 'too_big_unpacked', () => rawZip([...genuine(), { name: 'changes/0000.ndjson', data: zeros(80 * MiB), size: 80 * MiB }])],
  // The same entry declaring 1 KB: inflating stops after 1 KB of output.
  ['бомба: размер в заголовке занижен', 'corrupt', () => rawZip([...genuine(), { name: 'changes/0000.ndjson', data: zeros(80 * MiB), size: 1000 }])],
  // 40 parts of 30 MiB, each within the limit of a part, 1.2 GiB together from 1.2 MB.
  ['бомба: много частей', 'too_big_unpacked', () =>
    rawZip([...genuine(), ...Array.from({ length: 40 }, (_, i) => ({ name: `changes/${String(i).padStart(4, '0')}.ndjson`, data: zeros(30 * MiB), size: 30 * MiB }))])],
  // A zip bomb inside the package: never unpacked, and not a part a package has, so refused unopened.
  ['бомба: вложенный архив', 'too_big_unpacked', () => {
    const inner = rawZip([{ name: 'a', data: zeros(80 * MiB), size: 80 * MiB }]);
    return rawZip([...genuine(), { name: 'bomb.zip', data: deflateRawSync(inner), size: inner.length }]);
  }],
];

/** The clock of a change by `device` (a fixed, valid wall time). */
const clockOf = (device: string, head = '000loyw3v28-00000'): string => `${head}-${device}`;

/** Changes hostile in what they carry; each, given its author, is refused with the reason named. */
type ChangeCase = [name: string, reason: string, make: (device: string) => WireChange];

const school = { district_id: 'd', full_name: 'Школа', short_name: 'Ш', kind: 'СОШ', created_at: 'x', updated_at: 'x', deleted_at: null };
const by = (device: string, over: Partial<WireChange> = {}): WireChange => ({ d: device, q: 1, h: clockOf(device), t: 'schools', r: crypto.randomUUID(), v: school, ...over });

const changeCases: ChangeCase[] = [
  ['метка времени не разбирается', 'bad_clock', (d) => by(d, { h: `!!!-00000-${d}` })],
  ['метка времени NaN', 'bad_clock', (d) => by(d, { h: `NaN-NaN-${d}` })],
  ['метка времени переполнена (12 знаков)', 'bad_clock', (d) => by(d, { h: `ffffffffffff-00000-${d}` })],
  ['метка времени после 3000 года', 'bad_clock', (d) => by(d, { h: `zzzzzzzzzzz-00000-${d}` })],
  ['счётчик метки переполнен', 'bad_clock', (d) => by(d, { h: `000loyw3v28-1000000-${d}` })],
  ['метка времени другого устройства', 'bad_clock', (d) => by(d, { h: clockOf('чужое-устройство') })],
  ['неверная метка в истории поля', 'bad_clock', (d) => by(d, { m: { b: { full_name: ['NaN-00000-x'] } } })],
  ['неизвестная таблица', 'unknown_table', (d) => by(d, { t: 'future_table', v: { a: 1 } })],
  ['служебная таблица meta', 'local_table', (d) => by(d, { t: 'meta', v: { key: 'hlc', value: 'NaN-NaN-x' } })],
  ['служебная таблица журнала', 'local_table', (d) => by(d, { t: 'field_clocks', v: { col: 'x', hlc: 'x' } })],
  ['неизвестное поле той же версии', 'unknown_column', (d) => by(d, { v: { ...school, future_col: 1 } })],
  ['id строки не UUID', 'bad_id', (d) => by(d, { r: 'x' })],
  ['id строки заглавными', 'bad_id', (d) => by(d, { r: '0190C000-0000-7000-8000-000000000001' })],
  ['NUL в тексте', 'bad_text', (d) => by(d, { v: { ...school, full_name: 'Шко\u0000ла' } })],
  ['число в текстовом поле', 'bad_value', (d) => by(d, { v: { ...school, full_name: 5 } })],
  ['текст в числовом поле', 'bad_value', (d) => by(d, { v: { ...school, is_participant: 'да' } })],
  ['дробное в целом поле', 'bad_value', (d) => by(d, { v: { ...school, cohort_year: 2024.5 } })],
  ['обязательное поле стёрто', 'bad_value', (d) => by(d, { v: { ...school, full_name: null } })],
];

beforeAll(async () => {
  th = await makeHub();
  districtId = (await th.hub.createDistrict('Район А')).id;
  otherDistrictId = (await th.hub.createDistrict('Район Б')).id;
  a = makeLaptop('a');
  b = makeLaptop('b');
  other = makeLaptop('other');
  await enrol(th.hub, a, districtId);
  await enrol(th.hub, b, districtId);
  await enrol(th.hub, other, otherDistrictId);
  for (let i = 0; i < 30; i++) insertRow(a.store, 'schools', { district_id: 'd', full_name: `Школа ${i}`, short_name: `Ш${i}`, kind: 'СОШ', is_participant: true, stage: 'forming' });
  await syncFully(th.hub, a);
  await syncFully(th.hub, b);
  insertRow(a.store, 'schools', { district_id: 'd', full_name: 'Новая', short_name: 'Н', kind: 'СОШ', is_participant: true, stage: 'forming' });
  await exchange(th.hub, a);
  // b's next reply: one new school, opened, so the cases below can take the signed package apart (a laptop accepts it plain too).
  valid = openEnvelope(await exchange(th.hub, b), deviceEncKeys(b.store));
});
afterAll(async () => {
  await th.close();
});

const hubKey = () => th.hub.identity.privateKey;
const strangerKey = generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;

type Case = [name: string, reason: string, make: () => Uint8Array, options?: { confirmMassDelete?: boolean }];

const corpus: Case[] = [
  ['пустой файл', 'empty', () => new Uint8Array()],
  ['обрезан наполовину', 'corrupt', () => valid.slice(0, Math.floor(valid.length / 2))],
  ['обрезан последний байт', 'corrupt', () => valid.slice(0, valid.length - 1)],
  ['случайные байты', 'corrupt', () => Uint8Array.from({ length: 500 }, (_, i) => (i * 37) % 256)],
  ['не zip, а текст', 'corrupt', () => strToU8('это не пакет')],
  ['без оглавления', 'no_manifest', () => rezip(valid, (f) => delete f['manifest.json'])],
  ['без подписи', 'unsigned', () => rezip(valid, (f) => delete f['signature'])],
  ['пустая подпись', 'unsigned', () => rezip(valid, (f) => (f['signature'] = new Uint8Array()))],
  ['зашифрован для другого ноутбука', 'wrong_recipient', () => sealEnvelope(valid, deviceEncKeys(a.store).publicKey)],
  ['зашифрованный пакет обрезан', 'tampered', () => sealEnvelope(valid, deviceEncKeys(b.store).publicKey).slice(0, -1)],
  ['подпись чужим ключом', 'bad_signature', () => buildPackage(manifestFor(b), [change()], [], strangerKey)],
  ['оглавление изменено после подписи', 'bad_signature', () =>
    rezip(valid, (f) => {
      const m = JSON.parse(strFromU8(f['manifest.json']!));
      m.hub.upto += 1000;
      f['manifest.json'] = strToU8(JSON.stringify(m));
    })],
  ['испорчен бит в изменениях', 'bad_hash', () =>
    rezip(valid, (f) => {
      const part = f['changes/0000.ndjson']!;
      part[10] = part[10]! ^ 0x04;
    })],
  ['испорчен бит в сжатом файле', 'corrupt|bad_hash|bad_signature|no_manifest|bad_manifest', () => {
    const copy = valid.slice();
    const at = Math.floor(copy.length / 3);
    copy[at] = copy[at]! ^ 0x10;
    return copy;
  }],
  ['лишний файл', 'extra_part', () => rezip(valid, (f) => (f['blobs/evil'] = strToU8('x')))],
  ['не хватает части', 'missing_part', () => rezip(valid, (f) => delete f['changes/0000.ndjson'])],
  ['оглавление не JSON', 'bad_manifest', () => rezip(valid, (f) => (f['manifest.json'] = strToU8('{не json')))],
  ['чужой район', 'foreign_district', () => buildPackage(manifestFor(b, { sender: { device: th.hub.identity.device, district: otherDistrictId, role: 'hub' } }), [change()], [], hubKey())],
  ['другому ноутбуку', 'foreign_recipient', () => buildPackage(manifestFor(a), [change()], [], hubKey())],
  ['неизвестный отправитель', 'unknown_sender', () => buildPackage(manifestFor(b, { sender: { device: replicaOf(a.store).deviceId, district: districtId, role: 'device' } }), [change()], [], strangerKey)],
  ['новый формат', 'newer_format', () =>
    rezip(valid, (f) => {
      const m = JSON.parse(strFromU8(f['manifest.json']!));
      m.format = 99;
      f['manifest.json'] = strToU8(JSON.stringify(m));
    })],
  ['требует новой схемы', 'newer_schema', () => buildPackage(manifestFor(b, { minReaderSchema: LATEST_SCHEMA_VERSION + 1, schema: LATEST_SCHEMA_VERSION + 1 }), [change()], [], hubKey())],
  ['разрыв в последовательности', 'gap', () => buildPackage(manifestFor(b, { hub: { after: 10_000, upto: 10_001, more: false } }), [change()], [], hubKey())],
  ['недопустимое имя таблицы', 'bad_change', () => buildPackage(manifestFor(b), [change({ t: 'schools; DROP TABLE schools' })], [], hubKey())],
  ['недопустимое значение', 'bad_change', () => buildPackage(manifestFor(b), [change({ v: { full_name: { evil: true } } as never })], [], hubKey())],
  ['одно изменение дважды', 'duplicate_change', () => buildPackage(manifestFor(b), [change(), change()], [], hubKey())],
  ['счётчики не совпадают', 'bad_counts', () => {
    const bytes = buildPackage(manifestFor(b), [change()], [], hubKey());
    return rezip(bytes, (f) => {
      const m = JSON.parse(strFromU8(f['manifest.json']!));
      m.counts.deletions = 5;
      f['manifest.json'] = strToU8(JSON.stringify(m));
      // re-signed by the hub: only the counts are wrong
      f['signature'] = strToU8(sign(null, f['manifest.json']!, createPrivateKey(hubKey())).toString('base64'));
    });
  }],
  ['массовое удаление', 'mass_delete', () => {
    const ids = (b.store.sqlite.prepare('SELECT id FROM schools WHERE deleted_at IS NULL').all() as { id: string }[]).map((r) => r.id);
    return buildPackage(
      manifestFor(b),
      // Clocks at the end of the range (the year 3000), so the deletions win over every edit.
      ids.map((id, i) => change({ q: i + 1, h: `${LAST_MS}-${String(i).padStart(5, '0')}-другое-устройство`, r: id, v: { deleted_at: '2024-01-01T00:00:00Z' }, m: { s: `${LAST_MS}-00000-x` } })),
      [],
      hubKey(),
    );
  }],
  ['неверный id устройства', 'bad_id', () => buildPackage(manifestFor(b), [change({ d: 'устройство с пробелом', h: clockOf('устройство с пробелом') })], [], hubKey())],
  ['служебная таблица даже из новой версии', 'local_table', () =>
    buildPackage(manifestFor(b, { schema: LATEST_SCHEMA_VERSION + 1 }), [change({ t: 'meta', v: { key: 'hlc', value: 'x' } })], [], hubKey())],
  ...changeCases.map(([name, reason, make]): Case => [name, reason, () => buildPackage(manifestFor(b), [make('другое-устройство')], [], hubKey())]),
  ...bombs,
];

describe('hostile packages', () => {
  it('has at least 20 cases', () => expect(corpus.length).toBeGreaterThanOrEqual(20));

  for (const [name, reason, make, options] of corpus) {
    it(`refuses: ${name}`, () => {
      const bytes = make();
      const before = dump(b.store);
      let refusal: unknown;
      try {
        importInto(b, bytes, options);
      } catch (e) {
        refusal = e;
      }
      expect(refusal, name).toBeInstanceOf(SyncRefusal);
      const r = refusal as SyncRefusal;
      expect(r.reason).toMatch(new RegExp(`^(${reason})$`));
      expect(r.message).toMatch(/[а-яё]{4}/i);
      expect(dump(b.store)).toBe(before);
    });
  }

  it('a replayed package is refused the second time and the first import stands', () => {
    importInto(b, valid);
    const after = dump(b.store);
    expect(() => importInto(b, valid)).toThrow(/уже был загружен/);
    expect(dump(b.store)).toBe(after);
    expect((b.store.sqlite.prepare("SELECT COUNT(*) AS n FROM schools WHERE short_name = 'Н'").get() as { n: number }).n).toBe(1);
  });

  it('a confirmed mass delete is applied', () => {
    const make = corpus.find((c) => c[1] === 'mass_delete')![2];
    importInto(b, make(), { confirmMassDelete: true });
    expect((b.store.sqlite.prepare('SELECT COUNT(*) AS n FROM schools WHERE deleted_at IS NULL').get() as { n: number }).n).toBe(0);
  });
});

/** A package from an enrolled laptop to the hub, signed with its key and sealed to the hub's. */
function devicePackage(l: Laptop, changes: WireChange[], over: Partial<Manifest> = {}): Uint8Array {
  const signed = buildPackage(
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
      ...over,
    },
    changes,
    [],
    deviceKeys(l.store).privateKey,
  );
  return sealedToHub(th.hub, signed);
}

/** What the hub has stored: a refused push must leave it as it was. */
async function hubDump(): Promise<string> {
  const db = th.hub.db;
  const changes = await db.selectFrom('changes').select(['device_id', 'device_seq', 'server_seq']).orderBy('server_seq').execute();
  const packages = await db.selectFrom('packages').select('id').orderBy('id').execute();
  const devices = await db.selectFrom('devices').select(['id', 'cursor', 'last_seen_at']).orderBy('id').execute();
  const meta = await db.selectFrom('hub_meta').select(['key', 'value']).orderBy('key').execute();
  return JSON.stringify({ changes, packages, devices, meta });
}

async function hubRefusal(bytes: Uint8Array): Promise<HubError> {
  const before = await hubDump();
  const e = await th.hub.push(bytes).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HubError);
  expect(await hubDump()).toBe(before);
  return e as HubError;
}

describe('the hub refuses the same packages on push', () => {
  for (const [name, reason, make] of changeCases) {
    it(`refuses: ${name}`, async () => {
      const e = await hubRefusal(devicePackage(a, [make(replicaOf(a.store).deviceId)]));
      expect(e.code).toBe(reason);
      expect(e.status).toBe(400);
      expect(e.message).toMatch(/[а-яё]{4}/i);
    });
  }

  for (const [name, reason, make] of bombs) {
    it(`refuses: ${name}`, async () => {
      const e = await hubRefusal(make());
      expect(e.code).toBe(reason);
      expect(e.message).toMatch(/[а-яё]{4}/i);
    });
  }

  it('refuses a region reference row the laptops would refuse, storing nothing', async () => {
    const before = await hubDump();
    await expect(th.hub.publishReference('risk_factors', [{ id: 'x', year: 2025, code: 'РФ', title: 'Фактор' }])).rejects.toMatchObject({ code: 'bad_id' });
    await expect(th.hub.publishReference('risk_factors', [{ year: 2025, code: 'РФ', title: 'Фак\u0000тор' }])).rejects.toMatchObject({ code: 'bad_text' });
    await expect(th.hub.publishReference('risk_factors', [{ year: '2025', code: 'РФ', title: 'Фактор' }])).rejects.toMatchObject({ code: 'bad_value' });
    expect(await hubDump()).toBe(before);
  });

  it('relays a newer version’s tables and columns; a laptop of this version keeps them deferred', async () => {
    const aId = replicaOf(a.store).deviceId;
    const row = crypto.randomUUID();
    const newer = [
      by(aId, { q: 100_000, r: row, v: { ...school, full_name: 'Из новой версии', future_col: 1 } }),
      by(aId, { q: 100_001, h: clockOf(aId, '000loyw3v28-00001'), t: 'future_table', v: { a: 1 } }),
    ];
    // The same changes from a package of this version are forgeries.
    expect((await hubRefusal(devicePackage(a, newer))).code).toBe('unknown_column');
    await th.hub.push(devicePackage(a, newer, { schema: LATEST_SCHEMA_VERSION + 1 }));
    const reply = await exchange(th.hub, b);
    const manifest = JSON.parse(strFromU8(unzipSync(openEnvelope(reply, deviceEncKeys(b.store)))['manifest.json']!)) as Manifest;
    expect(manifest.schema).toBe(LATEST_SCHEMA_VERSION + 1);
    const result = importInto(b, reply);
    expect(result.deferred).toBe(2);
    expect((b.store.sqlite.prepare('SELECT full_name FROM schools WHERE id = ?').get(row) as { full_name: string }).full_name).toBe('Из новой версии');
    expect((b.store.sqlite.prepare('SELECT COUNT(*) AS n FROM sync_deferred').get() as { n: number }).n).toBe(2);
  });
});

describe('the local clock', () => {
  it('stays well-formed after refused clocks, and the apply engine refuses one even past the package checks', () => {
    const clock = () => replicaOf(b.store).clock.current();
    const before = clock();
    const saved = getMeta(b.store, 'hlc');
    for (const h of ['!!!-00000-другое-устройство', 'NaN-NaN-другое-устройство', 'ffffffffffff-00000-другое-устройство', 'zzzzzzzzzzz-00000-другое-устройство']) {
      expect(() => importInto(b, buildPackage(manifestFor(b), [change({ h })], [], hubKey()))).toThrow(SyncRefusal);
      expect(() => applyChunk(b.store, [change({ q: 999_999, h })])).toThrow(/Неверная метка времени/);
    }
    expect(clock()).toBe(before);
    expect(getMeta(b.store, 'hlc')).toBe(saved);
    const row = insertRow(b.store, 'orders', { district_id: 'd', number: '1', date: '2025-01-01', issuer: null, title: 'Приказ' });
    const { hlc } = b.store.sqlite.prepare('SELECT hlc FROM changes WHERE row_id = ?').get(row.id) as { hlc: string };
    expect(parseHlc(hlc)).not.toBeNull();
    expect(hlc > before).toBe(true);
  });
});

describe('the hub under a bomb', () => {
  it('keeps answering /api/health quickly while a package inflates in its worker and is refused', async () => {
    // Declared within every limit, so the directory passes and the worker inflates it: two parts
    // of 20 MiB as declared, then one that declares 20 MiB and goes on past it (40 MiB of zeros
    // from 40 KB). The worker stops there and the package is refused; nothing of it reaches
    // the hub's thread but the verdict. Small on the wire, so the upload is not what is measured.
    const part = (i: number, data: Uint8Array): RawEntry => ({ name: `changes/${String(i).padStart(4, '0')}.ndjson`, data, size: 20 * MiB });
    const bomb = rawZip([part(0, zeros(20 * MiB)), part(1, zeros(20 * MiB)), part(2, zeros(40 * MiB))]);
    const srv = await listen(th.hub, 0);
    try {
      // The first requests to a fresh server compile its routes: not what is measured.
      const send = (body: Uint8Array) =>
        fetch(`${srv.url}/api/sync`, { method: 'POST', body: Buffer.from(body), headers: { 'content-type': 'application/octet-stream', ...deviceAuth(a, 'POST', '/api/sync', body) } });
      for (let i = 0; i < 3; i++) await fetch(`${srv.url}/api/health`);
      expect((await send(strToU8('это не пакет'))).status).toBe(400);
      const started = performance.now();
      let settled = false;
      const push = send(bomb).finally(() => (settled = true));
      const latencies: number[] = [];
      while (!settled) {
        const t = performance.now();
        expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      const res = await push;
      const pushMs = performance.now() - started;
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('corrupt');
      expect(latencies.length).toBeGreaterThan(2);
      expect(Math.max(...latencies), `push took ${Math.round(pushMs)} ms; ${latencies.map(Math.round).join(" ")}`).toBeLessThan(200);
    } finally {
      await srv.close();
    }
  }, 60_000);
});

describe('enrolment', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const ed = () => generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

  it('refuses a garbage or non-Ed25519 public key and leaves the one-time code usable', async () => {
    const { code } = await th.hub.createCode(districtId);
    for (const publicKey of ['-----BEGIN PUBLIC KEY-----\nмусор\n-----END PUBLIC KEY-----\n', 'x'.repeat(200), rsa.publicKey]) {
      const device = `новое-${crypto.randomUUID()}`;
      await expect(th.hub.enrol({ code, device, publicKey, name: 'Ноутбук', dataDistrictId: null })).rejects.toMatchObject({ status: 400, code: 'bad_key', message: expect.stringMatching(/код подключения остаётся действительным/) });
      expect(await th.hub.db.selectFrom('devices').select('id').where('id', '=', device).executeTakeFirst()).toBeUndefined();
    }
    const ok = await th.hub.enrol({ code, device: `новое-${crypto.randomUUID()}`, publicKey: ed().publicKey, name: 'Ноутбук', dataDistrictId: null });
    expect(ok.district.id).toBe(districtId);
  });

  it('refuses a bad device id before the code is spent', async () => {
    const { code } = await th.hub.createCode(districtId);
    await expect(th.hub.enrol({ code, device: 'ноутбук с пробелом', publicKey: ed().publicKey, name: 'Ноутбук', dataDistrictId: null })).rejects.toMatchObject({ code: 'bad_device' });
    await expect(th.hub.enrol({ code, device: crypto.randomUUID(), publicKey: ed().publicKey, name: 'Ноутбук', dataDistrictId: null })).resolves.toBeTruthy();
  });

  it('refuses an enrolment request file with a bad key and leaves its code usable', async () => {
    const { code } = await th.hub.createCode(districtId);
    const request = JSON.stringify({
      kind: 'shnor-enrol-request',
      format: 1,
      id: crypto.randomUUID(),
      createdAt: new Date().toISOString(),
      device: crypto.randomUUID(),
      publicKey: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAмусормусормусор\n-----END PUBLIC KEY-----\n',
      code,
      name: 'Ноутбук без сети',
      dataDistrictId: null,
    });
    const file = strToU8(JSON.stringify({ request, signature: Buffer.from('подпись').toString('base64') }));
    await expect(th.hub.enrolFromFile(file)).rejects.toMatchObject({ status: 400, code: 'bad_key' });
    await expect(th.hub.enrol({ code, device: crypto.randomUUID(), publicKey: ed().publicKey, name: 'Ноутбук', dataDistrictId: null })).resolves.toBeTruthy();
  });
});
