import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, planVisitDates } from '../../core/rules/visits';
import { describeNonWorking, PUBLIC_CALENDAR, workingCalendar } from '../../core/rules/workingDays';
import { PRODUCTION_CALENDAR_TRANSFERS } from '../../core/reference';

const winter = { date_from: '2026-12-29', date_to: '2027-01-08', title: 'Зимние каникулы' };
const district = workingCalendar(PRODUCTION_CALENDAR_TRANSFERS, [winter]);

describe('the working-day rule', () => {
  it('public holidays from the date-holidays data set, with the Monday after 8 March 2026', () => {
    for (const d of ['2026-01-01', '2026-01-05', '2026-01-07', '2026-02-23', '2026-03-09', '2026-05-01', '2026-06-12', '2026-11-04', '2027-01-05']) {
      expect([d, PUBLIC_CALENDAR.whyNotWorking(d)?.kind]).toEqual([d, 'holiday']);
    }
    expect(describeNonWorking(PUBLIC_CALENDAR.whyNotWorking('2026-11-04')!)).toBe('праздник — День народного единства');
  });
  it('weekends are not working, ordinary weekdays are', () => {
    expect(PUBLIC_CALENDAR.whyNotWorking('2026-12-05')).toEqual({ kind: 'weekend' });
    expect(PUBLIC_CALENDAR.isWorking('2026-12-04')).toBe(true);
  });
  it('the region table adds the decree transfers date-holidays does not know', () => {
    expect(PUBLIC_CALENDAR.isWorking('2026-01-09')).toBe(true);
    expect(district.whyNotWorking('2026-01-09')).toEqual({ kind: 'day_off', title: 'перенос выходного дня с 03.01.2026' });
    const saturday = workingCalendar([{ date: '2027-02-20', kind: 'workday', title: 'рабочая суббота' }], []);
    expect(saturday.isWorking('2027-02-20')).toBe(true);
  });
  it('school breaks are not working days, 29.12.2026–08.01.2027 included', () => {
    expect(district.whyNotWorking('2026-12-29')).toEqual({ kind: 'break', title: 'Зимние каникулы' });
    expect(district.whyNotWorking('2026-12-30')?.kind).toBe('break');
    expect(district.whyNotWorking('2027-01-08')?.kind).toBe('break');
    expect(district.isWorking('2026-12-28')).toBe(true);
    expect(district.isWorking('2027-01-11')).toBe(true);
  });
  it('a schedule never lands on a non-working day and keeps the interval', () => {
    const dates = planVisitDates('2026-12-01', '2027-01-31', 'forming', DEFAULT_THRESHOLDS, district);
    for (const d of dates) expect([d, district.whyNotWorking(d)]).toEqual([d, null]);
    // Tue 22.12 + 7 = Tue 29.12 (break) → back to Mon 28.12; 28.12 + 7 is inside the break and
    // every day back to 28.12 too → forward to the first working day, Mon 11.01.
    expect(dates).toEqual(['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22', '2026-12-28', '2027-01-11', '2027-01-18', '2027-01-25']);
  });
});
