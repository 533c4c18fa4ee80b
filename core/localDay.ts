/**
 * The district's time zone (a setting kept in `meta`, Moscow when unset) and «today» in it,
 * for handlers, reports and exports. The rule itself is core/rules/today.ts.
 */
import { getMeta, setMeta } from '../db/replica';
import type { Store } from '../db/store';
import { DEFAULT_TIME_ZONE, isTimeZone, todayIn } from './rules/today';

const TIME_ZONE_KEY = 'time_zone';

export function timeZoneOf(store: Store): string {
  const zone = getMeta(store, TIME_ZONE_KEY);
  return zone && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

export function setTimeZone(store: Store, zone: string): void {
  setMeta(store, TIME_ZONE_KEY, zone);
}

/** Today's date ('YYYY-MM-DD') in the district's time zone. */
export function todayOf(store: Store, now: Date = new Date()): string {
  return todayIn(timeZoneOf(store), now);
}
