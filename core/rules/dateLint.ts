/**
 * THE date lint for «Сроки» of a roadmap measure — one rule used by the roadmap
 * editor (as the user types), the expertise (criterion «определены конкретные сроки»)
 * and the reports.
 *
 * ФИОКО's criterion 1 (seed 003): every measure of an АРП roadmap has «конкретный срок
 * реализации с точной датой». The expertise found «в течение года», «весь период
 * реализации программы», «первое полугодие», «в течение учебного года», month ranges
 * like «Март-декабрь 2021» — and then «нет подтверждающих документов по позициям
 * «в течение года»». So: a date is concrete when it names a day of a year.
 *
 * Accepted (concrete): «12.05.2022», «12.05.2022 г.», «12 мая 2022», «до 15.04.2021»,
 * «с 10.03.2021 по 02.04.2021», «10.03.2021 - 02.04.2021», «10–12.05.2022»,
 * «12.05.2022, 19.05.2022». Everything else gets an issue with a reason and a fix.
 */

export type DateLintCode =
  | 'empty'
  | 'as_needed'
  | 'per_plan'
  | 'whole_period'
  | 'school_year'
  | 'during_year'
  | 'half_year'
  | 'quarter'
  | 'term'
  | 'continuous'
  | 'season'
  | 'month_range'
  | 'month'
  | 'year'
  | 'no_year'
  | 'two_digit_year'
  | 'invalid_date'
  | 'reversed_range'
  | 'unrecognised';

export interface DateLintIssue {
  code: DateLintCode;
  /** The vague part as found in the text (lower case, spaces collapsed). */
  fragment: string;
  /** Why it is not a concrete date, in the words of ФИОКО's criterion. */
  reason: string;
  /** What to write instead. */
  suggestion: string;
  /** A ready replacement for the whole text when one is certain (e.g. a two-digit year). */
  replacement: string | null;
}

export type DateLintResult =
  | { concrete: true; date_from: string | null; date_to: string; issue: null }
  | { concrete: false; date_from: null; date_to: null; issue: DateLintIssue };

/** The criterion itself, quoted where the lint explains itself. */
export const CONCRETE_DATE_CRITERION =
  'Критерий 1 экспертизы ФИОКО: у каждого мероприятия дорожной карты — конкретный срок реализации с точной датой.';

const NOT_A = '(?<![а-яёa-z0-9])';
const END = '(?![а-яёa-z0-9])';

/** Month stems in every case a user writes them: «март», «марта», «в марте», «сент.». */
const MONTHS: readonly [number, string][] = [
  [1, 'январ[ьяею]|янв\\.?'],
  [2, 'феврал[ьяею]|фев\\.?|февр\\.?'],
  [3, 'март[аеу]?|мар\\.?'],
  [4, 'апрел[ьяею]|апр\\.?'],
  [5, 'ма[йяею]'],
  [6, 'июн[ьяею]|июн\\.?'],
  [7, 'июл[ьяею]|июл\\.?'],
  [8, 'август[аеу]?|авг\\.?'],
  [9, 'сентябр[ьяею]|сент?\\.?'],
  [10, 'октябр[ьяею]|окт\\.?'],
  [11, 'ноябр[ьяею]|нояб?\\.?'],
  [12, 'декабр[ьяею]|дек\\.?'],
];
const MONTH_ANY = `(?:${MONTHS.map(([, re]) => re).join('|')})`;
const MONTH_GENITIVE = '(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)';
const GENITIVE_INDEX: Record<string, number> = {
  января: 1, февраля: 2, марта: 3, апреля: 4, мая: 5, июня: 6, июля: 7, августа: 8, сентября: 9, октября: 10, ноября: 11, декабря: 12,
};

function monthNumber(word: string): number | null {
  for (const [n, re] of MONTHS) if (new RegExp(`^(?:${re})$`).test(word)) return n;
  return null;
}

/** Lower case, ё → е, every dash → «-», one space between words, no trailing dot. */
export function normaliseDateText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const ru = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;

function realDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= last ? iso(y, m, d) : null;
}

export const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

// ---- the concrete forms ----

const YEAR_SUFFIX = '(?:\\s*г(?:ода?|\\.)?)?';
const NUM_DATE = '(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4}|\\d{2})';
const TEXT_DATE = `(\\d{1,2})\\s+(${MONTH_GENITIVE})(?:\\s+(\\d{4}))?`;

type Token = { ok: true; iso: string } | { ok: false; code: 'invalid_date' | 'two_digit_year' | 'no_year'; fixed: string | null };

