/**
 * The local-date rules at their boundaries: «today» in the district's zone, the current
 * assignment, a planned visit kept within ±3 days, timestamps on the district's clock — and,
 * through dispatch, lists that decide «current» on the district's date when UTC already
 * (or still) says another day.
 */
import os from 'node:os';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ctx } from '../../core/context';
import { formatDateTime, formatTime } from '../../core/format';
import { currentAssignmentSql, isCurrentAssignment, sqlDate } from '../../core/rules/assignments';
import { DEFAULT_TIME_ZONE, isTimeZone, todayIn } from '../../core/rules/today';
import { keepsPlannedDate, keepsPlannedDateSql, shiftDate } from '../../core/rules/visits';
import { openStore } from '../../db/open';
import type { Store } from '../../db/store';
import { insertRow } from '../../db/write';
import { dispatcher } from '../integration/coreFixture';

describe('today in the district’s time zone', () => {
  it('23:30 UTC is already the next day in Moscow', () => {
    const at = new Date('2026-03-10T23:30:00Z');
    expect(at.toISOString().slice(0, 10)).toBe('2026-03-10');
    expect(todayIn('Europe/Moscow', at)).toBe('2026-03-11');
    expect(todayIn('UTC', at)).toBe('2026-03-10');
  });

  it('turns over exactly at local midnight (21:00 UTC in Moscow, 19:00 UTC in Yekaterinburg)', () => {
    expect(todayIn('Europe/Moscow', new Date('2026-12-31T20:59:59.999Z'))).toBe('2026-12-31');
    expect(todayIn('Europe/Moscow', new Date('2026-12-31T21:00:00Z'))).toBe('2027-01-01');
    expect(todayIn('Asia/Yekaterinburg', new Date('2026-02-28T18:59:59Z'))).toBe('2026-02-28');
    expect(todayIn('Asia/Yekaterinburg', new Date('2026-02-28T19:00:00Z'))).toBe('2026-03-01');
  });

  it('knows real zones and refuses made-up ones; Moscow is the default', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Europe/Moscow');
    expect(isTimeZone('Asia/Vladivostok')).toBe(true);
    expect(isTimeZone('Europe/Mordor')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('formats instants on the district’s clock, not the machine’s', () => {
    expect(formatDateTime('2026-03-10T23:30:00Z', 'Europe/Moscow')).toBe('11.03.2026 02:30');
    expect(formatDateTime('2026-03-10T23:30:00Z', 'UTC')).toBe('10.03.2026 23:30');
    expect(formatDateTime('2026-03-10T21:00:00Z', 'Europe/Moscow')).toBe('11.03.2026 00:00');
    expect(formatTime('2026-03-10T05:07:00Z', 'Asia/Yekaterinburg')).toBe('10:07');
    expect(formatDateTime(null, 'Europe/Moscow')).toBe('');
    expect(formatDateTime('не дата', 'Europe/Moscow')).toBe('');
  });
});

describe('the current assignment', () => {
  const day = '2026-03-11';
  const cases = [
    { date_to: null, deleted_at: null, current: true },
    { date_to: shiftDate(day, 1), deleted_at: null, current: true },
    { date_to: day, deleted_at: null, current: true },
    { date_to: shiftDate(day, -1), deleted_at: null, current: false },
    { date_to: null, deleted_at: '2026-01-01T00:00:00Z', current: false },
  ];

  it('is live and not ended before the day (the last day counts)', () => {
    for (const c of cases) expect(isCurrentAssignment(c, day), JSON.stringify(c)).toBe(c.current);
  });

  it('says the same in SQL, with a named parameter or an inlined date', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE curator_assignments (n INTEGER, date_to TEXT, deleted_at TEXT)');
    const ins = db.prepare('INSERT INTO curator_assignments VALUES (?, ?, ?)');
    cases.forEach((c, n) => ins.run(n, c.date_to, c.deleted_at));
    const expected = cases.flatMap((c, n) => (c.current ? [n] : []));
    const pick = (sqlText: string, params: Record<string, string> = {}) =>
      (db.prepare(`SELECT n FROM curator_assignments a WHERE ${sqlText} ORDER BY n`).all(params) as { n: number }[]).map((r) => r.n);
    expect(pick(currentAssignmentSql('a', '@today'), { today: day })).toEqual(expected);
    expect(pick(currentAssignmentSql('a', sqlDate(day)))).toEqual(expected);
    db.close();
  });

  it('inlines only real calendar-date shapes', () => {
    expect(() => sqlDate("2026-01-01' OR 1=1 --")).toThrow();
    expect(sqlDate('2026-01-01')).toBe("'2026-01-01'");
  });
});

describe('a planned visit is kept by a visit within 3 days of it', () => {
  const planned = '2026-03-10';
  const cases = [-4, -3, 0, 3, 4].map((d) => ({ visit: shiftDate(planned, d), kept: Math.abs(d) <= 3 }));

  it('at -4, -3, 0, +3, +4 days', () => {
    for (const c of cases) expect(keepsPlannedDate(c.visit, planned), c.visit).toBe(c.kept);
  });

  it('in SQL as in code', () => {
    const db = new Database(':memory:');
    for (const c of cases) {
      const row = db.prepare(`SELECT ${keepsPlannedDateSql('@visit', '@planned')} AS kept`).get({ visit: c.visit, planned }) as { kept: number };
      expect(row.kept === 1, c.visit).toBe(c.kept);
    }
    db.close();
  });
});

describe('lists decide «current» on the district’s date', () => {
  let store: Store;
  let ctx: Ctx;
  const { call, ok } = dispatcher(() => ctx);
  let school: string;
  let curator: string;

  beforeEach(async () => {
    // 23:30 UTC on 10 March: in Moscow it is already 11 March.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-10T23:30:00Z'));
    store = openStore(':memory:');
    ctx = { store, dataDir: os.tmpdir(), emit: () => {} };
    const district_id = (await ok('app.createDistrict', { region: 'Регион', district: 'Район' })).district!.id;
    school = insertRow(store, 'schools', { district_id, full_name: 'Школа', short_name: 'Школа', kind: 'СОШ', is_participant: true, stage: 'forming' }).id;
    curator = insertRow(store, 'people', {
      district_id, last_name: 'Иванова', first_name: 'Анна', middle_name: 'Петровна',
      is_curator: true, is_coordinator: false, is_director: false, is_school_coordinator: false,
    }).id;
    // The assignment's last day is 10 March: over in Moscow, still on in UTC.
    insertRow(store, 'curator_assignments', { curator_id: curator, school_id: school, date_from: '2026-01-01', date_to: '2026-03-10' });
  });

  afterEach(() => {
    store.close();
    vi.useRealTimers();
  });

  it('Moscow (default): the assignment that ended on 10 March is not current at 02:30 on 11 March', async () => {
    expect((await ok('app.info', {})).timeZone).toBe('Europe/Moscow');
    expect((await ok('people.list', {})).rows[0]!.school_count).toBe(0);
    expect((await ok('schools.list', {})).rows[0]!.curator_name).toBeNull();
    expect((await ok('visits.options', {})).schools[0]!.curator_ids).toEqual([]);
    expect((await ok('visits.compliance', { curator_id: curator })).rows).toEqual([]);
    expect((await ok('visits.compliance', {})).today).toBe('2026-03-11');
  });

  it('a district on UTC: the same instant is still 10 March and the assignment is current everywhere', async () => {
    await ok('app.updateSettings', { visit_days_forming: 7, visit_days_implementing_due: 21, visit_days_implementing: 28, time_zone: 'UTC' });
    expect((await ok('app.info', {})).timeZone).toBe('UTC');
    expect((await ok('people.list', {})).rows[0]!.school_count).toBe(1);
    expect((await ok('schools.list', {})).rows[0]!.curator_name).toBe('Иванова А.П.');
    expect((await ok('visits.options', {})).schools[0]!.curator_ids).toEqual([curator]);
    expect((await ok('visits.compliance', { curator_id: curator })).rows.map((r) => r.school_id)).toEqual([school]);
  });

  it('a visit dated the district’s today is accepted, one dated tomorrow is refused', async () => {
    const visit = { school_id: school, curator_id: curator, format: 'school' as const, stage: 'forming' as const };
    expect((await call('visits.save', { ...visit, date: '2026-03-11' })).ok).toBe(true);
    const r = await call('visits.save', { ...visit, date: '2026-03-12' });
    expect(r.ok ? null : r.error.fields?.date).toMatch(/ещё не наступила/);
  });

  it('refuses an unknown time zone with a message next to the field', async () => {
    const r = await call('app.updateSettings', { visit_days_forming: 7, visit_days_implementing_due: 21, visit_days_implementing: 28, time_zone: 'Europe/Mordor' });
    expect(r.ok ? null : r.error.fields?.time_zone).toMatch(/часовой пояс/);
  });
});
