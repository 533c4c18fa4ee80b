/**
 * A laptop restored from a backup re-syncs without duplicating or losing changes: it made
 * changes, was backed up, made more and sent them, was restored (its log and device_seq back
 * at the backup), made new changes and synced. The hub must not drop the new changes as
 * repeats of (device, device_seq) pairs it has seen, the changes sent after the backup must
 * come back to the laptop, and every replica must end with every change exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMeta, replicaOf } from '../../db/replica';
import { REGION_TABLES } from '../../db/schema';
import { insertRow, softDelete, updateRow } from '../../db/write';
import { META, pendingCount } from '../../core/sync/local.node';
import { openTestCore, type TestCore } from '../integration/coreFixture';
import { conflictSet, enrol, makeHub, makeLaptop, snapshot, syncFully, type Laptop, type TestHub } from './helpers';

/** The district's tables (the region's reference tables are the hub's, never sent by a laptop). */
const TABLES = ['districts', 'schools', 'people'] as const;

let th: TestHub;
const cores: TestCore[] = [];
beforeAll(async () => {
  process.env.SHNOR_SYNC_INTERVAL_MS = '0';
  process.env.SHNOR_BACKUP_CHECK_MS = '0';
  th = await makeHub();
});
afterAll(async () => {
  for (const c of cores) c.close();
  await th.close();
});

function core(): TestCore {
  const c = openTestCore();
  cores.push(c);
  return c;
}

/** The core as a sync test laptop; read again after a restore, which replaces the store. */
const asLaptop = (c: TestCore, name: string): Laptop => ({ name, store: c.core.ctx.store, dataDir: c.dir });

interface LoggedChange {
  d: string;
  q: number;
  h: string;
  data: string;
}

/** A replica's change log of the district's tables (every author), keyed by (device, device_seq). */
function logOf(l: Laptop): Map<string, LoggedChange> {
  const region = REGION_TABLES.map(() => '?').join(', ');
  const rows = l.store.sqlite.prepare(`SELECT device_id AS d, device_seq AS q, hlc AS h, data FROM changes WHERE tbl NOT IN (${region})`).all(...REGION_TABLES) as LoggedChange[];
  return new Map(rows.map((r) => [`${r.d}|${r.q}`, r]));
}

async function hubLog(districtId: string): Promise<Map<string, LoggedChange>> {
  const rows = await th.storage.db.selectFrom('changes').select(['device_id', 'device_seq', 'hlc', 'data']).where('district_id', '=', districtId).execute();
  return new Map(rows.map((r) => [`${r.device_id}|${Number(r.device_seq)}`, { d: r.device_id, q: Number(r.device_seq), h: r.hlc, data: r.data }]));
}

const school = (name: string) => ({ district_id: 'd', full_name: `Школа ${name}`, short_name: name, kind: 'СОШ', is_participant: true, stage: 'forming' as const });

function schoolByName(l: Laptop, shortName: string) {
  return l.store.sqlite.prepare('SELECT * FROM schools WHERE short_name = ?').get(shortName) as Record<string, unknown> | undefined;
}

/** Both replicas hold the same rows, conflicts and change log, and the log is the hub's. */
async function expectConverged(a: Laptop, b: Laptop, districtId: string) {
  expect(snapshot(a.store, TABLES)).toEqual(snapshot(b.store, TABLES));
  expect(conflictSet(a.store)).toEqual(conflictSet(b.store));
  const logA = logOf(a);
  const logB = logOf(b);
  expect([...logA.keys()].sort()).toEqual([...logB.keys()].sort());
  for (const [k, c] of logA) expect(logB.get(k)).toMatchObject({ h: c.h, data: c.data });
  // Everything the district's laptops wrote is on the hub once, with the same clock and values.
  const hub = await hubLog(districtId);
  for (const [k, c] of hub) expect(logA.get(k)).toMatchObject({ h: c.h, data: c.data });
  // No two changes share a clock: a restored laptop never re-stamps a clock it used.
  const clocks = [...logA.values()].map((c) => c.h);
  expect(new Set(clocks).size).toBe(clocks.length);
}