/** One date as typed («12.05.2022», «12 мая 2022»); yearHint fills a missing year of the first half of a range. */
function parseToken(text: string, yearHint?: number): Token | null {
  let m = new RegExp(`^${NUM_DATE}${YEAR_SUFFIX}$`).exec(text);
  if (m) {
    const [d, mo, yRaw] = [Number(m[1]), Number(m[2]), m[3]!];
    if (yRaw.length === 2) {
      const full = realDate(2000 + Number(yRaw), mo, d);
      return { ok: false, code: 'two_digit_year', fixed: full ? ru(full) : null };
    }
    const v = realDate(Number(yRaw), mo, d);
    return v ? { ok: true, iso: v } : { ok: false, code: 'invalid_date', fixed: null };
  }
  m = new RegExp(`^${TEXT_DATE}${YEAR_SUFFIX}$`).exec(text);
  if (m) {
    const d = Number(m[1]);
    const mo = GENITIVE_INDEX[m[2]!]!;
    const y = m[3] ? Number(m[3]) : yearHint;
    if (y === undefined) return { ok: false, code: 'no_year', fixed: null };
    const v = realDate(y, mo, d);
    return v ? { ok: true, iso: v } : { ok: false, code: 'invalid_date', fixed: null };
  }
  m = /^(\d{1,2})\.(\d{1,2})\.?$/.exec(text);
  if (m) return { ok: false, code: 'no_year', fixed: null };
  return null;
}

type Concrete = { from: string | null; to: string } | { issue: DateLintCode; fixed: string | null } | null;

function tokenIssue(t: Token & { ok: false }): Concrete {
  return { issue: t.code, fixed: t.fixed };
}

function parseConcrete(s: string): Concrete {
  // «до 15.04.2021»: a deadline is an exact date.
  const deadline = /^(?:до|не позднее|не позже)\s+(.+)$/.exec(s);
  if (deadline) {
    const t = parseToken(deadline[1]!);
    if (!t) return null;
    if (!t.ok) return tokenIssue(t);
    return { from: null, to: t.iso };
  }
  const single = parseToken(s);
  if (single) return single.ok ? { from: single.iso, to: single.iso } : tokenIssue(single);

  // «с 10.03.2021 по 02.04.2021», «10.03.2021 - 02.04.2021», «с 10 марта по 2 апреля 2021 г.»
  const range = /^(?:с\s+)?(.+?)\s*(?:\s-\s|-|\sпо\s|\sдо\s)\s*(.+)$/.exec(s);
  if (range) {
    const second = parseToken(range[2]!);
    if (second) {
      const hint = second.ok ? Number(second.iso.slice(0, 4)) : undefined;
      const first = parseToken(range[1]!, hint);
      if (first) {
        if (!first.ok) return tokenIssue(first);
        if (!second.ok) return tokenIssue(second);
        if (first.iso > second.iso) return { issue: 'reversed_range', fixed: null };
        return { from: first.iso, to: second.iso };
      }
      // «10-12.05.2022»: days of one month.
      const days = /^(\d{1,2})$/.exec(range[1]!.trim());
      if (days && second.ok) {
        const first2 = realDate(Number(second.iso.slice(0, 4)), Number(second.iso.slice(5, 7)), Number(days[1]));
        if (!first2) return { issue: 'invalid_date', fixed: null };
        if (first2 > second.iso) return { issue: 'reversed_range', fixed: null };
        return { from: first2, to: second.iso };
      }
    }
  }

  // «12.05.2022, 19.05.2022 и 26.05.2022»: several exact dates of one measure.
  const parts = s.split(/\s*[,;]\s*|\s+и\s+/).filter(Boolean);
  if (parts.length > 1) {
    const tokens = parts.map((p) => parseToken(p));
    if (tokens.every((t) => t !== null)) {
      const bad = tokens.find((t) => !t!.ok);
      if (bad && !bad.ok) return tokenIssue(bad);
      const dates = tokens.map((t) => (t as { iso: string }).iso).sort();
      return { from: dates[0]!, to: dates[dates.length - 1]! };
    }
  }
  return null;
}

// ---- the vague forms, most specific first ----

interface VagueRule {
  code: DateLintCode;
  re: RegExp;
  reason: string;
  suggestion: (m: RegExpExecArray, s: string) => string;
}

const SPLIT = 'Разбейте на отдельные мероприятия, у каждого — своя дата, например «15.03.2022»; или укажите период датами: «с 01.03.2022 по 31.03.2022».';
const EXACT = 'Укажите точную дату проведения, например «12.05.2022», или период датами: «с 10.03.2022 по 02.04.2022».';

const w = (body: string) => new RegExp(`${NOT_A}(?:${body})${END}`);

