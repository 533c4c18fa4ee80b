import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, lastCountingVisit, planVisitDates, shiftDate, visitCompliance, weekOf } from '../../core/rules/visits';
import { PUBLIC_CALENDAR } from '../../core/rules/workingDays';

const today = '2024-03-20';
const visitedDaysAgo = (n: number) => shiftDate(today, -n);
const status = (days: number, stage: 'forming' | 'implementing', t = DEFAULT_THRESHOLDS) => visitCompliance(visitedDaysAgo(days), stage, t, today);

describe('visit thresholds: forming the roadmap (at least once a week)', () => {
  it('6 days is in time, 7 is due today, 8 is overdue', () => {
    expect(status(6, 'forming')).toMatchObject({ status: 'ok', days: 6 });
    expect(status(7, 'forming')).toMatchObject({ status: 'due', days: 7 });
    expect(status(8, 'forming')).toMatchObject({ status: 'overdue', days: 8 });
  });
  it('a visit today resets the count', () => {
    expect(status(0, 'forming')).toMatchObject({ status: 'ok', days: 0 });
  });
  it('reports the last day in time and the first overdue day', () => {
    expect(status(3, 'forming')).toMatchObject({ visit_by: '2024-03-24', overdue_from: '2024-03-25' });
  });
});

describe('visit thresholds: implementing (every 3–4 weeks)', () => {
  it('20 in time, 21 and 22 due', () => {
    expect(status(20, 'implementing').status).toBe('ok');
    expect(status(21, 'implementing').status).toBe('due');
    expect(status(22, 'implementing').status).toBe('due');
  });
  it('27 and 28 still due, 29 overdue', () => {
    expect(status(27, 'implementing').status).toBe('due');
    expect(status(28, 'implementing').status).toBe('due');
    expect(status(29, 'implementing')).toMatchObject({ status: 'overdue', days: 29 });
  });
});

describe('visit thresholds: stage change and settings', () => {
  it('the same last visit is overdue while forming and fine once implementing', () => {
    expect(status(10, 'forming').status).toBe('overdue');
    expect(status(10, 'implementing').status).toBe('ok');
  });
  it('moving back to forming makes a 3-week gap overdue', () => {
    expect(status(21, 'implementing').status).toBe('due');
    expect(status(21, 'forming').status).toBe('overdue');
  });
  it('uses the district settings, not constants', () => {
    const t = { visit_days_forming: 10, visit_days_implementing_due: 14, visit_days_implementing: 20 };
    expect(status(9, 'forming', t).status).toBe('ok');
    expect(status(10, 'forming', t).status).toBe('due');
    expect(status(11, 'forming', t).status).toBe('overdue');
    expect(status(13, 'implementing', t).status).toBe('ok');
    expect(status(14, 'implementing', t).status).toBe('due');
    expect(status(21, 'implementing', t).status).toBe('overdue');
  });
  it('counts calendar days across a month and a leap day', () => {
    expect(visitCompliance('2024-02-27', 'forming', DEFAULT_THRESHOLDS, '2024-03-05')).toMatchObject({ days: 7, status: 'due' });
  });
});

describe('visits that count', () => {
  it('no visits means never visited, without days', () => {
    expect(visitCompliance(null, 'forming', DEFAULT_THRESHOLDS, today)).toEqual({ status: 'never', days: null, overdue_from: null, visit_by: null });
  });
  it('drafts, deleted and future-dated visits are ignored', () => {
    const rows = [
      { date: '2024-03-01', is_draft: 0 as const },
      { date: '2024-03-19', is_draft: 1 as const },
      { date: '2024-03-18', is_draft: 0 as const, deleted_at: '2024-03-19T10:00:00Z' },
      { date: '2024-03-25', is_draft: 0 as const },
    ];
    expect(lastCountingVisit(rows, today)).toBe('2024-03-01');
    expect(lastCountingVisit(rows.slice(1, 2), today)).toBeNull();
  });
});

describe('schedule generation', () => {
  it('weekly while forming, weekdays only, never more than 7 days apart', () => {
    const dates = planVisitDates('2024-03-04', '2024-03-31', 'forming', DEFAULT_THRESHOLDS, PUBLIC_CALENDAR);
    expect(dates).toEqual(['2024-03-04', '2024-03-11', '2024-03-18', '2024-03-25']);
  });
  it('every 3 weeks while implementing', () => {
    expect(planVisitDates('2024-03-04', '2024-05-31', 'implementing', DEFAULT_THRESHOLDS, PUBLIC_CALENDAR)).toEqual(['2024-03-04', '2024-03-25', '2024-04-15', '2024-05-06', '2024-05-27']);
  });
  it('a weekend start moves to Monday, a weekend step back to Friday', () => {
    const dates = planVisitDates('2024-04-06', '2024-04-24', 'forming', { ...DEFAULT_THRESHOLDS, visit_days_forming: 6 }, PUBLIC_CALENDAR);
    // Sat 06.04 → Mon 08.04; +6 = Sun 14.04 → Fri 12.04; +6 = Thu 18.04; +6 = Wed 24.04
    expect(dates).toEqual(['2024-04-08', '2024-04-12', '2024-04-18', '2024-04-24']);
    for (let i = 1; i < dates.length; i++) expect(visitCompliance(dates[i - 1]!, 'forming', { ...DEFAULT_THRESHOLDS, visit_days_forming: 6 }, dates[i]!).status).not.toBe('overdue');
  });
  it('an empty or reversed period gives no dates', () => {
    expect(planVisitDates('2024-03-10', '2024-03-01', 'forming', DEFAULT_THRESHOLDS, PUBLIC_CALENDAR)).toEqual([]);
  });
  it('weekOf gives Monday to Sunday', () => {
    expect(weekOf('2024-03-20')).toEqual({ from: '2024-03-18', to: '2024-03-24' });
    expect(weekOf('2024-03-24')).toEqual({ from: '2024-03-18', to: '2024-03-24' });
  });
});
