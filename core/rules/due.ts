/**
 * THE due rule: when a roadmap measure counts as due («подлежит выполнению») at a reporting
 * date, as ФИОКО reads «Сроки». One rule for the expertise's plan criterion, the overdue list
 * and every report that counts due or overdue measures.
 *
 * - A concrete date (as the date lint reads it) is due on that date; a range, on its last day.
 * - A named period («май 2022», «IV квартал 2022», «март–декабрь 2021», «2022 год»,
 *   «в течение 2021/22 учебного года») is fully expected by its end, so it is due once its end
 *   has come: before its start it is not due, between its start and its end it is «в работе».
 * - A phrase with no period at all («в течение года», «весь период реализации программы»,
 *   «постоянно») is read as the programme's whole period: due at the programme's end
 *   (period_to), or at the reporting date itself when the programme has no end date.
 *
 * The texts are parsed by the date lint (core/rules/dateLint.ts); this module only turns
 * what it recognises into a period.
 */
import { lastDay, lintDate, monthsIn, normaliseDateText } from './dateLint';

export type DueReading =
  | { kind: 'date'; from: string | null; to: string }
  | { kind: 'period'; label: string; from: string; to: string }
  | { kind: 'open' };

export type DueState = 'due' | 'in_progress' | 'not_started';

