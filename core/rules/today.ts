/**
 * THE local-date rule: «today» is the calendar date in the district's time zone, never the
 * UTC date (23:30 UTC is already the next day in Moscow) and never the zone of whatever
 * machine runs the code. Pure: the zone and the instant are passed in; the core reads the
 * zone from the district's settings (core/localDay.ts), the renderer from app.info.
 */

/** Most districts of the project are in Moscow time; a district elsewhere sets its own zone in Настройки. */
export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    // en-CA writes dates as YYYY-MM-DD; formatToParts below does not depend on it anyway.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows (e.g. 'Europe/Moscow', 'Asia/Yekaterinburg'). */
export function isTimeZone(timeZone: string): boolean {
  try {
    dayFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date ('YYYY-MM-DD') in `timeZone` at the instant `now`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = dayFormat(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone` is ahead of UTC at the instant `ms`, in milliseconds. */
function offsetAt(timeZone: string, ms: number): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant the day after `isoDate` begins in `timeZone`: everything that happened before it
 * happened by the end of `isoDate` there. Two passes settle a zone whose offset changes that night.
 */
export function endOfDayIn(timeZone: string, isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d + 1);
  let ms = midnightUtc - offsetAt(timeZone, midnightUtc);
  ms = midnightUtc - offsetAt(timeZone, ms);
  return ms;
}