/** The months a normalised text names, in order (1–12); the due rule reads named periods with it. */
export function monthsIn(s: string): number[] {
  return [...s.matchAll(new RegExp(`${NOT_A}(${MONTH_ANY})${END}`, 'g'))].map((x) => monthNumber(x[1]!)).filter((n): n is number => n !== null);
}

function monthsSuggestion(_m: RegExpExecArray, s: string): string {
  const year = /(20\d\d)/.exec(s)?.[1];
  const months = monthsIn(s);
  const first = months[0];
  const last = months[months.length - 1];
  if (!first || !last) return EXACT;
  if (!year) return `Укажите число и год: например «15.${pad(first)}.2022».`;
  const y = Number(year);
  if (first === last) return `Укажите число: например «15.${pad(first)}.${y}»; если мероприятие идёт весь месяц — «с 01.${pad(first)}.${y} по ${lastDay(y, first)}.${pad(first)}.${y}».`;
  return `Разбейте на мероприятия с точными датами (например «15.${pad(first)}.${y}») или укажите период датами: «с 01.${pad(first)}.${y} по ${lastDay(y, last)}.${pad(last)}.${y}».`;
}

const VAGUE: readonly VagueRule[] = [
  {
    code: 'as_needed',
    re: w('по мере (?:необходимости|потребности|поступления\\S*)|по необходимости|при необходимости|по запросу|по требованию|по согласованию'),
    reason: 'Срок не определён вовсе: мероприятие может не состояться, и проверить его выполнение к отчётной дате нельзя.',
    suggestion: () => `Если мероприятие запланировано — ${EXACT.charAt(0).toLowerCase()}${EXACT.slice(1)} Если оно зависит от обстоятельств, его место — в отчёте как «вне плана», с датой проведения.`,
  },
  {
    code: 'per_plan',
    re: w('(?:согласно|в соответствии с|по)\\s+(?:дорожной карт\\S*|план\\S*|график\\S*|расписани\\S*)'),
    reason: 'Ссылка на план вместо срока: дата должна стоять в самой дорожной карте — именно её сверяет эксперт с подтверждающими документами.',
    suggestion: () => `Перенесите сюда дату из плана или графика: ${EXACT.charAt(0).toLowerCase()}${EXACT.slice(1)}`,
  },
  {
    code: 'whole_period',
    re: w('(?:весь|всего|за весь|в течение всего|на протяжении всего)\\s+(?:период|срок)\\S*|(?:в|за) период\\S* реализации|в ходе реализации|на протяжении (?:реализации )?программы|в течение (?:реализации )?программы|(?:весь|в течение) срок\\S* (?:действия|реализации)'),
    reason: 'Срок совпадает со всем периодом программы: мероприятие нельзя соотнести с отчётной датой мониторинга, и эксперт не засчитает его как выполненное.',
    suggestion: () => SPLIT,
  },
  {
    code: 'school_year',
    re: w('учебн\\S* год\\S*|уч\\.?\\s?г(?:од\\S*|\\.|г\\.?)?'),
    reason: 'Учебный год — это период, а не дата: по такой позиции нельзя проверить выполнение на отчётную дату (в экспертизе ФИОКО: «нет подтверждающих документов по позициям «в течение года»»).',
    suggestion: () => SPLIT,
  },
  {
    code: 'during_year',
    re: w('в течение (?:всего |календарного )?(?:(?:20\\d\\d|\\d{4})\\s*(?:г\\.?\\s*)?)?года|в течение 20\\d\\d(?:\\s*г\\S*)?|весь год|круглый год|(?:до|к) конц\\S* года|в конце года|ежегодно'),
    reason: '«В течение года» — это период, а не дата: по таким позициям эксперты ФИОКО не находят подтверждающих документов и не засчитывают их.',
    suggestion: () => SPLIT,
  },
  {
    code: 'half_year',
    re: w('(?:(?:перв|втор)\\S*|[12]|i{1,2})(?:\\s*-?\\s*(?:е|ое|ом|го))?\\s*полугоди\\S*|полугоди\\S*'),
    reason: 'Полугодие — это полгода, а не дата: к отчётной дате мониторинга такое мероприятие может быть ещё «в процессе».',
    suggestion: () => SPLIT,
  },
  {
    code: 'quarter',
    re: w('(?:[1-4]|i{1,3}|iv)(?:\\s*-?\\s*(?:й|ом|го))?\\s*(?:квартал\\S*|кв\\.?)|квартал\\S*|ежеквартально'),
    reason: 'Квартал — это три месяца, а не дата.',
    suggestion: () => EXACT,
  },
  {
    code: 'term',
    re: w('четверт\\S*|триместр\\S*|каникул\\S*'),
    reason: 'Четверть или каникулы — период, а не дата (в экспертизе ФИОКО: «нет собеседования с педагогами «в конце четверти»»).',
    suggestion: () => EXACT,
  },
  {
    code: 'continuous',
    re: w('постоянно|систематически|регулярно|периодически|ежедневно|еженедельно|ежемесячно|в течение\\s+\\S+.*|на протяжении\\s+\\S+.*|раз в (?:неделю|месяц|четверть|полугодие|год)'),
    reason: 'Это описание процесса, а не срок мероприятия: показатель реализации — состоявшийся факт с датой, а не процесс.',
    suggestion: () => SPLIT,
  },
  {
    code: 'season',
    re: w('весн\\S*|лет(?:о|ом|ний|нее|ние)|осен\\S*|зим\\S*'),
    reason: 'Время года — период, а не дата.',
    suggestion: () => EXACT,
  },
  {
    code: 'month_range',
    re: new RegExp(`${NOT_A}(?:${MONTH_ANY})\\s*(?:,|-|по|и|—)\\s*(?:${MONTH_ANY})${END}`),
    reason: 'Диапазон месяцев — не дата: в экспертизе ФИОКО позиции вроде «Март-декабрь 2021» не считаются конкретным сроком.',
    suggestion: monthsSuggestion,
  },
  {
    code: 'month',
    re: new RegExp(`${NOT_A}(?:${MONTH_ANY})${END}`),
    reason: 'Месяц без числа — не точная дата.',
    suggestion: monthsSuggestion,
  },
  {
    code: 'year',
    re: /^(?:в\s+)?(?:20\d\d)(?:\s*-\s*20\d\d)?(?:\s*(?:г\.?|гг\.?|год\S*|годы))?$|(?<![\d.])20\d\d\s*-\s*20\d\d(?![\d.])/,
    reason: 'Год без месяца и числа — не точная дата.',
    suggestion: () => SPLIT,
  },
];

