/**
 * Every figure for a past date is computed from the data as it stood at the end of that day
 * in the district's time zone (db/asOf.ts rebuilds it from the change log); today and later
 * read the data as it is. One wrapper for the expertise, monitoring and every report, so the
 * screen, the document and the printout of the same date agree.
 */
import { readAsOf } from '../db/asOf';
import type { SyncedTable } from '../db/schema';
import type { Store } from '../db/store';
import { formatDate, formatDateTime } from './format';
import { timeZoneOf, todayOf } from './localDay';
import { endOfDayIn } from './rules/today';

/**
 * Read as they are at any date: the expert's marks belong to their reporting date and are
 * made after it; reference data and the region and district themselves are not history.
 */
const NOT_HISTORY: readonly SyncedTable[] = ['expertise_marks', 'risk_factors', 'calendar_stages', 'regions', 'districts'];

export function readAsOfDay<T>(store: Store, isoDate: string, read: () => T): T {
  if (isoDate >= todayOf(store)) return read();
  return readAsOf(store, endOfDayIn(timeZoneOf(store), isoDate), read, { readAsTheyAre: NOT_HISTORY });
}

/** The line a report carries: which day's data it shows and when it was made. */
export function asOfLine(store: Store, isoDate: string, now: Date = new Date()): string {
  const made = formatDateTime(now, timeZoneOf(store));
  return isoDate >= todayOf(store, now) ? `Данные на ${made}` : `Данные на конец дня ${formatDate(isoDate)} · сформирован ${made}`;
}