describe('a laptop restored from a backup re-syncs', () => {
  it('over the hub: changes after the restore reach the hub, those sent after the backup come back, nothing twice', async () => {
    const district = await th.hub.createDistrict('Восстановленный район');
    const a = core();
    await a.ok('app.createDistrict', { region: 'Область', district: 'Район' });
    await enrol(th.hub, asLaptop(a, 'A'), district.id);
    const s1 = insertRow(a.core.ctx.store, 'schools', school('С1'));
    const s2 = insertRow(a.core.ctx.store, 'schools', school('С2'));
    await syncFully(th.hub, asLaptop(a, 'A'));
    const b = makeLaptop('B');
    await enrol(th.hub, b, district.id);
    await syncFully(th.hub, b);

    const backup = await a.ok('backups.create', {});
    const lastSeqAtBackup = replicaOf(a.core.ctx.store).nextSeq - 1;

    // After the backup: A writes and sends; B edits what A created then.
    const s3 = insertRow(a.core.ctx.store, 'schools', school('С3'));
    updateRow(a.core.ctx.store, 'schools', s1.id, { full_name: 'Школа С1 после копии' });
    softDelete(a.core.ctx.store, 'schools', s2.id);
    await syncFully(th.hub, asLaptop(a, 'A'));
    const sentBeforeRestore = (await hubLog(district.id)).size;
    await syncFully(th.hub, b);
    updateRow(b.store, 'schools', s3.id, { notes: 'заметка Б' });
    await syncFully(th.hub, b);
    const device = a.core.ctx.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'device_id'").get() as { value: string };
    const lastSeqBefore = (a.core.ctx.store.sqlite.prepare('SELECT MAX(device_seq) AS m FROM changes WHERE device_id = ?').get(device.value) as { m: number }).m;

    const restored = await a.ok('backups.restore', { id: backup.id });
    expect(restored.restored.id).toBe(backup.id);
    expect(restored.saved.kind).toBe('before-restore');
    let la = asLaptop(a, 'A');
    expect(schoolByName(la, 'С3')).toBeUndefined();
    expect(schoolByName(la, 'С1')?.full_name).toBe('Школа С1');
    expect(getMeta(la.store, META.cursor)).toBe('0');

    // New work on the restored laptop: its changes are numbered above everything it sent.
    const s4 = insertRow(la.store, 'schools', school('С4'));
    updateRow(la.store, 'schools', s1.id, { notes: 'после восстановления' });
    const newSeqs = (la.store.sqlite.prepare('SELECT device_seq AS q FROM changes WHERE device_id = ? AND row_id IN (?, ?)').all(device.value, s4.id, s1.id) as { q: number }[])
      .map((r) => r.q)
      .filter((q) => q > lastSeqBefore);
    expect(newSeqs).toHaveLength(2);

    await syncFully(th.hub, la);
    await syncFully(th.hub, b);
    await syncFully(th.hub, la);
    la = asLaptop(a, 'A');

    // The hub took both new changes (none dropped as a repeat) and nothing else changed there.
    const hub = await hubLog(district.id);
    expect(hub.size).toBe(sentBeforeRestore + 1 /* B's note */ + 2);
    for (const q of newSeqs) expect(hub.has(`${device.value}|${q}`)).toBe(true);

    // What A sent after the backup came back to it; B's edit too; the new edits reached B.
    for (const l of [la, b]) {
      expect(schoolByName(l, 'С3')?.notes).toBe('заметка Б');
      expect(schoolByName(l, 'С1')).toMatchObject({ full_name: 'Школа С1 после копии', notes: 'после восстановления' });
      expect(schoolByName(l, 'С2')?.deleted_at).not.toBeNull();
      expect(schoolByName(l, 'С4')).toBeDefined();
    }
    await expectConverged(la, b, district.id);
    expect(pendingCount(la.store)).toBe(0);
    // It keeps asking for exactly the seqs it lacked: sent before the restore, after the backup.
    expect(JSON.parse(getMeta(la.store, META.resendOwn)!)).toEqual({ after: lastSeqAtBackup, upto: lastSeqBefore });

    // A second exchange brings and sends nothing: nothing is applied twice.
    const before = logOf(la).size;
    await syncFully(th.hub, la);
    expect(logOf(la).size).toBe(before);
  });

  it('a copy made before the laptop joined its district keeps the laptop enrolled and brings back what it sent', async () => {
    const district = await th.hub.createDistrict('Район до подключения');
    const a = core();
    await a.ok('app.createDistrict', { region: 'Область', district: 'Район до подключения' });
    const s1 = insertRow(a.core.ctx.store, 'schools', school('П1'));
    const backup = await a.ok('backups.create', {});
    await enrol(th.hub, asLaptop(a, 'A'), district.id);
    updateRow(a.core.ctx.store, 'schools', s1.id, { notes: 'после подключения' });
    await syncFully(th.hub, asLaptop(a, 'A'));

    await a.ok('backups.restore', { id: backup.id });
    expect((await a.ok('sync.status', {})).enrolled).toBe(true);
    insertRow(a.core.ctx.store, 'schools', school('П2'));
    await syncFully(th.hub, asLaptop(a, 'A'));
    const la = asLaptop(a, 'A');
    expect(schoolByName(la, 'П1')?.notes).toBe('после подключения');

    const b = makeLaptop('B');
    await enrol(th.hub, b, district.id);
    await syncFully(th.hub, b);
    expect(schoolByName(b, 'П2')).toBeDefined();
    await expectConverged(la, b, district.id);
  });

  it('by package files: a laptop that is never online restores, and its files keep the district whole', async () => {
    const district = await th.hub.createDistrict('Район без связи');
    const a = core();
    await a.ok('app.createDistrict', { region: 'Область', district: 'Район без связи' });
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    const { code } = await th.hub.createCode(district.id);
    const request = new Uint8Array(Buffer.from((await a.ok('sync.enrolRequest', { code })).base64, 'base64'));
    await a.ok('sync.enrolImport', { base64: b64((await th.hub.enrolFromFile(request)).reply) });
    /** One trip of the USB stick: export, the region's import on the hub, the reply imported. */
    const trip = async () => {
      for (let i = 0; i < 10; i++) {
        const out = new Uint8Array(Buffer.from((await a.ok('sync.export', {})).base64, 'base64'));
        const r = await a.ok('sync.import', { base64: b64(await th.hub.push(out)) });
        if (r.state.pending === 0 && r.applied === 0) return;
      }
    };

    const create = (n: string) => a.ok('schools.create', { full_name: `Школа ${n}`, short_name: n, kind: 'СОШ', is_participant: true, stage: 'forming' });
    const shortNames = async () => (await a.ok('schools.list', {})).rows.map((r) => r.short_name).sort();
    await create('Ф1');
    await trip();
    const backup = await a.ok('backups.create', {});
    const f2 = await create('Ф2');
    await trip();
    // One more change leaves on a stick before the restore and reaches the region only after it.
    const f3 = await create('Ф3');
    const late = new Uint8Array(Buffer.from((await a.ok('sync.export', {})).base64, 'base64'));

    await a.ok('backups.restore', { id: backup.id });
    expect(await shortNames()).toEqual(['Ф1']);
    await create('Ф4');
    await trip();
    expect(await shortNames()).toEqual(['Ф1', 'Ф2', 'Ф4']);
    expect((await a.ok('schools.get', { id: f2.id })).school.full_name).toBe('Школа Ф2');

    await th.hub.push(late);
    await trip();
    expect(await shortNames()).toEqual(['Ф1', 'Ф2', 'Ф3', 'Ф4']);
    expect((await a.ok('schools.get', { id: f3.id })).school.full_name).toBe('Школа Ф3');

    // Another laptop of the district sees the same, with every change once.
    const b = makeLaptop('B');
    await enrol(th.hub, b, district.id);
    await syncFully(th.hub, b);
    await expectConverged(asLaptop(a, 'A'), b, district.id);
  });
});
