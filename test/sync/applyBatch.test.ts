/**
 * applyChunk batches reads and writes across a chunk (clock cache, multi-row inserts); the
 * result must be exactly that of applying the same changes one by one with applyChange.
 * Seeded histories: three laptops editing a tiny key space, exchanging changes now and then,
 * plus duplicates, unknown tables and columns, edits of rows nobody has, rows arriving deleted.
 * Each stream goes into two copies of one laptop: in random-sized chunks, and one at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChange, applyChunk, openConflicts, type ChunkResult, type WireChange } from '../../core/sync/apply';
import { openStore } from '../../db/open';
import { replicaOf } from '../../db/replica';
import { SYNCED_TABLES } from '../../db/schema';
import type { Store } from '../../db/store';
import { insertRow, resolveField, restoreRow, softDelete, updateRow } from '../../db/write';
import { makeLaptop, rng, tempDir } from './helpers';

const SCHOOLS = ['0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002', '0190a000-0000-7000-8000-000000000003'];
const PEOPLE = ['0190a000-0000-7000-8000-000000000101', '0190a000-0000-7000-8000-000000000102'];
const VALUES = ['А', 'Б', null];

/** The changes a store authored itself, as they travel. */
function authored(store: Store): WireChange[] {
  const rows = store.sqlite.prepare('SELECT device_id, device_seq, hlc, tbl, row_id, data, meta FROM changes WHERE device_id = ? ORDER BY device_seq').all(replicaOf(store).deviceId) as {
    device_id: string;
    device_seq: number;
    hlc: string;
    tbl: string;
    row_id: string;
    data: string;
    meta: string | null;
  }[];
  return rows.map((r) => ({ d: r.device_id, q: r.device_seq, h: r.hlc, t: r.tbl, r: r.row_id, v: JSON.parse(r.data), m: r.meta ? JSON.parse(r.meta) : null }));
}

/** Everything apply writes, without the wall-clock times of conflicts. */
function state(store: Store): unknown {
  const q = (sql: string) => store.sqlite.prepare(sql).all();
  return {
    tables: SYNCED_TABLES.map((t) => q(`SELECT * FROM ${t} ORDER BY id`)),
    clocks: q('SELECT * FROM field_clocks ORDER BY tbl, row_id, col'),
    log: q('SELECT device_id, device_seq, hlc, tbl, row_id, data, server_seq, meta FROM changes ORDER BY device_id, device_seq'),
    conflicts: q('SELECT id, tbl, row_id, col, kept_value, kept_hlc, lost_value, lost_hlc, resolved_at IS NULL AS open FROM conflicts ORDER BY id'),
    tombstones: q('SELECT * FROM sync_tombstones ORDER BY tbl, row_id'),
    deferred: q('SELECT * FROM sync_deferred ORDER BY device_id, device_seq'),
    nextSeq: replicaOf(store).nextSeq,
  };
}

function randomEdit(r: ReturnType<typeof rng>, st: Store): void {
  const table = r.chance(0.6) ? 'schools' : 'people';
  const id = table === 'schools' ? r.pick(SCHOOLS) : r.pick(PEOPLE);
  const row = st.sqlite.prepare(`SELECT deleted_at FROM ${table} WHERE id = ?`).get(id) as { deleted_at: string | null } | undefined;
  if (!row) {
    if (table === 'schools') insertRow(st, 'schools', { id, district_id: 'd', full_name: r.pick(['Школа 1', 'Школа 2']), short_name: 'Ш', kind: 'СОШ', is_participant: true, stage: 'forming', notes: r.pick(VALUES) });
    else insertRow(st, 'people', { id, district_id: 'd', last_name: r.pick(['Иванов', 'Петров']), first_name: 'И', phone: r.pick(VALUES), is_coordinator: false, is_curator: true, is_school_coordinator: false, is_director: false });
  } else if (row.deleted_at) {
    if (r.chance(0.5)) restoreRow(st, table, id);
  } else if (r.chance(0.15)) softDelete(st, table, id);
  else if (table === 'schools') updateRow(st, 'schools', id, r.pick([{ notes: r.pick(VALUES) }, { short_name: r.pick(['Ш1', 'Ш2']) }, { cohort_year: r.pick([2021, null]) }]));
  else updateRow(st, 'people', id, r.pick([{ phone: r.pick(VALUES) }, { last_name: r.pick(['Иванов', 'Сидоров']) }]));
}

