/**
 * Every figure for a past date is computed from the data as it stood at the end of that day
 * in the district's time zone (db/asOf.ts rebuilds it from the change log); today and later
 * read the data as it is. One wrapper for the expertise, monitoring and every report, so the
 * screen, the document and the printout of the same date agree.
 */
import { firstChangeClock, readAsOf } from '../db/asOf';
import { hlcMs } from '../db/hlc';
import type { SyncedTable } from '../db/schema';
import type { Store } from '../db/store';
import { formatDate, formatDateTime } from './format';
import { timeZoneOf, todayOf } from './localDay';
import { endOfDayIn, todayIn } from './rules/today';

/**
 * Read as they are at any date: the expert's marks belong to their reporting date and are
 * made after it; reference data and the region and district themselves are not history.
 */
const NOT_HISTORY: readonly SyncedTable[] = ['expertise_marks', 'risk_factors', 'calendar_stages', 'production_calendar', 'regions', 'districts'];

export function readAsOfDay<T>(store: Store, isoDate: string, read: () => T): T {
  if (isoDate >= todayOf(store)) return read();
  return readAsOf(store, endOfDayIn(timeZoneOf(store), isoDate), read, { readAsTheyAre: NOT_HISTORY });
}

/**
 * The line a report carries: which day's data it shows and when it was made; and, for a day
 * before anything was entered on this laptop, that the data begins later (data typed in
 * afterwards about that time is not what the district knew then).
 */
export function asOfLine(store: Store, isoDate: string, now: Date = new Date()): string {
  const zone = timeZoneOf(store);
  const made = formatDateTime(now, zone);
  if (isoDate >= todayOf(store, now)) return `Данные на ${made}`;
  const line = `Данные на конец дня ${formatDate(isoDate)} · сформирован ${made}`;
  const first = firstChangeClock(store);
  if (first && hlcMs(first) >= endOfDayIn(zone, isoDate)) {
    return `${line}. Записи в этой базе начинаются ${formatDate(todayIn(zone, new Date(hlcMs(first))))}: на эту дату данных ещё не было`;
  }
  return line;
}
