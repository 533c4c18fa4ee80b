/**
 * Issue 11 point 1: every figure for a past date comes from the data as it stood at the end
 * of that day. The test makes a history on a fake clock (a programme in March 2022, one
 * measure done and confirmed in June, another in July), reports on 30.06.2022, edits on in
 * 2026, and reports on 30.06.2022 again: the same numbers, in the screen and the documents.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { referenceId } from '../../core/reference';
import { readAsOf } from '../../db/asOf';
import { insertRow, softDelete, updateRow } from '../../db/write';
import type { Store } from '../../db/store';
import { openTestCore, type TestCore } from './coreFixture';

const at = (iso: string) => vi.setSystemTime(new Date(iso));

let c: TestCore;
let store: Store;
const ids: Record<string, string> = {};

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  at('2022-03-01T09:00:00+03:00');
  c = openTestCore();
  await c.ok('app.createDistrict', { region: 'Ярославская область', district: 'г.о. Переславль-Залесский' });
  store = c.core.ctx.store;
  const district = (await c.ok('app.info', {})).district!.id;
  const school = insertRow(store, 'schools', { district_id: district, full_name: 'МОУ Средняя школа № 6', short_name: 'Средняя школа № 6', kind: 'СОШ', is_participant: true, stage: 'implementing' });
  const programme = insertRow(store, 'programmes', {
    school_id: school.id,
    kind: 'arp',
    risk_factor_id: referenceId('risk_factor', '2021:РФ8'),
    title: 'Низкая адаптивность учебного процесса',
    target_indicators: 'Доля уроков с дифференциацией 60%',
    period_from: '2022-01-10',
    period_to: '2022-12-30',
  });
  const task = insertRow(store, 'programme_tasks', { programme_id: programme.id, position: 1, title: 'Повысить квалификацию' });
  const measure = (title: string, date: string, position: number) =>
    insertRow(store, 'measures', { programme_id: programme.id, task_id: task.id, position, title, date_text: date, date_from: null, date_to: null, indicator: 'Справка', unplanned: false, status: 'planned' });
  const a = measure('Семинар по дифференциации', '12.05.2022', 1);
  const b = measure('Открытые уроки', '20.06.2022', 2);
  Object.assign(ids, { programme: programme.id, a: a.id, b: b.id, district });

  const done = (measureId: string, title: string) => {
    updateRow(store, 'measures', measureId, { status: 'done' });
    const ev = insertRow(store, 'evidence', { measure_id: measureId, title, kind: 'Аналитическая справка', url: 'https://example.org/doc', uploaded_at: new Date().toISOString(), verdict: 'pending' });
    updateRow(store, 'evidence', ev.id, { verdict: 'confirmed', verdict_at: new Date().toISOString() });
    return ev.id;
  };
  at('2022-06-20T12:00:00+03:00');
  ids.evA = done(a.id, 'Справка о семинаре');
  // 30.06.2022 23:30 in Moscow is already 1 July in some zones, but still 30 June here: the day is the district's.
  at('2022-06-30T23:30:00+03:00');
  updateRow(store, 'programmes', programme.id, { goal: 'Снизить долю неуспевающих' });
  at('2022-07-10T12:00:00+03:00');
  ids.evB = done(b.id, 'Фотоотчёт об открытых уроках');
  at('2026-12-02T10:00:00+03:00');
});

afterEach(() => {
  c.close();
  vi.useRealTimers();
});

const sheetAt = async (reportingDate: string) => (await c.ok('expertise.sheet', { programmeId: ids.programme!, reportingDate })).sheet;

describe('figures as of a past date', () => {
  it('count what was done and confirmed by the end of that day, not today', async () => {
    const june = await sheetAt('2022-06-30');
    const july = await sheetAt('2022-07-31');
    expect(june.assessable && june.plan.doneAndConfirmed).toBe(1);
    expect(july.assessable && july.plan.doneAndConfirmed).toBe(2);
  });

  it('give the same numbers after later edits, on screen and in the documents', async () => {
    const screenBefore = await c.ok('expertise.list', { districtId: ids.district!, reportingDate: '2022-06-30' });
    const docBefore = await c.ok('reports.preview', { request: { kind: 'expertise', districtId: ids.district!, reportingDate: '2022-06-30', scope: 'district' } });
    updateRow(store, 'measures', ids.a!, { status: 'not_done' });
    softDelete(store, 'evidence', ids.evB!);
    insertRow(store, 'measures', { programme_id: ids.programme!, task_id: null, position: 3, title: 'Новое мероприятие', date_text: '01.03.2022', unplanned: false, status: 'done' });
    softDelete(store, 'programmes', ids.programme!);
    const screenAfter = await c.ok('expertise.list', { districtId: ids.district!, reportingDate: '2022-06-30' });
    const docAfter = await c.ok('reports.preview', { request: { kind: 'expertise', districtId: ids.district!, reportingDate: '2022-06-30', scope: 'district' } });
    expect(screenAfter.rows).toEqual(screenBefore.rows);
    expect(screenAfter.summary).toEqual(screenBefore.summary);
    expect(docAfter.body.replace(/сформирован [\d.: ]+/, '')).toEqual(docBefore.body.replace(/сформирован [\d.: ]+/, ''));
    // Today the programme is deleted: nothing to assess.
    expect((await c.ok('expertise.list', { districtId: ids.district!, reportingDate: '2026-12-02' })).rows).toHaveLength(0);
  });

  it('Мониторинг for a past period shows the expertise of its reporting date, read on its own or with the period', async () => {
    const june = (await c.ok('expertise.list', { districtId: ids.district!, reportingDate: '2022-06-30' })).summary;
    const sameDay = await c.ok('monitoring.dashboard', { districtId: ids.district!, reportingDate: '2022-06-30', from: '2022-01-01', to: '2022-06-30' });
    const later = await c.ok('monitoring.dashboard', { districtId: ids.district!, reportingDate: '2022-06-30', from: '2022-01-01', to: '2022-07-31' });
    expect(sameDay.summary).toEqual(june);
    expect(later.summary).toEqual(june);
    expect(sameDay.asOf).toContain('Данные на конец дня 30.06.2022');
    expect(later.asOf).toContain('Данные на конец дня 31.07.2022');
  });

  it('say which day the data is of and when the report was made', async () => {
    const view = await c.ok('expertise.list', { districtId: ids.district!, reportingDate: '2022-06-30' });
    expect(view.asOf).toBe('Данные на конец дня 30.06.2022 · сформирован 02.12.2026 10:00');
    const doc = await c.ok('reports.preview', { request: { kind: 'programme', programmeId: ids.programme!, reportingDate: '2022-06-30' } });
    expect(doc.body).toContain('Данные на конец дня 30.06.2022');
    // Before anything was entered here: the report says the data begins later.
    const early = await c.ok('expertise.list', { districtId: ids.district!, reportingDate: '2021-12-31' });
    expect(early.rows).toHaveLength(0);
    expect(early.asOf).toBe('Данные на конец дня 31.12.2021 · сформирован 02.12.2026 10:00. Записи в этой базе начинаются 01.03.2022: на эту дату данных ещё не было');
  });

  it('rebuild a row from its changes up to the instant, leaving out rows written later', () => {
    const cutoff = new Date('2022-06-30T21:00:00Z').getTime();
    const seen = readAsOf(store, cutoff, () => ({
      goal: store.sqlite.prepare('SELECT goal FROM programmes WHERE id = ?').pluck().get(ids.programme),
      statuses: store.sqlite.prepare('SELECT status FROM measures ORDER BY position').pluck().all(),
      evidence: store.sqlite.prepare('SELECT count(*) FROM evidence').pluck().get(),
    }));
    expect(seen).toEqual({ goal: 'Снизить долю неуспевающих', statuses: ['done', 'planned'], evidence: 1 });
    // The shadows are gone afterwards; the data today is untouched.
    expect(store.sqlite.prepare('SELECT count(*) FROM evidence').pluck().get()).toBe(2);
    expect(store.sqlite.prepare("SELECT count(*) FROM sqlite_temp_master WHERE name LIKE 'asof_%' OR type = 'view'").pluck().get()).toBe(0);
  });

  it('refuses a write while the past is read', () => {
    const cutoff = new Date('2022-06-30T21:00:00Z').getTime();
    expect(() => readAsOf(store, cutoff, () => updateRow(store, 'measures', ids.a!, { status: 'cancelled' }))).toThrow();
    expect(store.sqlite.prepare('SELECT status FROM measures WHERE id = ?').pluck().get(ids.a)).toBe('done');
  });
});

describe('an expert reads one measure differently', () => {
  it('counts it as due or not at that date, kept with who, when and why; «как по правилу» withdraws it', async () => {
    const rule = await sheetAt('2022-06-30');
    expect(rule.assessable && rule.plan.notDue.map((m) => m.id)).toEqual([]);
    const refused = await c.call('expertise.overrideDue', { programmeId: ids.programme!, reportingDate: '2022-06-30', measureId: ids.b!, due: false, comment: null });
    expect(refused.ok || refused.error.fields?.comment).toBe('Напишите, почему срок читается иначе');
    const row = await c.ok('expertise.overrideDue', { programmeId: ids.programme!, reportingDate: '2022-06-30', measureId: ids.b!, due: false, comment: 'Уроки перенесены приказом на сентябрь' });
    const s = row.sheet;
    if (!s.assessable) throw new Error('expected an assessed sheet');
    expect(s.plan.due).toBe(1);
    expect(s.plan.notDue).toEqual([expect.objectContaining({ id: ids.b, override: expect.objectContaining({ due: false, comment: 'Уроки перенесены приказом на сентябрь' }) })]);
    expect(s.plan.notDue[0]!.note).toContain('не учитывается на эту дату — Уроки перенесены приказом на сентябрь');
    // Another date is not touched; the history keeps the mark with its author.
    const july = await sheetAt('2022-07-31');
    expect(july.assessable && july.plan.due).toBe(2);
    const back = await c.ok('expertise.overrideDue', { programmeId: ids.programme!, reportingDate: '2022-06-30', measureId: ids.b!, due: null, comment: null });
    expect(back.sheet.assessable && back.sheet.plan.due).toBe(2);
    expect(store.sqlite.prepare("SELECT count(*) FROM expertise_marks WHERE criterion = ? AND deleted_at IS NOT NULL").pluck().get(`due:${ids.b}`)).toBe(1);
  });
});

describe('the demo district', () => {
  it('has a history from 15.03.2021, so a report on a past date reads the demo as it is', async () => {
    vi.useRealTimers();
    const demo = openTestCore();
    try {
      await demo.ok('app.loadDemo', {});
      const s = demo.core.ctx.store;
      const { computeSheets } = await import('../../core/monitoring/expertiseData');
      const { summarise } = await import('../../core/monitoring/summary');
      const districtId = (await demo.ok('app.info', {})).district!.id;
      const past = await demo.ok('expertise.list', { districtId, reportingDate: '2022-06-30' });
      expect(past.summary.programmes).toBeGreaterThan(0);
      expect(past.summary).toEqual(summarise('2022-06-30', computeSheets(s, { districtId }, '2022-06-30')));
      expect(s.sqlite.prepare('SELECT min(hlc) FROM changes').pluck().get()).toMatch(new RegExp(`^${Date.parse('2021-03-15T09:00:00+05:00').toString(36).padStart(11, '0')}-`));
    } finally {
      demo.close();
    }
  });
});
