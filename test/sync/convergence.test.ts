/**
 * Seeded randomized convergence: three or four laptops and the hub, a tiny key space so
 * edits collide, creates/edits/deletes/restores/conflict resolutions, measures added to
 * programmes other laptops delete, laptop clocks a year or two days off, replies delivered
 * late, twice, out of order and through files. After full delivery every laptop holds
 * identical data and conflict sets, and an independent oracle over the union of all
 * changes confirms that no edit was lost (each unsuperseded write is the current value or
 * an open conflict), that the delete/edit rule held, that every row a screen cannot reach
 * is listed under Конфликты, and that the honest laptops' clocks stayed honest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_AHEAD_LIMIT_MS } from '../../core/rules/clock';
import { CONTAINMENT, parentOf } from '../../core/rules/containment';
import { openConflicts } from '../../core/sync/apply';
import { deletionConflicts } from '../../core/sync/deletionConflicts';
import { hlcMs } from '../../db/hlc';
import { SyncRefusal } from '../../core/sync/package.node';
import { replicaOf } from '../../db/replica';
import { insertRow, resolveField, restoreRow, softDelete, updateRow, SYSTEM_COLUMNS } from '../../db/write';
import { conflictSet, enrol, exchange, importInto, makeHub, makeLaptop, rng, skewClock, snapshot, syncFully, type Laptop, type TestHub } from './helpers';

const TABLES = ['schools', 'people', 'programmes', 'measures'] as const;
type Table = (typeof TABLES)[number];
const SCHOOL_IDS = ['0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002', '0190a000-0000-7000-8000-000000000003'];
const PERSON_IDS = ['0190a000-0000-7000-8000-000000000101', '0190a000-0000-7000-8000-000000000102'];
const PROGRAMME_IDS = ['0190a000-0000-7000-8000-000000000201', '0190a000-0000-7000-8000-000000000202'];
const MEASURE_IDS = ['0190a000-0000-7000-8000-000000000301', '0190a000-0000-7000-8000-000000000302', '0190a000-0000-7000-8000-000000000303'];
const IDS: Record<Table, string[]> = { schools: SCHOOL_IDS, people: PERSON_IDS, programmes: PROGRAMME_IDS, measures: MEASURE_IDS };
const VALUES = ['А', 'Б', 'В', null];
const DAY = 86_400_000;
/** Laptop clocks: mostly right, some a year or two days off either way. */
const SKEWS = [365 * DAY, -365 * DAY, 2 * DAY, -2 * DAY];

let th: TestHub;
beforeAll(async () => {
  th = await makeHub();
});
afterAll(async () => {
  await th.close();
});

interface Held {
  laptop: Laptop;
  bytes: Uint8Array;
}

