/**
 * Malformed input never reaches a handler: dispatch answers with a structured validation
 * error naming the field, and nothing is written (rows, field clocks, change log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, writeFootprint, type TestCore } from '../integration/coreFixture';

let t: TestCore;
let schoolId: string;
const goodSchool = {
  full_name: 'МКОУ «Хутрахская СОШ»',
  short_name: 'Хутрахская СОШ',
  kind: 'СОШ',
  is_participant: true,
  cohort_year: 2025,
  stage: 'forming',
} as const;

beforeAll(async () => {
  t = openTestCore();
  await t.ok('app.createDistrict', { region: 'Республика Дагестан', district: 'МР «Цунтинский район»' });
  schoolId = (await t.ok('schools.create', goodSchool)).id;
});
afterAll(() => t.close());

/** [call, input, the field the error must name] */
const malformed: [string, unknown, string][] = [
  // wrong types
  ['schools.create', { ...goodSchool, full_name: 123 }, 'full_name'],
  ['schools.create', { ...goodSchool, is_participant: 'да' }, 'is_participant'],
  ['schools.create', { ...goodSchool, cohort_year: '2025' }, 'cohort_year'],
  ['schools.create', { ...goodSchool, kind: 'Университет' }, 'kind'],
  ['schools.list', { limit: 'все' }, 'limit'],
  ['people.create', { last_name: ['Иванов'], first_name: 'Иван', is_coordinator: false, is_curator: true, is_school_coordinator: false, is_director: false }, 'last_name'],
  // unknown fields (strict objects): reported on the object itself
  ['schools.create', { ...goodSchool, deleted_at: null }, '_'],
  ['schools.update', { id: '01900000-0000-7000-8000-000000000001', patch: { short_name: 'X', district_id: 'other' } }, 'patch'],
  ['app.info', { debug: true }, '_'],
  // oversize strings
  ['schools.create', { ...goodSchool, full_name: 'Ш'.repeat(501) }, 'full_name'],
  ['schools.create', { ...goodSchool, notes: 'n'.repeat(5001) }, 'notes'],
  ['schools.list', { search: 'п'.repeat(201) }, 'search'],
  ['orders.create', { number: '1'.repeat(51), date: '2025-01-01', title: 'Приказ' }, 'number'],
  // bad UUIDs
  ['schools.get', { id: 'not-a-uuid' }, 'id'],
  ['schools.delete', { id: "1' OR '1'='1" }, 'id'],
  ['schools.create', { ...goodSchool, director_id: '12345' }, 'director_id'],
  ['assignments.create', { curator_id: 'x', school_id: '01900000-0000-7000-8000-000000000001', date_from: '2025-01-01' }, 'curator_id'],
  ['trash.restore', { table: 'schools', id: 'zzz' }, 'id'],
  // dates and rules
  ['orders.create', { number: '1', date: '2025-02-30', title: 'Приказ' }, 'date'],
  ['assignments.create', { curator_id: '01900000-0000-7000-8000-000000000001', school_id: '01900000-0000-7000-8000-000000000002', date_from: '2025-05-01', date_to: '2025-04-01' }, 'date_to'],
  ['trash.restore', { table: 'meta', id: '01900000-0000-7000-8000-000000000001' }, 'table'],
];

describe('contract validation through dispatch', () => {
  const cases = malformed.map(([name, input, field]) => ({ name, input, field, shown: JSON.stringify(input).slice(0, 70) }));
  it.each(cases)('$name refuses $shown naming «$field», writing nothing', async ({ name, input, field }) => {
    const before = writeFootprint(t.core.ctx.store);
    const r = await t.core.call(name, input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toBe('Проверьте выделенные поля');
    expect(r.error.fields).toBeDefined();
    expect(Object.keys(r.error.fields!)).toContain(field);
    // Messages are Russian, for the field they sit next to.
    expect(r.error.fields![field]).toMatch(/[А-Яа-яЁё]/);
    expect(writeFootprint(t.core.ctx.store)).toEqual(before);
  });

  it('cross-field rules say which field and why, on every call, not zod\'s «Неверные входные данные»', async () => {
    const ids = { curator_id: '01900000-0000-7000-8000-000000000001', school_id: '01900000-0000-7000-8000-000000000002' };
    for (let i = 0; i < 2; i++) {
      const created = await t.core.call('assignments.create', { ...ids, date_from: '2025-05-01', date_to: '2025-04-01' });
      expect(!created.ok && created.error.fields).toMatchObject({ date_to: 'Дата окончания раньше даты начала' });
      const updated = await t.core.call('assignments.update', { id: ids.school_id, patch: { date_from: '2025-05-01', date_to: '2025-04-01' } });
      expect(!updated.ok && updated.error.fields).toMatchObject({ 'patch.date_to': 'Дата окончания раньше даты начала' });
      const twoOrders = await t.core.call('assignments.update', { id: ids.school_id, patch: { order_id: ids.curator_id }, new_order: { number: '1', date: '2025-01-01', title: 'О закреплении' } });
      expect(!twoOrders.ok && twoOrders.error.fields).toMatchObject({ 'patch.order_id': 'Укажите либо приказ из списка, либо новый приказ' });
    }
  });

  it('refuses input that is not an object at all', async () => {
    for (const input of [null, 'строка', 42, [goodSchool]]) {
      const before = writeFootprint(t.core.ctx.store);
      const r = await t.core.call('schools.create', input);
      expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
      expect(writeFootprint(t.core.ctx.store)).toEqual(before);
    }
  });

  it('refuses an unknown call by name, without running anything', async () => {
    const before = writeFootprint(t.core.ctx.store);
    const r = await t.core.call('schools.drop', { id: schoolId });
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    const proto = await t.core.call('__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(writeFootprint(t.core.ctx.store)).toEqual(before);
  });

  it('a well-formed call does write, so the footprint above would have noticed', async () => {
    const before = writeFootprint(t.core.ctx.store);
    const r = await t.core.call('schools.update', { id: schoolId, patch: { short_name: 'МКОУ «Хутрахская СОШ»' } });
    expect(r.ok).toBe(true);
    const after = writeFootprint(t.core.ctx.store);
    expect(after.changes).toBe(before.changes! + 1);
    expect(after.schools).toBe(before.schools);
  });

  it('a refused handler rule (not the schema) also writes nothing', async () => {
    const person = await t.ok('people.create', { last_name: 'Омаров', first_name: 'Шамиль', is_coordinator: false, is_curator: false, is_school_coordinator: false, is_director: true });
    const before = writeFootprint(t.core.ctx.store);
    const r = await t.core.call('assignments.create', { curator_id: person.id, school_id: schoolId, date_from: '2025-01-01' });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', fields: { curator_id: expect.stringMatching(/куратор/) } } });
    expect(writeFootprint(t.core.ctx.store)).toEqual(before);
  });
});
