import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../db/open';
import { replicaOf } from '../../db/replica';
import type { Store } from '../../db/store';
import { insertRow, restoreRow, softDelete, updateRow } from '../../db/write';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

const changes = () => store.sqlite.prepare('SELECT device_seq, tbl, row_id, data FROM changes ORDER BY device_seq').all() as { device_seq: number; tbl: string; row_id: string; data: string }[];

describe('write layer: every write to a synced table is captured for sync', () => {
  it('logs an insert with all its fields and a clock per field', () => {
    const row = insertRow(store, 'orders', { district_id: 'd', number: '89', date: '2021-03-27', issuer: null, title: 'О реализации проекта 500+' });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    const [c] = changes();
    expect(c!.tbl).toBe('orders');
    expect(JSON.parse(c!.data)).toMatchObject({ number: '89', title: 'О реализации проекта 500+', deleted_at: null });
    const clocks = store.sqlite.prepare('SELECT col FROM field_clocks WHERE row_id = ? ORDER BY col').all(row.id) as { col: string }[];
    expect(clocks.map((r) => r.col)).toContain('number');
  });

  it('logs only the fields an update really changes, and nothing for a no-op', () => {
    const row = insertRow(store, 'orders', { district_id: 'd', number: '1', date: '2021-01-01', title: 'A' });
    updateRow(store, 'orders', row.id, { number: '1', title: 'B' });
    updateRow(store, 'orders', row.id, { title: 'B' });
    const log = changes();
    expect(log).toHaveLength(2);
    expect(Object.keys(JSON.parse(log[1]!.data)).sort()).toEqual(['title', 'updated_at']);
  });

  it('stores booleans as 0/1 and numbers device sequences without gaps', () => {
    const s = insertRow(store, 'schools', { district_id: 'd', full_name: 'Ш', short_name: 'Ш', kind: 'СОШ', is_participant: true, stage: 'forming' });
    expect(s.is_participant).toBe(1);
    softDelete(store, 'schools', s.id);
    restoreRow(store, 'schools', s.id);
    expect(changes().map((c) => c.device_seq)).toEqual([1, 2, 3]);
    expect(replicaOf(store).nextSeq).toBe(4);
  });

  it('soft delete keeps the row as a tombstone and restore clears it', () => {
    const s = insertRow(store, 'schools', { district_id: 'd', full_name: 'Ш', short_name: 'Ш', kind: 'СОШ', is_participant: false, stage: 'forming' });
    softDelete(store, 'schools', s.id);
    const dead = store.sqlite.prepare('SELECT deleted_at FROM schools WHERE id = ?').get(s.id) as { deleted_at: string | null };
    expect(dead.deleted_at).not.toBeNull();
    restoreRow(store, 'schools', s.id);
    const alive = store.sqlite.prepare('SELECT deleted_at FROM schools WHERE id = ?').get(s.id) as { deleted_at: string | null };
    expect(alive.deleted_at).toBeNull();
  });

  it('refuses unknown columns without writing anything', () => {
    expect(() => insertRow(store, 'orders', { district_id: 'd', number: '1', date: '2021-01-01', title: 'A', bogus: 1 } as never)).toThrow(/Неизвестное поле/);
    expect(changes()).toHaveLength(0);
  });

  it('rolls back the row and its log entry together', () => {
    expect(() =>
      store.tx(() => {
        insertRow(store, 'orders', { district_id: 'd', number: '1', date: '2021-01-01', title: 'A' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(changes()).toHaveLength(0);
    expect((store.sqlite.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n).toBe(0);
  });
});