export async function runCase(seed: number): Promise<void> {
  const r = rng(seed);
  const district = await th.hub.createDistrict(`Район ${seed}`);
  const n = 3 + r.int(2);
  const laptops: Laptop[] = [];
  const honest: Laptop[] = [];
  for (let i = 0; i < n; i++) {
    const l = makeLaptop(`l${i}`);
    await enrol(th.hub, l, district.id);
    if (r.chance(0.35)) skewClock(l.store, r.pick(SKEWS));
    else honest.push(l);
    laptops.push(l);
  }
  const held: Held[] = [];
  const steps = 25 + r.int(20);
  for (let s = 0; s < steps; s++) {
    const l = r.pick(laptops);
    const st = l.store;
    const op = r.next();
    try {
      if (op < 0.55) {
        const table = r.pick(TABLES);
        const id = r.pick(IDS[table]);
        const row = st.sqlite.prepare(`SELECT deleted_at FROM ${table} WHERE id = ?`).get(id) as { deleted_at: string | null } | undefined;
        // As on screen: a programme is reached through its live school, a measure through its live programme.
        const parent = table === 'programmes' ? r.pick(SCHOOL_IDS) : r.pick(PROGRAMME_IDS);
        const reachable = (t: Table, rowId: string | undefined): boolean => {
          const rel = parentOf(t);
          if (!rel) return true;
          const x = st.sqlite.prepare(`SELECT deleted_at, "${rel.column}" AS p FROM ${t} WHERE id = ?`).get(rowId) as { deleted_at: string | null; p: string } | undefined;
          return x?.deleted_at === null && reachable(rel.parent as Table, x.p);
        };
        if (!row) {
          if (table === 'schools') insertRow(st, 'schools', { id, district_id: 'd', full_name: r.pick(['Школа 1', 'Школа 2']), short_name: 'Ш', kind: 'СОШ', is_participant: true, stage: 'forming', notes: r.pick(VALUES) });
          else if (table === 'people') insertRow(st, 'people', { id, district_id: 'd', last_name: r.pick(['Иванов', 'Петров']), first_name: 'И', phone: r.pick(VALUES), is_coordinator: false, is_curator: true, is_school_coordinator: false, is_director: false });
          else if (table === 'programmes' && reachable('schools', parent)) insertRow(st, 'programmes', { id, school_id: parent, kind: 'arp', title: r.pick(['АРП 1', 'АРП 2']) });
          else if (table === 'measures' && reachable('programmes', parent)) insertRow(st, 'measures', { id, programme_id: parent, position: 1, title: r.pick(['М 1', 'М 2']), date_text: '', unplanned: false, status: 'planned' });
        } else if (parentOf(table) && !reachable(table, id) && row.deleted_at === null) {
          // A row inside a deleted one is out of sight: nobody edits it until a choice under Конфликты or the trash brings it back.
        } else if (row.deleted_at) {
          if (r.chance(0.5)) restoreRow(st, table, id);
        } else if (r.chance(0.15)) {
          softDelete(st, table, id);
        } else if (table === 'schools') {
          updateRow(st, 'schools', id, r.pick([{ notes: r.pick(VALUES) }, { short_name: r.pick(['Ш1', 'Ш2', 'Ш3']) }, { stage: r.pick(['forming', 'implementing'] as const) }, { cohort_year: r.pick([2021, 2022, null]) }]));
        } else if (table === 'people') {
          updateRow(st, 'people', id, r.pick([{ phone: r.pick(VALUES) }, { last_name: r.pick(['Иванов', 'Петров', 'Сидоров']) }]));
        } else if (table === 'programmes') {
          updateRow(st, 'programmes', id, { title: r.pick(['АРП 1', 'АРП 2', 'АРП 3']) });
        } else {
          updateRow(st, 'measures', id, r.pick([{ title: r.pick(['М 1', 'М 2', 'М 3']) }, { status: r.pick(['planned', 'done'] as const) }]));
        }
      } else if (op < 0.62) {
        const open = openConflicts(st);
        const met = deletionConflicts(st);
        if (met.length && r.chance(0.5)) {
          // «восстановить» / «удалить тоже», «оставить» / «удалить снова»
          const c = r.pick(met);
          if (r.chance(0.5)) softDelete(st, c.table, c.rowId);
          else restoreRow(st, c.parent?.table ?? c.table, c.parent?.id ?? c.rowId);
        } else if (open.length) {
          const c = r.pick(open);
          resolveField(st, c.tbl as 'schools', c.row_id, c.col, r.chance(0.5) ? c.lost : c.current, [c.lost_hlc]);
        }
      } else {
        const reply = await exchange(th.hub, l);
        const how = r.next();
        if (how < 0.5) importInto(l, reply);
        else if (how < 0.65) {
          importInto(l, reply);
          held.push({ laptop: l, bytes: reply }); // delivered twice
        } else if (how < 0.8) {
          // by file: written to the data folder and read back
          const file = path.join(l.dataDir, `reply-${s}.shnor`);
          fs.writeFileSync(file, reply);
          importInto(l, fs.readFileSync(file));
        } else held.push({ laptop: l, bytes: reply }); // late, possibly out of order
      }
    } catch (e) {
      if (!(e instanceof SyncRefusal) || !['replay', 'gap'].includes(e.reason)) throw e;
    }
    // Late packages arrive at random moments, in random order.
    if (held.length && r.chance(0.2)) {
      const h = held.splice(r.int(held.length), 1)[0]!;
      try {
        importInto(h.laptop, h.bytes);
      } catch (e) {
        if (!(e instanceof SyncRefusal) || !['replay', 'gap'].includes(e.reason)) throw e;
      }
    }
  }
  for (const h of held.splice(0)) {
    try {
      importInto(h.laptop, h.bytes);
    } catch (e) {
      if (!(e instanceof SyncRefusal) || !['replay', 'gap'].includes(e.reason)) throw e;
    }
  }
  // Full delivery: two rounds so every laptop's last changes reach every other.
  for (let round = 0; round < 2; round++) for (const l of laptops) await syncFully(th.hub, l);

  const first = laptops[0]!;
  const expected = snapshot(first.store, TABLES);
  const expectedConflicts = conflictSet(first.store);
  const expectedMet = deletionConflicts(first.store);
  for (const l of laptops.slice(1)) {
    expect(snapshot(l.store, TABLES), `seed ${seed}: ${l.name} data`).toEqual(expected);
    expect(conflictSet(l.store), `seed ${seed}: ${l.name} conflicts`).toEqual(expectedConflicts);
    expect(deletionConflicts(l.store), `seed ${seed}: ${l.name} edits that met deletions`).toEqual(expectedMet);
  }
  oracle(first, seed);
  everyRowReachable(first, seed);
  // Every clock the district holds passed the server's limit: an honest laptop is never pulled ahead.
  for (const l of honest) expect(hlcMs(replicaOf(l.store).clock.current()) - Date.now(), `seed ${seed}: ${l.name} clock`).toBeLessThanOrEqual(CLOCK_AHEAD_LIMIT_MS);
  for (const l of laptops) l.store.close();
}

