/**
 * THE working-day rule of visit schedules: a visit is planned only on a working day of the
 * school. One rule for the schedule generator and for every date a schedule is given by hand.
 *
 * A day is not working when it is (first match names the reason):
 * 1. inside one of the district's school breaks (каникулы, set in Настройки);
 * 2. a working Saturday or Sunday of the region's production-calendar table → working;
 * 3. a day off of that table (a transfer by the government's yearly decree, e.g. 09.01.2026);
 * 4. a Russian public holiday (the maintained `date-holidays` data set: 1–8 January, 23
 *    February, 8 March, 1 and 9 May, 12 June, 4 November, with the next-Monday substitutes);
 * 5. a Saturday or Sunday.
 *
 * date-holidays knows the statutory holidays but not the decree's transfers (it has no
 * 09.01.2026 or 31.12.2026), hence the region's yearly table beside it.
 */
import Holidays from 'date-holidays';
import { getISODay, parseISO } from 'date-fns';
import type { ProductionDayKind } from '../../db/schema';
import { shiftDate } from './visits';

export interface ProductionDay {
  date: string;
  kind: ProductionDayKind;
  title: string;
}

export interface SchoolBreak {
  date_from: string;
  date_to: string;
  title: string;
}

export type NonWorkingReason =
  | { kind: 'break'; title: string }
  | { kind: 'day_off'; title: string }
  | { kind: 'holiday'; title: string }
  | { kind: 'weekend' };

export interface WorkingCalendar {
  /** Why `iso` is not a working day, or null when it is one. */
  whyNotWorking(iso: string): NonWorkingReason | null;
  isWorking(iso: string): boolean;
}

const RUSSIA = new Holidays('RU', { types: ['public'] });
const holidaysByYear = new Map<number, Map<string, string>>();

/** The public holidays of a year as 'YYYY-MM-DD' → name (multi-day holidays spelt out day by day). */
function publicHolidays(year: number): Map<string, string> {
  let days = holidaysByYear.get(year);
  if (days) return days;
  days = new Map();
  for (const h of RUSSIA.getHolidays(year)) {
    const first = h.date.slice(0, 10);
    const length = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
    for (let i = 0; i < length; i++) days.set(shiftDate(first, i), h.name);
  }
  holidaysByYear.set(year, days);
  return days;
}

export function workingCalendar(transfers: readonly ProductionDay[], breaks: readonly SchoolBreak[]): WorkingCalendar {
  const byDate = new Map(transfers.map((t) => [t.date, t]));
  const whyNotWorking = (iso: string): NonWorkingReason | null => {
    const brk = breaks.find((b) => b.date_from <= iso && iso <= b.date_to);
    if (brk) return { kind: 'break', title: brk.title };
    const transfer = byDate.get(iso);
    if (transfer?.kind === 'workday') return null;
    if (transfer?.kind === 'day_off') return { kind: 'day_off', title: transfer.title };
    const holiday = publicHolidays(Number(iso.slice(0, 4))).get(iso);
    if (holiday) return { kind: 'holiday', title: holiday };
    return getISODay(parseISO(iso)) >= 6 ? { kind: 'weekend' } : null;
  };
  return { whyNotWorking, isWorking: (iso) => whyNotWorking(iso) === null };
}

/** Weekends and public holidays only: a district with no breaks and a region with no transfers. */
export const PUBLIC_CALENDAR: WorkingCalendar = workingCalendar([], []);

/** Russian words for the reason, to follow «нерабочий день»: «выходной», «праздник — Новый год». */
export function describeNonWorking(reason: NonWorkingReason): string {
  switch (reason.kind) {
    case 'break':
      return `каникулы — ${reason.title}`;
    case 'day_off':
      return `нерабочий день по производственному календарю — ${reason.title}`;
    case 'holiday':
      return `праздник — ${reason.title}`;
    case 'weekend':
      return 'выходной';
  }
}
