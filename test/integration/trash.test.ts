/** Deleting moves a row to the trash (a logged tombstone); restoring brings it back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../core/contract';
import { openTestCore, type TestCore } from './coreFixture';

let t: TestCore;
const events: AppEvent[] = [];

beforeAll(async () => {
  t = openTestCore();
  t.core.on((e) => events.push(e));
  await t.ok('app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
});
afterAll(() => t.close());

function changesFor(rowId: string): { data: Record<string, unknown>; device_seq: number }[] {
  const rows = t.core.ctx.store.sqlite.prepare('SELECT data, device_seq FROM changes WHERE row_id = ? ORDER BY device_seq').all(rowId) as { data: string; device_seq: number }[];
  return rows.map((r) => ({ data: JSON.parse(r.data) as Record<string, unknown>, device_seq: r.device_seq }));
}

describe('soft delete and restore', () => {
  it('a deleted school leaves lists and cards, shows in the trash, and comes back whole', async () => {
    const school = await t.ok('schools.create', { full_name: 'МАОУ «СОШ № 21»', short_name: 'СОШ № 21', kind: 'СОШ', is_participant: false, stage: 'forming' });
    events.length = 0;
    expect((await t.ok('schools.delete', { id: school.id })) as unknown).toBeNull();
    expect(events).toContainEqual({ type: 'data.changed', tables: ['schools'] });

    // The row is still in the file (a tombstone for sync), just hidden everywhere.
    const raw = t.core.ctx.store.sqlite.prepare('SELECT deleted_at FROM schools WHERE id = ?').get(school.id) as { deleted_at: string | null };
    expect(raw.deleted_at).not.toBeNull();
    expect((await t.ok('schools.list', { search: 'СОШ № 21' })).rows).toHaveLength(0);
    const trash = await t.ok('trash.list', {});
    expect(trash).toContainEqual({ table: 'schools', id: school.id, title: 'СОШ № 21', deleted_at: raw.deleted_at });

    const log = changesFor(school.id);
    expect(log).toHaveLength(2);
    expect(log[1]!.data).toMatchObject({ deleted_at: raw.deleted_at });

    await t.ok('trash.restore', { table: 'schools', id: school.id });
    expect((await t.ok('trash.list', {})).map((i) => i.id)).not.toContain(school.id);
    const back = await t.ok('schools.list', { search: 'СОШ № 21' });
    expect(back.rows.map((r) => [r.id, r.full_name])).toEqual([[school.id, 'МАОУ «СОШ № 21»']]);
    const logAfter = changesFor(school.id);
    expect(logAfter).toHaveLength(3);
    expect(logAfter[2]!.data).toMatchObject({ deleted_at: null });
    expect(logAfter[2]!.device_seq).toBeGreaterThan(logAfter[1]!.device_seq);
  });

  it('a deleted person and curator assignment go to the trash and return', async () => {
    const curator = await t.ok('people.create', { last_name: 'Петрова', first_name: 'Ольга', is_coordinator: false, is_curator: true, is_school_coordinator: false, is_director: false });
    const school = await t.ok('schools.create', { full_name: 'МАОУ «СОШ № 35»', short_name: 'СОШ № 35', kind: 'СОШ', is_participant: true, stage: 'forming' });
    const a = await t.ok('assignments.create', { curator_id: curator.id, school_id: school.id, date_from: '2025-02-01' });
    await t.ok('assignments.delete', { id: a.id });
    await t.ok('people.delete', { id: curator.id });
    expect((await t.ok('schools.get', { id: school.id })).curators).toHaveLength(0);
    expect((await t.ok('people.list', { search: 'Петрова' })).rows).toHaveLength(0);
    const trash = await t.ok('trash.list', {});
    expect(trash.filter((i) => i.id === a.id || i.id === curator.id).map((i) => [i.table, i.title])).toEqual([
      ['people', 'Петрова О.'],
      ['curator_assignments', 'Закрепление куратора с 01.02.2025'],
    ]);

    await t.ok('trash.restore', { table: 'people', id: curator.id });
    await t.ok('trash.restore', { table: 'curator_assignments', id: a.id });
    const card = await t.ok('schools.get', { id: school.id });
    expect(card.curators.map((c) => c.curator.id)).toEqual([curator.id]);
  });

  it('deleting twice and restoring a live row change nothing and log nothing', async () => {
    const school = await t.ok('schools.create', { full_name: 'МАОУ «СОШ № 19»', short_name: 'СОШ № 19', kind: 'СОШ', is_participant: false, stage: 'forming' });
    await t.ok('trash.restore', { table: 'schools', id: school.id });
    expect(changesFor(school.id)).toHaveLength(1);
    await t.ok('schools.delete', { id: school.id });
    await t.ok('schools.delete', { id: school.id });
    expect(changesFor(school.id)).toHaveLength(2);
  });

  it('restoring a row that does not exist is a clear error', async () => {
    const r = await t.core.call('trash.restore', { table: 'schools', id: '01900000-0000-7000-8000-00000000dead' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/не найдена/) } });
  });
});