interface Logged {
  device_id: string;
  hlc: string;
  tbl: string;
  row_id: string;
  data: string;
  meta: string | null;
}

/** Recomputes from the full change log what every field and row must be, independently of the incremental engine. */
function oracle(l: Laptop, seed: number): void {
  const log = l.store.sqlite.prepare('SELECT device_id, hlc, tbl, row_id, data, meta FROM changes').all() as Logged[];
  const fields = new Map<string, { hlc: string; value: unknown; bases: string[] }[]>();
  for (const c of log) {
    const data = JSON.parse(c.data) as Record<string, unknown>;
    const meta = c.meta ? (JSON.parse(c.meta) as { b?: Record<string, string[]> }) : {};
    for (const [col, value] of Object.entries(data)) {
      const k = `${c.tbl}|${c.row_id}|${col}`;
      if (!fields.has(k)) fields.set(k, []);
      fields.get(k)!.push({ hlc: c.hlc, value, bases: meta.b?.[col] ?? [] });
    }
  }
  const conflicts = new Set(conflictSet(l.store));
  let heads = 0;
  for (const [k, writes] of fields) {
    const [tbl, rowId, col] = k.split('|') as [string, string, string];
    const superseded = new Set(writes.flatMap((w) => w.bases));
    const winner = writes.reduce((a, b) => (b.hlc > a.hlc ? b : a));
    const row = l.store.sqlite.prepare(`SELECT * FROM ${tbl} WHERE id = ?`).get(rowId) as Record<string, unknown>;
    if (col !== 'deleted_at') expect(row[col], `seed ${seed}: ${k} is the latest write`).toEqual(winner.value);
    if (SYSTEM_COLUMNS.has(col)) continue;
    for (const w of writes) {
      if (superseded.has(w.hlc) || w === winner || w.value === row[col]) continue;
      heads++;
      expect(conflicts.has(`${k}|${w.hlc}|${JSON.stringify(w.value)}`), `seed ${seed}: edit ${k}=${String(w.value)} lost`).toBe(true);
    }
  }
  // Deletion: the winning delete holds unless an edit concurrent with it exists.
  const rows = new Map<string, Logged[]>();
  for (const c of log) rows.set(`${c.tbl}|${c.row_id}`, [...(rows.get(`${c.tbl}|${c.row_id}`) ?? []), c]);
  for (const [k, changes] of rows) {
    const [tbl, rowId] = k.split('|') as [string, string];
    const dels = changes.filter((c) => 'deleted_at' in JSON.parse(c.data));
    const win = dels.reduce((a, b) => (b.hlc > a.hlc ? b : a));
    const value = JSON.parse(win.data).deleted_at as string | null;
    let expected = value;
    if (value !== null) {
      const seen = (win.meta ? JSON.parse(win.meta).s : undefined) ?? '';
      const concurrent = changes.some((c) => {
        const edits = Object.keys(JSON.parse(c.data)).some((x) => !SYSTEM_COLUMNS.has(x));
        const sawDel = ((c.meta ? JSON.parse(c.meta).d : undefined) ?? '') >= win.hlc;
        return edits && c.hlc > seen && !sawDel;
      });
      if (concurrent) expected = null;
    }
    const row = l.store.sqlite.prepare(`SELECT deleted_at FROM ${tbl} WHERE id = ?`).get(rowId) as { deleted_at: string | null };
    expect(row.deleted_at, `seed ${seed}: ${k} deletion`).toBe(expected);
  }
  void heads;
}