const FIXED_REASON: Partial<Record<DateLintCode, string>> = {
  empty: 'Срок не указан.',
  no_year: 'Не указан год: без него дату нельзя сравнить с отчётной датой мониторинга.',
  two_digit_year: 'Год записан двумя цифрами; в документах для ФИОКО пишите год полностью.',
  invalid_date: 'Такой даты нет в календаре.',
  reversed_range: 'Дата начала позже даты окончания.',
  unrecognised: 'Срок не распознан как дата.',
};

const FIXED_SUGGESTION: Partial<Record<DateLintCode, string>> = {
  empty: EXACT,
  no_year: 'Допишите год: «12.05.2022» или «12 мая 2022».',
  two_digit_year: 'Запишите год четырьмя цифрами: «12.05.2022».',
  invalid_date: 'Проверьте день и месяц: формат ДД.ММ.ГГГГ, например «12.05.2022».',
  reversed_range: 'Поменяйте даты местами: «с 10.03.2022 по 02.04.2022».',
  unrecognised: `Запишите срок в виде даты: ${EXACT.charAt(0).toLowerCase()}${EXACT.slice(1)}`,
};

function fixedIssue(code: DateLintCode, fragment: string, replacement: string | null = null): DateLintResult {
  return {
    concrete: false,
    date_from: null,
    date_to: null,
    issue: { code, fragment, reason: FIXED_REASON[code]!, suggestion: FIXED_SUGGESTION[code]!, replacement },
  };
}

/** Lints the «Сроки» text of a measure; returns the parsed dates when it is concrete. */
export function lintDate(text: string | null | undefined): DateLintResult {
  const s = normaliseDateText(text ?? '');
  if (!s) return fixedIssue('empty', '');

  // Only a text that is wholly a date (or dates) is concrete: «12.05.2022 и далее постоянно» is a process.
  const concrete = parseConcrete(s);
  if (concrete && 'to' in concrete) return { concrete: true, date_from: concrete.from, date_to: concrete.to, issue: null };
  // The whole text is a date form with a defect (no year, 31.02, reversed): say exactly that.
  if (concrete) return fixedIssue(concrete.issue, s, concrete.fixed);

  for (const rule of VAGUE) {
    const m = rule.re.exec(s);
    if (m) {
      return {
        concrete: false,
        date_from: null,
        date_to: null,
        issue: { code: rule.code, fragment: m[0].trim(), reason: rule.reason, suggestion: rule.suggestion(m, s), replacement: null },
      };
    }
  }
  return fixedIssue('unrecognised', s);
}

/** True when the text names a concrete date (what the expertise criterion counts). */
export const isConcreteDate = (text: string | null | undefined): boolean => lintDate(text).concrete;
