/**
 * A corpus of malformed and hostile packages: each is refused whole, with a Russian
 * message naming the reason, and the laptop's database is byte-for-byte unchanged.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, SyncRefusal, type Manifest } from '../../core/sync/package.node';
import type { WireChange } from '../../core/sync/apply';
import { replicaOf } from '../../db/replica';
import type { Store } from '../../db/store';
import { insertRow } from '../../db/write';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { enrol, exchange, importInto, makeHub, makeLaptop, syncFully, type Laptop, type TestHub } from './helpers';

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
  valid = await exchange(th.hub, b); // b's next reply: one new school
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
      ids.map((id, i) => change({ q: i + 1, h: `zzzzzzzzzzz-00000-другое-устройство`.replace('00000', String(i).padStart(5, '0')), r: id, v: { deleted_at: '2024-01-01T00:00:00Z' }, m: { s: 'zzzzzzzzzzz' } })),
      [],
      hubKey(),
    );
  }],
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