/**
 * Every row is reachable: itself in the trash, or its parents live (a screen shows it), or
 * inside a deleted row whose deletion had seen its latest write (restoring that row from the
 * trash shows it), or listed under Конфликты as added to a deleted row — and a row the
 * deletion had seen is not listed. Recomputed from the change log, not from the engine's tables.
 */
function everyRowReachable(l: Laptop, seed: number): void {
  const log = l.store.sqlite.prepare('SELECT hlc, tbl, row_id, data, meta FROM changes').all() as Logged[];
  const latest = new Map<string, string>();
  const deletion = new Map<string, Logged>();
  for (const c of log) {
    const k = `${c.tbl}|${c.row_id}`;
    if (c.hlc > (latest.get(k) ?? '')) latest.set(k, c.hlc);
    if ('deleted_at' in JSON.parse(c.data) && c.hlc > (deletion.get(k)?.hlc ?? '')) deletion.set(k, c);
  }
  const listed = new Set(deletionConflicts(l.store).filter((c) => c.kind === 'added_to_deleted').map((c) => `${c.table}|${c.rowId}`));
  const row = (t: string, id: string) => l.store.sqlite.prepare(`SELECT * FROM ${t} WHERE id = ?`).get(id) as Record<string, string | null> | undefined;
  for (const rel of CONTAINMENT.filter((c) => (TABLES as readonly string[]).includes(c.child))) {
    for (const x of l.store.sqlite.prepare(`SELECT id FROM ${rel.child} WHERE deleted_at IS NULL`).all() as { id: string }[]) {
      const key = `${rel.child}|${x.id}`;
      // The nearest deleted row it is inside, if any.
      let hidden: string | null = null;
      for (let t: string | undefined = rel.child, id = x.id; t && !hidden; ) {
        const up = parentOf(t);
        const p: Record<string, string | null> | undefined = up ? row(up.parent, row(t, id)![up.column]!) : undefined;
        if (!up || !p) break;
        if (p.deleted_at !== null) hidden = `${up.parent}|${p.id}`;
        [t, id] = [up.parent, p.id!];
      }
      if (!hidden) {
        expect(listed.has(key), `seed ${seed}: ${key} is on screen, not a conflict`).toBe(false);
        continue;
      }
      const seen = (JSON.parse(deletion.get(hidden)!.meta ?? '{}') as { k?: Record<string, string> }).k?.[x.id];
      const inTrashWithIt = seen !== undefined && seen >= latest.get(key)!;
      expect(listed.has(key), `seed ${seed}: ${key} inside deleted ${hidden}: listed exactly when the deletion had not seen it`).toBe(!inTrashWithIt);
    }
  }
}

const CASES = process.env.SOAK ? 3000 : 200;
// Seeds that once failed stay here as regressions.
const REGRESSION_SEEDS: number[] = [];

describe('sync convergence', () => {
  it(`converges on ${CASES} random cases`, async () => {
    for (const seed of REGRESSION_SEEDS) await runCase(seed);
    const base = Number(process.env.SEED ?? 1);
    for (let i = 0; i < CASES; i++) await runCase(base + i);
  }, process.env.SOAK ? 3_600_000 : 120_000);

  it('keeps the device identity of remote changes (no re-logging as local)', async () => {
    const district = await th.hub.createDistrict('Район идентичности');
    const a = makeLaptop('a');
    const b = makeLaptop('b');
    await enrol(th.hub, a, district.id);
    await enrol(th.hub, b, district.id);
    insertRow(a.store, 'schools', { district_id: 'd', full_name: 'Школа', short_name: 'Ш', kind: 'СОШ', is_participant: true, stage: 'forming' });
    await syncFully(th.hub, a);
    await syncFully(th.hub, b);
    const rows = b.store.sqlite.prepare('SELECT device_id, server_seq FROM changes WHERE tbl = ?').all('schools') as { device_id: string; server_seq: number | null }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.device_id).toBe(replicaOf(a.store).deviceId);
    expect(rows[0]!.server_seq).toBeGreaterThan(0);
  });
});