export interface DueVerdict {
  due: boolean;
  state: DueState;
  /** The day by which the measure is expected in full ('YYYY-MM-DD'). */
  by: string;
  /** Why, in a few Russian words for the expertise sheet: «срок 12.05.2022 наступил». */
  reason: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const ru = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;
const monthsSpan = (y1: number, m1: number, y2: number, m2: number) => ({ from: iso(y1, m1, 1), to: iso(y2, m2, lastDay(y2, m2)) });

const MONTH_NAMES = ['', 'январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

type Period = Extract<DueReading, { kind: 'period' }>;

const yearsIn = (s: string): number[] => [...s.matchAll(/(?<!\d)(20\d\d)(?!\d)/g)].map((m) => Number(m[1]));

/** «2021/22 учебный год», «2021-2022 уч. г.»: 1 September to 31 August, the school year's legal span. */
function schoolYear(s: string): Period | null | 'open' {
  if (!/учебн|(?<![а-яa-z])уч\.?\s?г/.test(s)) return null;
  const pair = /(?<!\d)(20\d\d)\s*[/-]\s*(20\d\d|\d\d)(?!\d)/.exec(s);
  if (!pair) return 'open';
  const y = Number(pair[1]);
  return { kind: 'period', label: `${y}/${String(y + 1).slice(2)} учебный год`, from: iso(y, 9, 1), to: iso(y + 1, 8, 31) };
}

function quarter(s: string, year: number): Period | null {
  const m = /(?<![а-яa-z0-9])(iv|iii|ii|i|[1-4])(?:\s*-?\s*(?:й|ом|го))?\s*(?:квартал|кв(?![а-я]))/.exec(s);
  if (!m) return null;
  const q = ROMAN[m[1]!] ?? Number(m[1]);
  const roman = ['', 'I', 'II', 'III', 'IV'][q];
  return { kind: 'period', label: `${roman} квартал ${year}`, ...monthsSpan(year, 3 * q - 2, year, 3 * q) };
}

function halfYear(s: string, year: number): Period | null {
  const m = /(?<![а-яa-z0-9])(перв|втор|ii|i|1|2)\S*\s*полугоди/.exec(s);
  if (!m) return null;
  const second = m[1] === 'втор' || m[1] === 'ii' || m[1] === '2';
  return { kind: 'period', label: `период «${second ? 2 : 1}-е полугодие ${year}»`, ...monthsSpan(year, second ? 7 : 1, year, second ? 12 : 6) };
}

function months(s: string, years: number[]): Period | null {
  const named = monthsIn(s);
  if (named.length === 0) return null;
  const [m1, m2] = [named[0]!, named[named.length - 1]!];
  const y2 = years[years.length - 1]!;
  // «сентябрь–май 2022»: the months run over the new year.
  const y1 = years[0] === y2 && m1 > m2 ? y2 - 1 : years[0]!;
  if (m1 === m2 && y1 === y2) return { kind: 'period', label: `${MONTH_NAMES[m1]} ${y1}`, ...monthsSpan(y1, m1, y2, m2) };
  const first = y1 === y2 ? MONTH_NAMES[m1] : `${MONTH_NAMES[m1]} ${y1}`;
  return { kind: 'period', label: `период «${first}–${MONTH_NAMES[m2]} ${y2}»`, ...monthsSpan(y1, m1, y2, m2) };
}

const SEASONS: readonly [RegExp, string, number, number][] = [
  [/(?<![а-я])весн/, 'весна', 3, 5],
  [/(?<![а-я])лет(?:о|ом|ний|нее|ние)(?![а-я])/, 'лето', 6, 8],
  [/(?<![а-я])осен/, 'осень', 9, 11],
];

function season(s: string, year: number): Period | null {
  const hit = SEASONS.find(([re]) => re.test(s));
  return hit ? { kind: 'period', label: `период «${hit[1]} ${year}»`, ...monthsSpan(year, hit[2], year, hit[3]) } : null;
}

function calendarYears(years: number[]): Period {
  const [y1, y2] = [Math.min(...years), Math.max(...years)];
  const label = y1 === y2 ? `${y1} год` : `период «${y1}–${y2} годы»`;
  return { kind: 'period', label, ...monthsSpan(y1, 1, y2, 12) };
}

/** How a measure's «Сроки» read for the due rule; the measure's parsed dates win when it has them. */
export function readDue(dateText: string | null | undefined, dateFrom: string | null = null, dateTo: string | null = null): DueReading {
  if (dateTo || dateFrom) return { kind: 'date', from: dateFrom, to: (dateTo ?? dateFrom)! };
  const lint = lintDate(dateText);
  if (lint.concrete) return { kind: 'date', from: lint.date_from, to: lint.date_to };
  // «12.05.22»: the lint knows the full date; read it as that.
  if (lint.issue.replacement) {
    const fixed = lintDate(lint.issue.replacement);
    if (fixed.concrete) return { kind: 'date', from: fixed.date_from, to: fixed.date_to };
  }
  const s = normaliseDateText(dateText ?? '');
  const school = schoolYear(s);
  if (school === 'open') return { kind: 'open' };
  if (school) return school;
  const years = yearsIn(s);
  if (years.length === 0) return { kind: 'open' };
  const y = years[years.length - 1]!;
  return quarter(s, y) ?? halfYear(s, y) ?? months(s, years) ?? season(s, y) ?? calendarYears(years);
}

/** Whether a measure read this way is due at the reporting date, and why. */
export function dueAt(reading: DueReading, reportingDate: string, programmeEnd: string | null): DueVerdict {
  if (reading.kind === 'date') {
    const to = reading.to;
    if (to <= reportingDate) return { due: true, state: 'due', by: to, reason: `срок ${ru(to)} наступил` };
    const started = reading.from !== null && reading.from !== to && reading.from <= reportingDate;
    return started
      ? { due: false, state: 'in_progress', by: to, reason: `срок по ${ru(to)}: в работе, ещё не подлежит выполнению` }
      : { due: false, state: 'not_started', by: to, reason: `срок ${ru(to)} ещё не наступил` };
  }
  if (reading.kind === 'period') {
    const { label, from, to } = reading;
    if (to <= reportingDate) return { due: true, state: 'due', by: to, reason: `${label} закончился ${ru(to)}` };
    if (from > reportingDate) return { due: false, state: 'not_started', by: to, reason: `${label} ещё не начался (с ${ru(from)})` };
    return { due: false, state: 'in_progress', by: to, reason: `${label} идёт до ${ru(to)}: в работе, ещё не подлежит выполнению` };
  }
  const end = programmeEnd ?? reportingDate;
  if (end <= reportingDate) {
    return { due: true, state: 'due', by: end, reason: programmeEnd ? `без срока: считается на весь период программы (до ${ru(end)})` : 'без срока: считается на весь период программы' };
  }
  return { due: false, state: 'in_progress', by: end, reason: `без срока: считается на весь период программы, он идёт до ${ru(end)} — в работе` };
}

/** The one-line statement of the rule, for the pages that explain their figures. */
export const DUE_RULE =
  'Мероприятие подлежит выполнению к отчётной дате, если наступил его срок: конкретная дата — в этот день; названный период («май 2022», «IV квартал 2022», «2022 год», учебный год) — когда период закончился (до конца он «в работе»); срок без периода («в течение года», «постоянно») — по окончании всего периода программы.';

/** How the expertise will read a non-concrete term, for the roadmap editor's date lint line. */
export function dueReadingText(reading: DueReading): string {
  if (reading.kind === 'date') return `В плане экспертизы мероприятие подлежит выполнению с ${ru(reading.to)}.`;
  if (reading.kind === 'period') return `В плане экспертизы мероприятие подлежит выполнению по окончании срока: ${reading.label}, ${ru(reading.to)}; до этого оно «в работе».`;
  return 'В плане экспертизы срок без периода считается на весь период программы: мероприятие подлежит выполнению по её окончании.';
}
