/**
 * Every *.update handler checks the rows a patch names exactly as its *.create does: a missing
 * or deleted school, person or curator is refused next to its field, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, writeFootprint, type TestCore } from '../integration/coreFixture';

let t: TestCore;
let school: string;
let curator: string;
let director: string;
let assignment: string;
const nowhere = '0190a000-0000-7000-8000-00000000dead';

beforeAll(async () => {
  t = openTestCore();
  await t.ok('app.createDistrict', { region: 'Республика Дагестан', district: 'Цунтинский район' });
  school = (await t.ok('schools.create', { full_name: 'МКОУ «Кидеринская СОШ»', short_name: 'Кидеринская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming' })).id;
  const person = { first_name: 'Шамиль', is_coordinator: false, is_school_coordinator: false };
  curator = (await t.ok('people.create', { ...person, last_name: 'Омаров', is_curator: true, is_director: false })).id;
  director = (await t.ok('people.create', { ...person, last_name: 'Гаджиев', is_curator: false, is_director: true })).id;
  assignment = (await t.ok('assignments.create', { curator_id: curator, school_id: school, date_from: '2025-02-03' })).id;
});
afterAll(() => t.close());

async function refused(name: Parameters<TestCore['call']>[0], input: unknown, field: string): Promise<void> {
  const before = writeFootprint(t.core.ctx.store);
  const r = await t.call(name, input as never);
  expect(r).toMatchObject({ ok: false, error: { code: 'validation', fields: { [field]: expect.stringMatching(/[а-яё]{4}/) } } });
  expect(writeFootprint(t.core.ctx.store)).toEqual(before);
}

describe('references on update, as on create', () => {
  it('assignments.update refuses a school, curator or order that does not exist, or a person who is not a curator', async () => {
    await refused('assignments.update', { id: assignment, patch: { school_id: nowhere } }, 'school_id');
    await refused('assignments.update', { id: assignment, patch: { curator_id: nowhere } }, 'curator_id');
    await refused('assignments.update', { id: assignment, patch: { curator_id: director } }, 'curator_id');
    await refused('assignments.create', { curator_id: curator, school_id: nowhere, date_from: '2025-02-03' }, 'school_id');
  });

  it('refuses a deleted row the same way', async () => {
    const gone = (await t.ok('schools.create', { full_name: 'МКОУ «Удалённая СОШ»', short_name: 'Удалённая СОШ', kind: 'СОШ', is_participant: false, stage: 'forming' })).id;
    await t.ok('schools.delete', { id: gone });
    await refused('assignments.update', { id: assignment, patch: { school_id: gone } }, 'school_id');
    await refused('people.update', { id: curator, patch: { organisation_id: gone } }, 'organisation_id');
  });

  it('people and schools check the rows they name on create and update', async () => {
    await refused('people.update', { id: curator, patch: { organisation_id: nowhere } }, 'organisation_id');
    await refused('people.create', { first_name: 'А', last_name: 'Б', organisation_id: nowhere, is_coordinator: false, is_curator: false, is_school_coordinator: false, is_director: false }, 'organisation_id');
    await refused('schools.update', { id: school, patch: { director_id: nowhere } }, 'director_id');
    await refused('schools.create', { full_name: 'МКОУ «Новая СОШ»', short_name: 'Новая СОШ', kind: 'СОШ', is_participant: true, stage: 'forming', director_id: nowhere }, 'director_id');
  });

  it('an update naming live rows is written', async () => {
    const other = (await t.ok('schools.create', { full_name: 'МКОУ «Хутрахская СОШ»', short_name: 'Хутрахская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming' })).id;
    expect((await t.ok('assignments.update', { id: assignment, patch: { school_id: other } })).school_id).toBe(other);
    expect((await t.ok('schools.update', { id: other, patch: { director_id: director } })).director_id).toBe(director);
  });
});
