/** Russian formatting shared by the UI, reports and server: one place for each rule. */
import { format, parseISO } from 'date-fns';

interface Named {
  last_name: string;
  first_name: string;
  middle_name?: string | null;
}

/** «Фамилия И.О.» */
export function personShort(p: Named): string {
  const initials = [p.first_name, p.middle_name]
    .filter((s): s is string => !!s && s.trim().length > 0)
    .map((s) => `${s.trim()[0]!.toUpperCase()}.`)
    .join('');
  return initials ? `${p.last_name} ${initials}` : p.last_name;
}

export function personFull(p: Named): string {
  return [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');
}

/** 'YYYY-MM-DD' or an ISO instant → «ДД.ММ.ГГГГ». */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = parseISO(iso);
  return Number.isNaN(d.getTime()) ? iso : format(d, 'dd.MM.yyyy');
}

/** «ДД.ММ.ГГГГ» → 'YYYY-MM-DD', or null when it is not a real date. */
export function parseRuDate(s: string): string | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  const d = parseISO(iso);
  return Number.isNaN(d.getTime()) || format(d, 'yyyy-MM-dd') !== iso ? null : iso;
}

const pluralRules = new Intl.PluralRules('ru');

/** plural(5, ['школа', 'школы', 'школ']) → «школ». */
export function plural(n: number, forms: readonly [one: string, few: string, many: string]): string {
  const rule = pluralRules.select(n);
  return rule === 'one' ? forms[0] : rule === 'few' ? forms[1] : forms[2];
}

export function countOf(n: number, forms: readonly [string, string, string]): string {
  return `${n.toLocaleString('ru-RU')} ${plural(n, forms)}`;
}

export const DAY_FORMS = ['день', 'дня', 'дней'] as const;

/** daysText(1) → «1 день», daysText(3) → «3 дня», daysText(35) → «35 дней». */
export const daysText = (n: number): string => countOf(n, DAY_FORMS);

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function zoned(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    const date = withDate ? ({ day: '2-digit', month: '2-digit', year: 'numeric' } as const) : {};
    f = new Intl.DateTimeFormat('ru-RU', { ...date, hour: '2-digit', minute: '2-digit', timeZone });
    dateTimeFormats.set(key, f);
  }
  return f;
}

const instant = (at: string | Date): Date | null => {
  const d = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? null : d;
};

/** An instant (ISO timestamp) as «ДД.ММ.ГГГГ ЧЧ:ММ» on the district's clock. */
export function formatDateTime(at: string | Date | null | undefined, timeZone: string): string {
  const d = at ? instant(at) : null;
  if (!d) return '';
  const parts = zoned(timeZone, true).formatToParts(d);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}.${part('month')}.${part('year')} ${part('hour')}:${part('minute')}`;
}

/** An instant as «ЧЧ:ММ» on the district's clock. */
export function formatTime(at: string | Date, timeZone: string): string {
  const d = instant(at);
  return d ? zoned(timeZone, false).format(d) : '';
}

/** «Приказ № 89 от 27.03.2021», as documents cite an order; one without a number is «б/н». */
export function orderLabel(o: { number: string; date: string }): string {
  const number = o.number.trim();
  const unnumbered = number === '' || /^(б\/н|—|-)$/i.test(number);
  return `Приказ ${unnumbered ? 'б/н' : `№ ${number}`} от ${formatDate(o.date)}`;
}

/**
 * A share as the reports print it: whole percent rounded half up («2 из 7» → «29%»). Points and
 * bands are decided on the exact ratio; where the rounded figure would fall in another band than
 * the exact one (74,6% → «75%» in a 2-point band), one decimal is shown instead, cut toward the
 * exact value if even that would cross («74,6%», «24,9%»). bandOf maps a percent to its band.
 */
export function shownPercent(part: number, whole: number, bandOf?: (percent: number) => unknown): number {
  if (whole <= 0) return 0;
  const halfUp = (scale: number) => Math.floor((2 * 100 * scale * part + whole) / (2 * whole)) / scale;
  const whole0 = halfUp(1);
  if (!bandOf) return whole0;
  const exact = (100 * part) / whole;
  const band = bandOf(exact);
  if (bandOf(whole0) === band) return whole0;
  const tenth = halfUp(10);
  if (bandOf(tenth) === band) return tenth;
  const cut = tenth > exact ? Math.floor(exact * 10) / 10 : Math.ceil(exact * 10) / 10;
  return cut;
}

/** A shown percent with the Russian decimal comma: 75 → «75%», 74.6 → «74,6%». */
export const percentLabel = (shown: number): string => `${String(shown).replace('.', ',')}%`;

/** shownPercent as text: «75%», «74,6%». */
export function percentText(part: number, whole: number, bandOf?: (percent: number) => unknown): string {
  return percentLabel(shownPercent(part, whole, bandOf));
}
