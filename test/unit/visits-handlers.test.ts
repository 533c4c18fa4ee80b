/** The visit journal, schedules, compliance, events and the start page through dispatch, as the shells call them. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import type { InputOf } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { DEFAULT_TIME_ZONE, todayIn } from '../../core/rules/today';
import { shiftDate, weekOf } from '../../core/rules/visits';
import { openStore } from '../../db/open';
import { installWriteGuard } from '../../core/accounts/writeGuard';
import { qb, type Store } from '../../db/store';
import { dispatch } from '../../core/dispatch';
import { insertRow } from '../../db/write';
import { dispatcher } from '../integration/coreFixture';

let store: Store;
let ctx: Ctx;
const { call, ok } = dispatcher(() => ctx);

const today = todayIn(DEFAULT_TIME_ZONE);
const daysAgo = (n: number) => shiftDate(today, -n);
let schoolA: string; // forming
let schoolB: string; // implementing
let curator: string;
let coordinator: string;

beforeEach(async () => {
  store = openStore(':memory:');
  // As on a signed-in laptop: every write also passes the permissions rule the hub runs.
  installWriteGuard(store);
  ctx = { store, dataDir: os.tmpdir(), emit: () => {} };
  const info = await ok('app.createDistrict', { region: 'Регион', district: 'Район' });
  const district_id = info.district!.id;
  const school = (short_name: string, stage: 'forming' | 'implementing') =>
    insertRow(store, 'schools', { district_id, full_name: short_name, short_name, kind: 'СОШ', is_participant: true, stage }).id;
  schoolA = school('Школа А', 'forming');
  schoolB = school('Школа Б', 'implementing');
  insertRow(store, 'schools', { district_id, full_name: 'Донор', short_name: 'Донор', kind: 'СОШ', is_participant: false, stage: 'forming' });
  const person = (last_name: string, roles: { is_curator?: boolean; is_coordinator?: boolean }) =>
    insertRow(store, 'people', { district_id, last_name, first_name: 'Иван', middle_name: 'Петрович', is_curator: !!roles.is_curator, is_coordinator: !!roles.is_coordinator, is_director: false, is_school_coordinator: false }).id;
  curator = person('Куратов', { is_curator: true });
  coordinator = person('Главнов', { is_coordinator: true });
  for (const s of [schoolA, schoolB]) insertRow(store, 'curator_assignments', { curator_id: curator, school_id: s, date_from: '2021-01-01' });
});
afterEach(() => store.close());

const changeCount = () => (store.sqlite.prepare('SELECT count(*) n FROM changes').get() as { n: number }).n;

const visit = (school_id: string, date: string, extra: Partial<InputOf<'visits.save'>> = {}) =>
  ok('visits.save', { curator_id: curator, school_id, date, format: 'school', stage: 'forming', ...extra });

describe('compliance', () => {
  it('never visited participants need a visit; donors are not listed', async () => {
    const c = await ok('visits.compliance', {});
    expect(c.rows.map((r) => [r.school_name, r.status])).toEqual([
      ['Школа А', 'never'],
      ['Школа Б', 'never'],
    ]);
  });

  it('a forming school visited 8 days ago is overdue until a visit is logged; drafts do not count', async () => {
    await visit(schoolA, daysAgo(8));
    await visit(schoolB, daysAgo(8), { stage: 'implementing' });
    let c = await ok('visits.compliance', { attention: true });
    expect(c.rows.map((r) => [r.school_name, r.status, r.days])).toEqual([['Школа А', 'overdue', 8]]);
    expect(c.counts).toMatchObject({ overdue: 1, ok: 1 });

    await ok('visits.saveDraft', { curator_id: curator, school_id: schoolA, date: today, topics: 'черновик' });
    c = await ok('visits.compliance', { attention: true });
    expect(c.rows[0]!.status).toBe('overdue');

    await visit(schoolA, today);
    c = await ok('visits.compliance', { attention: true });
    expect(c.rows).toEqual([]);
  });

  it('uses the district settings', async () => {
    await visit(schoolB, daysAgo(15), { stage: 'implementing' });
    expect((await ok('visits.compliance', {})).rows.find((r) => r.school_id === schoolB)!.status).toBe('ok');
    await ok('app.updateSettings', { visit_days_forming: 7, visit_days_implementing_due: 10, visit_days_implementing: 14 });
    expect((await ok('visits.compliance', {})).rows.find((r) => r.school_id === schoolB)!.status).toBe('overdue');
  });

  it('schools.list carries the visit status of each school', async () => {
    await visit(schoolA, daysAgo(7));
    const list = await ok('schools.list', {});
    const a = list.rows.find((r) => r.id === schoolA)!;
    expect(a).toMatchObject({ visit_status: 'due', days_since_visit: 7 });
    expect(list.rows.find((r) => r.id === schoolB)).toMatchObject({ visit_status: 'never', days_since_visit: null });
  });
});

describe('visit journal', () => {
  it('refuses dates that do not fit, with messages next to the fields, and writes nothing', async () => {
    const before = (store.sqlite.prepare('SELECT count(*) n FROM changes').get() as { n: number }).n;
    const r = await call('visits.save', {
      curator_id: curator,
      school_id: schoolA,
      date: daysAgo(2),
      format: 'school',
      stage: 'forming',
      next_visit_date: daysAgo(3),
      steps: [{ text: 'Сделать план', due_date: daysAgo(5) }, { text: '  ', due_date: null }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.fields).toMatchObject({
      next_visit_date: 'Следующее посещение — позже даты этого посещения',
      'steps.0.due_date': 'Срок не раньше даты посещения',
      'steps.1.text': 'Заполните поле',
    });
    const future = await call('visits.save', { curator_id: curator, school_id: schoolA, date: shiftDate(today, 2), format: 'school', stage: 'forming' });
    expect(!future.ok && future.error.fields?.date).toMatch(/ещё не наступила/);
    const missing = await call('visits.save', { curator_id: '', school_id: schoolA, date: today, format: 'school', stage: 'forming' });
    expect(!missing.ok && missing.error.fields?.curator_id).toBe('Выберите куратора');
    expect((store.sqlite.prepare('SELECT count(*) n FROM changes').get() as { n: number }).n).toBe(before);
  });

  it('a draft is kept, reopened, finished, and cannot be overwritten by autosave afterwards', async () => {
    const draft = (await ok('visits.saveDraft', {
      curator_id: curator,
      school_id: schoolA,
      findings: 'Дорожная карта не согласована',
      steps: [{ text: 'Согласовать ДК', due_date: shiftDate(today, 5) }, { text: '', due_date: null }],
    }))!;
    expect(draft).toMatchObject({ is_draft: 1, date: today, stage: 'forming' });
    const list = await ok('visits.list', { drafts: 'only' });
    expect(list.rows.map((r) => r.id)).toEqual([draft.id]);
    const card = await ok('visits.get', { id: draft.id });
    expect(card.visit.findings).toBe('Дорожная карта не согласована');
    expect(card.steps.map((s) => s.text)).toEqual(['Согласовать ДК']);

    await visit(schoolA, today, { id: draft.id, findings: 'Согласовано', steps: [{ id: card.steps[0]!.id, text: 'Согласовать ДК', due_date: shiftDate(today, 5), done: true }] });
    const done = await ok('visits.get', { id: draft.id });
    expect(done.visit.is_draft).toBe(0);
    expect(done.steps).toHaveLength(1);
    expect(done.steps[0]!.done).toBe(1);
    const r = await call('visits.saveDraft', { id: draft.id, curator_id: curator, school_id: schoolA });
    expect(r.ok || r.error.code).toBe('not_draft');
  });

  it('a draft with nothing written is never a journal row, and one emptied again leaves the journal', async () => {
    const before = changeCount();
    const id = crypto.randomUUID();
    // The school, curator, date and stage alone are what the form fills in itself.
    expect(await ok('visits.saveDraft', { id, curator_id: curator, school_id: schoolA, date: today, stage: 'forming', steps: [{ text: '  ', due_date: null }] })).toBeNull();
    expect(changeCount()).toBe(before);
    expect((await ok('visits.list', { drafts: 'only' })).rows).toEqual([]);

    await ok('visits.saveDraft', { id, curator_id: curator, school_id: schoolA, topics: 'Т' });
    expect((await ok('visits.list', { drafts: 'only' })).rows.map((r) => r.id)).toEqual([id]);
    expect(await ok('visits.saveDraft', { id, curator_id: curator, school_id: schoolA, topics: '' })).toBeNull();
    expect((await ok('visits.list', { drafts: 'only' })).rows).toEqual([]);
  });

  it('a signed-in curator keeps only their own journal: another curator\'s visit is refused, nothing written', async () => {
    const other = insertRow(store, 'people', { district_id: store.first(qb.selectFrom('districts').select('id'))!.id, last_name: 'Другов', first_name: 'Пётр', is_curator: true, is_coordinator: false, is_director: false, is_school_coordinator: false }).id;
    insertRow(store, 'curator_assignments', { curator_id: other, school_id: schoolA, date_from: '2021-01-01' });
    const theirs = await visit(schoolA, daysAgo(3), { curator_id: other });
    store.session = { accountId: 'account-kuratov', personId: curator, role: 'curator', name: 'Куратов И.П.' };
    const before = changeCount();

    const forOther = await call('visits.save', { curator_id: other, school_id: schoolA, date: today, format: 'school', stage: 'forming' });
    expect(!forOther.ok && forOther.error).toMatchObject({ code: 'forbidden', fields: { curator_id: 'Можно выбрать только себя' } });
    expect(!forOther.ok && forOther.error.message).toMatch(/только свой журнал/);
    const draftForOther = await call('visits.saveDraft', { curator_id: other, school_id: schoolA, topics: 'чужой черновик' });
    expect(!draftForOther.ok && draftForOther.error.code).toBe('forbidden');
    // Nor can they take over the other curator's entry by naming themselves.
    const takeOver = await call('visits.save', { id: theirs.id, curator_id: curator, school_id: schoolA, date: daysAgo(3), format: 'school', stage: 'forming' });
    expect(!takeOver.ok && takeOver.error.message).toMatch(/записано другим куратором/);
    const removal = await call('visits.delete', { id: theirs.id });
    expect(!removal.ok && removal.error.message).toMatch(/записано другим куратором/);
    expect(changeCount()).toBe(before);

    const own = await visit(schoolA, today);
    expect(own.curator_id).toBe(curator);
    const draft = await ok('visits.saveDraft', { curator_id: curator, school_id: schoolB, topics: 'свой черновик' });
    expect(draft?.curator_id).toBe(curator);

    // The coordinator records a visit for any curator.
    store.session = { accountId: 'account-glavnov', personId: coordinator, role: 'coordinator', name: 'Главнов И.П.' };
    expect((await visit(schoolA, daysAgo(1), { curator_id: other })).curator_id).toBe(other);
  });

  it('delete goes to the trash and restore brings the visit back into compliance', async () => {
    const v = await visit(schoolA, today);
    await ok('visits.delete', { id: v.id });
    expect((await ok('visits.compliance', {})).rows.find((r) => r.school_id === schoolA)!.status).toBe('never');
    expect((await ok('trash.list', {})).some((t) => t.id === v.id)).toBe(true);
    await ok('trash.restore', { table: 'visits', id: v.id });
    expect((await ok('visits.compliance', {})).rows.find((r) => r.school_id === schoolA)!.status).toBe('ok');
  });
});

describe('visit schedules', () => {
  it('generated from the stage rule; an approved schedule is read-only until reopened', async () => {
    const s = await ok('visitSchedules.generate', { curator_id: curator, school_id: schoolB, period_from: '2024-03-04', period_to: '2024-05-31' });
    let card = await ok('visitSchedules.get', { id: s.id });
    expect(card.dates.map((d) => d.planned_date)).toEqual(['2024-03-04', '2024-03-25', '2024-04-15', '2024-05-06', '2024-05-27']);

    const moved = await ok('visitSchedules.moveDate', { id: card.dates[1]!.id, planned_date: '2024-03-22' });
    expect(moved.planned_date).toBe('2024-03-22');
    const outside = await call('visitSchedules.addDate', { schedule_id: s.id, planned_date: '2024-06-10' });
    expect(!outside.ok && outside.error.fields?.planned_date).toBe('Дата вне периода графика');

    // The approver is the signed-in coordinator; the input cannot name anyone.
    store.session = { accountId: 'account-glavnov', personId: coordinator, role: 'coordinator', name: 'Главнов И.П.' };
    const named = await dispatch(ctx, 'visitSchedules.approve', { id: s.id, approved_by: curator });
    expect(!named.ok && named.error.code).toBe('validation');
    const approved = await ok('visitSchedules.approve', { id: s.id });
    expect(approved).toMatchObject({ approved: 1, approved_by: coordinator });
    const list = await ok('visitSchedules.list', {});
    expect(list[0]).toMatchObject({ approved: 1, approved_by_name: 'Главнов И.П.', planned: 5 });
    const refused = await call('visitSchedules.addDate', { schedule_id: s.id, planned_date: '2024-04-01' });
    expect(!refused.ok && refused.error.code).toBe('approved');
    expect((await call('visitSchedules.removeDate', { id: card.dates[0]!.id })).ok).toBe(false);

    await ok('visitSchedules.reopen', { id: s.id });
    await ok('visitSchedules.removeDate', { id: card.dates[0]!.id });
    card = await ok('visitSchedules.get', { id: s.id });
    expect(card.dates).toHaveLength(4);
    expect(card.schedule.approved_by).toBeNull();
  });

  it('refuses a period with no weekday or longer than a year', async () => {
    const weekend = await call('visitSchedules.generate', { curator_id: curator, school_id: schoolA, period_from: '2024-03-09', period_to: '2024-03-10' });
    expect(!weekend.ok && weekend.error.fields?.period_to).toBe('В периоде нет ни одного рабочего дня');
    const reversed = await call('visitSchedules.generate', { curator_id: curator, school_id: schoolA, period_from: '2024-03-09', period_to: '2024-03-01' });
    expect(!reversed.ok && reversed.error.fields?.period_to).toBe('Конец периода раньше начала');
  });
});

describe('events, calendar and the start page', () => {
  it('an event keeps its attendance by school and person', async () => {
    const e = await ok('events.save', {
      date: today,
      kind: 'webinar',
      title: 'Вебинар ФИОКО',
      organiser: 'ФИОКО',
      attendance: [{ school_id: schoolA }, { school_id: schoolB, person_id: curator }, { person_id: coordinator, attended: false }],
    });
    // A school marked present with no one named counts as one participant (the «Участников 0» of issue 13).
    expect((await ok('events.list', {}))[0]).toMatchObject({ title: 'Вебинар ФИОКО', schools: 2, people: 2 });
    await ok('events.save', { id: e.id, date: today, kind: 'webinar', title: 'Вебинар ФИОКО', attendance: [{ school_id: schoolA }] });
    const card = await ok('events.get', { id: e.id });
    expect(card.attendance.map((a) => a.school_name)).toEqual(['Школа А']);
    const bad = await call('events.save', { date: today, kind: 'meeting', title: ' ', attendance: [{}] });
    expect(!bad.ok && bad.error.fields).toMatchObject({ title: 'Заполните поле', 'attendance.0': 'Укажите школу или участника' });
  });

  it('start page: overdue schools, this week\'s plan, late steps and calendar deadlines', async () => {
    await visit(schoolA, daysAgo(9), { steps: [{ text: 'Прислать протокол', due_date: daysAgo(2) }] });
    await ok('visitSchedules.generate', { curator_id: curator, school_id: schoolA, period_from: weekOf(today).from, period_to: weekOf(today).to });
    const s = await ok('start.summary', {});
    expect(s.attention.map((r) => [r.school_name, r.status])).toEqual([
      ['Школа А', 'overdue'],
      ['Школа Б', 'never'],
    ]);
    expect(s.counts).toMatchObject({ participants: 2, overdue: 1, never: 1, ok: 0 });
    expect(s.weekPlan.length).toBeGreaterThan(0);
    expect(s.weekPlan.every((w) => w.planned_date >= s.week.from && w.planned_date <= s.week.to)).toBe(true);
    const step = s.deadlines.find((d) => d.kind === 'step')!;
    expect(step).toMatchObject({ title: 'Прислать протокол', context: 'Школа А', state: { status: 'late', days_left: -2 } });
    const year = Number(today.slice(0, 4));
    const stages = await ok('calendar.list', { year, today: `${year}-05-10` });
    expect(stages.find((x) => x.code === 'M1')!.state).toEqual({ status: 'due', days_left: 15 });
  });
});