function runCase(seed: number): void {
  const r = rng(seed);
  const dir = tempDir('shnor-batch-');
  const target = openStore(path.join(dir, 'target.sqlite'));
  const others = [makeLaptop('a').store, makeLaptop('b').store];
  const all = [target, ...others];
  // Delivered so far from each author to each store (changes are exchanged in author order).
  const delivered = new Map<string, number>();
  for (let s = 0; s < 40; s++) {
    const st = r.pick(all);
    if (r.chance(0.7)) {
      randomEdit(r, st);
      if (r.chance(0.1)) {
        const open = openConflicts(st);
        if (open.length) {
          const c = r.pick(open);
          resolveField(st, c.tbl as 'schools', c.row_id, c.col, c.lost, [c.lost_hlc]);
        }
      }
    } else {
      // Some other replica's changes so far reach this one (one by one, the reference path).
      const from = r.pick(others.filter((o) => o !== st));
      const key = `${replicaOf(from).deviceId}>${replicaOf(st).deviceId}`;
      const news = authored(from).slice(delivered.get(key) ?? 0);
      delivered.set(key, (delivered.get(key) ?? 0) + news.length);
      st.tx(() => news.forEach((c) => applyChange(st, c)));
    }
  }
  // The stream for the target: everything the others wrote, interleaved keeping each author's order.
  const queues = others.map(authored);
  const stream: WireChange[] = [];
  while (queues.some((q) => q.length)) {
    const q = r.pick(queues.filter((x) => x.length));
    stream.push(q.shift()!);
    if (stream.length > 1 && r.chance(0.1)) stream.push(r.pick(stream)); // delivered twice
  }
  let q = 1;
  const odd = (c: Omit<WireChange, 'd' | 'q' | 's'>): WireChange => ({ ...c, d: 'future-device', q: q++, s: null });
  const fresh = `0190a000-0000-7000-8000-${String(900 + r.int(50)).padStart(12, '0')}`;
  const extras: WireChange[] = [
    odd({ h: `${(4e12).toString(36).padStart(11, '0')}-00000-future-device`, t: 'future_table', r: 'x', v: { a: 1 } }),
    odd({ h: `${(4e12 + 1).toString(36).padStart(11, '0')}-00000-future-device`, t: 'schools', r: r.pick(SCHOOLS), v: { future_col: 1, notes: 'из будущего' } }),
    odd({ h: `${(4e12 + 2).toString(36).padStart(11, '0')}-00000-future-device`, t: 'people', r: '0190a000-0000-7000-8000-000000000999', v: { phone: '1' } }),
    odd({ h: `${(4e12 + 3).toString(36).padStart(11, '0')}-00000-future-device`, t: 'schools', r: fresh, v: { district_id: 'd', full_name: 'Удалённая', short_name: 'У', kind: 'СОШ', created_at: 'x', updated_at: 'x', deleted_at: 'x' } }),
    odd({ h: `${(4e12 + 4).toString(36).padStart(11, '0')}-00000-future-device`, t: 'schools', r: fresh, v: { notes: 'правка удалённой', updated_at: 'y' } }),
  ];
  for (const e of extras) stream.splice(r.int(stream.length + 1), 0, e);

  const file = path.join(dir, 'target.sqlite');
  target.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  for (const s of all) s.close();
  fs.copyFileSync(file, path.join(dir, 'batched.sqlite'));
  fs.copyFileSync(file, path.join(dir, 'single.sqlite'));
  const batched = openStore(path.join(dir, 'batched.sqlite'));
  const single = openStore(path.join(dir, 'single.sqlite'));

  const sum = (a: ChunkResult, b: ChunkResult): ChunkResult => ({ applied: a.applied + b.applied, duplicate: a.duplicate + b.duplicate, deferred: a.deferred + b.deferred });
  let got: ChunkResult = { applied: 0, duplicate: 0, deferred: 0 };
  for (let i = 0; i < stream.length; ) {
    const n = 1 + r.int(r.chance(0.5) ? 5 : 40);
    got = sum(got, applyChunk(batched, stream.slice(i, i + n)));
    i += n;
  }
  const want: ChunkResult = { applied: 0, duplicate: 0, deferred: 0 };
  single.tx(() => stream.forEach((c) => (want[applyChange(single, c)] += 1)));

  expect(got, `seed ${seed}: outcomes`).toEqual(want);
  expect(state(batched), `seed ${seed}: state`).toEqual(state(single));
  batched.close();
  single.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

describe('applyChunk ≡ applyChange one by one', () => {
  it('gives the same database on 60 seeded histories', () => {
    for (let seed = 1; seed <= 60; seed++) runCase(seed);
  }, 120_000);
});
