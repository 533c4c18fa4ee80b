/** Issue 13, points 5, 6 and 8 through dispatch: overlapping assignments, schedules on working days, search, attendance. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import type { Ctx } from '../../core/context';
import { installWriteGuard } from '../../core/accounts/writeGuard';
import { canEndOn, overlappingAssignments, spansOverlap } from '../../core/rules/assignments';
import { openStore } from '../../db/open';
import type { Store } from '../../db/store';
import { insertRow } from '../../db/write';
import { dispatcher } from '../integration/coreFixture';
import { parseSchoolQuery } from '../../core/search';

let store: Store;
let ctx: Ctx;
const { call, ok } = dispatcher(() => ctx);
let school: string;
let osipova: string;
let petrov: string;
let first: string;

beforeEach(async () => {
  store = openStore(':memory:');
  installWriteGuard(store);
  ctx = { store, dataDir: os.tmpdir(), emit: () => {} };
  const district_id = (await ok('app.createDistrict', { region: 'Регион', district: 'Район' })).district!.id;
  school = insertRow(store, 'schools', { district_id, full_name: 'Средняя школа № 32', short_name: 'Средняя школа № 32', kind: 'СОШ', is_participant: true, stage: 'forming' }).id;
  const curator = (last_name: string) =>
    insertRow(store, 'people', { district_id, last_name, first_name: 'Людмила', middle_name: 'Андреевна', is_curator: true, is_coordinator: false, is_director: false, is_school_coordinator: false }).id;
  osipova = curator('Осипова');
  petrov = curator('Петрова');
  first = insertRow(store, 'curator_assignments', { curator_id: osipova, school_id: school, date_from: '2021-03-15', date_to: null }).id;
});
afterEach(() => store.close());

describe('the overlap rule', () => {
  const a = { curator_id: 'a', date_from: '2021-03-15', date_to: null };
  it('the end date is the handover day', () => {
    expect(spansOverlap({ date_from: '2021-01-01', date_to: '2027-01-15' }, { date_from: '2027-01-15', date_to: null })).toBe(false);
    expect(spansOverlap({ date_from: '2021-01-01', date_to: '2027-01-16' }, { date_from: '2027-01-15', date_to: null })).toBe(true);
    expect(spansOverlap({ date_from: '2028-01-01', date_to: null }, { date_from: '2027-01-15', date_to: '2027-12-31' })).toBe(false);
  });
  it('another curator only, live rows only; an earlier one can be ended on the new start', () => {
    const span = { curator_id: 'b', date_from: '2027-01-15', date_to: null };
    expect(overlappingAssignments(span, [a, { ...a, curator_id: 'b' }, { ...a, deleted_at: '2022-01-01T00:00:00Z' }])).toEqual([a]);
    expect(canEndOn(a, '2027-01-15')).toBe(true);
    expect(canEndOn({ date_from: '2027-01-15', date_to: null }, '2027-01-15')).toBe(false);
  });
});

describe('a second curator for a school', () => {
  const span = () => ({ curator_id: petrov, school_id: school, date_from: '2027-01-15', date_to: null });

  it('is refused without a choice, naming the curator in place', async () => {
    const r = await call('assignments.create', span());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('assignment_overlap');
      expect(r.error.message).toBe('Школа уже закреплена за куратором Осипова Л.А. с 15.03.2021 без даты окончания: завершите прежнее закрепление или оставьте обоих кураторов.');
    }
    expect(await ok('assignments.overlaps', span())).toEqual([{ id: first, curator_name: 'Осипова Л.А.', date_from: '2021-03-15', date_to: null, can_end: true }]);
  });

  it('«end the earlier one» ends it on the new start date', async () => {
    await ok('assignments.create', { ...span(), overlap: 'end_earlier' });
    const card = await ok('people.get', { id: osipova });
    expect(card.assignments.map((x) => x.assignment.date_to)).toEqual(['2027-01-15']);
    expect(await ok('assignments.overlaps', { ...span(), curator_id: osipova, date_from: '2027-02-01' })).toHaveLength(1);
  });

  it('«keep both» shows both curators on Главная instead of silently replacing one', async () => {
    await ok('assignments.create', { ...span(), date_from: '2021-09-01', overlap: 'keep_both' });
    const list = await ok('visits.compliance', { today: '2026-12-02' });
    expect(list.rows.find((r) => r.school_id === school)?.curator_name).toBe('Осипова Л.А., Петрова Л.А.');
  });
});

describe('schedules on working days only', () => {
  it('generation skips the winter break and holidays; a date moved onto one is refused with the reason', async () => {
    const winter = await ok('schoolBreaks.save', { title: 'Зимние каникулы', date_from: '2026-12-29', date_to: '2027-01-08' });
    const schedule = await ok('visitSchedules.generate', { curator_id: osipova, school_id: school, period_from: '2026-12-14', period_to: '2027-01-22' });
    const card = await ok('visitSchedules.get', { id: schedule.id });
    expect(card.dates.map((d) => d.planned_date)).toEqual(['2026-12-14', '2026-12-21', '2026-12-28', '2027-01-11', '2027-01-18']);
    const moved = await call('visitSchedules.moveDate', { id: card.dates[1]!.id, planned_date: '2027-01-05', note: null });
    expect(moved.ok ? null : moved.error.fields).toEqual({ planned_date: '05.01.2027 — нерабочий день (каникулы — Зимние каникулы): выберите рабочий день' });
    await ok('schoolBreaks.remove', { id: winter.id });
    const added = await call('visitSchedules.addDate', { schedule_id: schedule.id, planned_date: '2026-12-31', note: null });
    expect(added.ok ? null : added.error.fields?.planned_date).toBe('31.12.2026 — нерабочий день (нерабочий день по производственному календарю — перенос выходного дня с 04.01.2026): выберите рабочий день');
  });
});

describe('school search by number and by a linked person', () => {
  it('parses «школа 32», «№32», «сош 32»', () => {
    expect(parseSchoolQuery('школа 32')).toEqual({ number: '32', words: [] });
    expect(parseSchoolQuery('№32')).toEqual({ number: '32', words: [] });
    expect(parseSchoolQuery('СОШ 32')).toEqual({ number: '32', words: ['сош'] });
    expect(parseSchoolQuery('Осипова')).toEqual({ number: null, words: ['осипова'] });
  });

  it('finds number 32 (not 132), and schools by a curator or director surname', async () => {
    const district_id = (await ok('app.info', {})).district!.id;
    const other = insertRow(store, 'schools', { district_id, full_name: 'Средняя школа № 132', short_name: 'Средняя школа № 132', kind: 'СОШ', is_participant: true, stage: 'forming' }).id;
    const director = insertRow(store, 'people', { district_id, last_name: 'Попкова', first_name: 'Мария', middle_name: null, organisation_id: other, is_curator: false, is_coordinator: false, is_director: true, is_school_coordinator: false }).id;
    await ok('schools.update', { id: other, patch: { director_id: director } });
    const names = async (search: string) => (await ok('schools.list', { search })).rows.map((r) => r.short_name);
    expect(await names('школа 32')).toEqual(['Средняя школа № 32']);
    expect(await names('32')).toEqual(['Средняя школа № 32']);
    expect(await names('сош 132')).toEqual(['Средняя школа № 132']);
    expect(await names('осипова')).toEqual(['Средняя школа № 32']);
    expect(await names('Попк')).toEqual(['Средняя школа № 132']);
    expect(await names('Иванов')).toEqual([]);
  });
});

describe('event attendance', () => {
  it('counts schools marked present without a named person as participants', async () => {
    await ok('events.save', { date: '2026-11-20', kind: 'meeting', title: 'Совещание', organiser: 'УО', attendance: [{ school_id: school, attended: true }, { person_id: osipova, attended: true }, { person_id: petrov, attended: false }] });
    const [row] = await ok('events.list', {});
    expect([row?.schools, row?.people]).toEqual([1, 2]);
  });
});

describe('coded lists in natural order', () => {
  it('risk factors come РФ1, РФ2 … РФ10', async () => {
    const codes = (await ok('riskFactors.list', {})).map((f) => f.code);
    expect(codes.indexOf('РФ2')).toBeLessThan(codes.indexOf('РФ10'));
    expect(codes.slice(0, 3)).toEqual(['РФ1', 'РФ2', 'РФ3']);
  });
});
