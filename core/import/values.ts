/** Reading the values people type into lists: yes/no, years, dates, ФИО, orders, school kinds. */
import { isValid, parseISO } from 'date-fns';
import type { schoolKinds } from '../contract/schools';
import { nameKey } from './normalise';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

const YES = new Set(['да', 'д', 'yes', '+', '1', 'v', '✓', 'участник', 'шнор', 'участник проекта']);
const NO = new Set(['нет', 'н', 'no', '-', '0', 'донор', 'школа-донор', 'не участник']);

export function parseYesNo(s: string): Parsed<boolean> {
  const k = nameKey(s);
  if (YES.has(k)) return ok(true);
  if (NO.has(k)) return ok(false);
  return bad(`«${s}» — ожидалось «да» или «нет»`);
}

export function parseYear(s: string): Parsed<number> {
  const m = /^\s*(\d{4})(?:\s*г\.?|\s*год)?\s*$/i.exec(s);
  const y = m ? Number(m[1]) : NaN;
  return y >= 2000 && y <= 2100 ? ok(y) : bad(`«${s}» — не год (ожидалось, например, 2022)`);
}

/** ДД.ММ.ГГГГ (also ДД.ММ.ГГ, «г.» after it) or ГГГГ-ММ-ДД → 'YYYY-MM-DD'. */
export function parseDate(s: string): Parsed<string> {
  const ru = /^\s*(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})\s*(?:г\.?|года)?\s*$/i.exec(s);
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(s);
  const [y, m, d] = ru ? [ru[3]!.length === 2 ? `20${ru[3]}` : ru[3]!, ru[2]!.padStart(2, '0'), ru[1]!.padStart(2, '0')] : iso ? [iso[1]!, iso[2]!, iso[3]!] : [];
  if (!y) return bad(`«${s}» — не дата (ожидалось ДД.ММ.ГГГГ)`);
  const date = `${y}-${m}-${d}`;
  return isValid(parseISO(date)) ? ok(date) : bad(`«${s}» — такой даты нет в календаре`);
}

export interface Fio {
  last_name: string;
  first_name: string;
  middle_name: string | null;
}

/** «Иванова Анна Петровна», «Иванова А.П.», «Иванова А. П.» → parts; a single word is not a ФИО. */
export function parseFio(s: string): Parsed<Fio> {
  const words = s.replace(/\./g, '. ').split(/\s+/).filter(Boolean);
  if (words.length < 2) return bad(`«${s}» — нужны хотя бы фамилия и имя`);
  const [last_name, first_name, ...rest] = words as [string, string, ...string[]];
  return ok({ last_name, first_name, middle_name: rest.length ? rest.join(' ') : null });
}

/** The key two spellings of one person share (case, ё/е, spaces). */
export const fioKey = (p: Fio): string => nameKey([p.last_name, p.first_name, p.middle_name ?? ''].join(' '));

/** Surname and initials: «Иванова А.П.» matches «Иванова Анна Петровна». */
export const initialsKey = (p: Fio): string => nameKey(`${p.last_name} ${p.first_name.slice(0, 1)} ${(p.middle_name ?? '').slice(0, 1)}`);

export const isInitials = (p: Fio): boolean => /^\p{L}\.$/u.test(p.first_name);

/** «Приказ № 89 от 27.03.2021», «№89 от 27.03.2021 г.», «89 от 27.03.2021». */
export function parseOrder(s: string): Parsed<{ number: string; date: string }> {
  const m = /(?:№\s*)?([\p{L}\d][\p{L}\d\-/.]*)\s+от\s+(\d{1,2}[./]\d{1,2}[./]\d{2,4})/iu.exec(s);
  if (!m) return bad(`«${s}» — ожидалось «№ 89 от 27.03.2021»`);
  const date = parseDate(m[2]!);
  return date.ok ? ok({ number: m[1]!, date: date.value }) : date;
}

type SchoolKind = (typeof schoolKinds)[number];

/** A whole word (JavaScript's \b knows only Latin letters). */
const word = (w: string) => new RegExp(`(?<!\\p{L})${w}(?!\\p{L})`, 'u');

const KIND_WORDS: [RegExp, SchoolKind][] = [
  [/гимнази/, 'Гимназия'],
  [/лице[йя]/, 'Лицей'],
  [/интернат/, 'Школа-интернат'],
  [/центр образования/, 'Центр образования'],
  [word('цо'), 'Центр образования'],
  [word('оош'), 'ООШ'],
  [/основн\S* общеобразовательн/, 'ООШ'],
  [word('нош'), 'НОШ'],
  [/начальн\S* общеобразовательн/, 'НОШ'],
  [word('сош'), 'СОШ'],
  [word('сш'), 'СОШ'],
  [/средн\S* (общеобразовательн|школ)/, 'СОШ'],
];

/** The kind a school's name or a «Тип» cell says; «Другое» when it says none. */
export function schoolKindOf(s: string): SchoolKind {
  const k = nameKey(s);
  return KIND_WORDS.find(([re]) => re.test(k))?.[1] ?? 'Другое';
}

/** A short name from a full one: the legal form (МКОУ, МБОУ «…») and the outer quotes dropped. */
export function shortNameOf(full: string): string {
  const withoutForm = full.replace(/^\s*[А-ЯЁ]{2,6}ОУ\s+/u, '');
  const unquoted = /^[«"“](.*)[»"”]$/su.exec(withoutForm.trim())?.[1] ?? withoutForm;
  return unquoted.trim().slice(0, 200);
}

/** Words that name the kind of a municipality rather than which one it is. */
const MUNICIPAL_WORDS = new Set(['мр', 'мо', 'го', 'г', 'город', 'район', 'муниципальный', 'муниципальное', 'образование', 'городской', 'округ', 'рн', 'р-н', 'сельское', 'поселение', 'мр-н']);

const municipalityStems = (s: string) =>
  new Set(
    nameKey(s)
      .split(/[\s.,]+/)
      .filter((w) => w && !MUNICIPAL_WORDS.has(w))
      .map((w) => w.slice(0, 6)),
  );

/**
 * Whether a name is the given municipality: «Каменск-Уральский городской округ» and «г. Каменск-Уральский»
 * are one, their naming words meet. Answers are kept per name: a list repeats the same few on every row.
 */
export function municipalityMatcher(district: string): (name: string) => boolean {
  const own = municipalityStems(district);
  const known = new Map<string, boolean>();
  return (name) => {
    let same = known.get(name);
    if (same === undefined) known.set(name, (same = [...municipalityStems(name)].some((w) => own.has(w))));
    return same;
  };
}
