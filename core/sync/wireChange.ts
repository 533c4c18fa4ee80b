/**
 * The shape of one change in a package, twice: `changeSchema` is the readable rule (zod), and
 * `checkChange` is the same rule written out by hand, because a package of 100,000 changes
 * spent more time in zod than in applying them. test/sync/wireChange.test.ts checks that the
 * two accept and refuse exactly the same values, so the zod schema stays the definition.
 * `explainChange` says in Russian what is wrong with a change both refuse.
 *
 * Beyond the shape: clocks are parsed strictly (db/hlc.ts) and the change's clock must be its
 * author's, row ids are UUIDs as the synced tables make them, text carries no NUL (PostgreSQL
 * refuses it, and no field of the app means it). Which tables and columns exist, and the
 * types of their values, are the schema's business: core/sync/columns.node.ts.
 */
import { z } from 'zod';
import { isDeviceId, isHlc } from '../../db/hlc';
import type { WireChange } from './apply';

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/**
 * A row id: a UUID in canonical lowercase form (version 7 for rows born on a device, version 5
 * for reference rows derived from their natural key, version 4 for a visit the form named
 * before its first save), RFC 4122 variant.
 */
export const ROW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_TEXT = 1_000_000;
/** Clocks a change may name as overwritten per column (a handful in practice). */
const MAX_BASES = 1000;
/** Child rows a deletion may name as seen (core/rules/containment.ts: a programme's tasks and measures, a school's programmes…). */
const MAX_SEEN_CHILDREN = 20_000;

const deviceId = z.string().refine(isDeviceId);
/** The author's account id: the same alphabet and bound as a device id. */
const accountId = z.string().refine(isDeviceId);
const clock = z.string().refine((s) => isHlc(s));
const noNul = (s: string): boolean => !s.includes('\0');
const sqlValue = z.union([z.string().max(MAX_TEXT).refine(noNul), z.number().finite(), z.null()]);

export const changeSchema = z
  .strictObject({
    d: deviceId,
    q: z.number().int().min(1),
    h: z.string(),
    t: z.string().regex(NAME),
    r: z.string().regex(ROW_ID),
    v: z.record(z.string().regex(NAME), sqlValue),
    m: z
      .strictObject({
        b: z.record(z.string().regex(NAME), z.array(clock).max(MAX_BASES)).optional(),
        s: clock.optional(),
        d: clock.optional(),
        k: z
          .record(z.string().regex(ROW_ID), clock)
          .refine((k) => Object.keys(k).length <= MAX_SEEN_CHILDREN)
          .optional(),
      })
      .nullish(),
    s: z.number().int().min(1).nullish(),
    a: accountId.optional(),
  })
  .refine((c) => isHlc(c.h, c.d));

/** Length in Unicode code points (a surrogate pair is one), as zod measures strings. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

/** A value's text: at most MAX_TEXT code points (code units bound them from both sides, so counting is rarely needed), no NUL. */
function valueText(v: string, mayHoldNul = true): boolean {
  if (v.length > MAX_TEXT && codePoints(v) > MAX_TEXT) return false;
  return !mayHoldNul || !v.includes('\0');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
const absent = (v: unknown): boolean => v === undefined || v === null;
const clockText = (v: unknown): boolean => typeof v === 'string' && isHlc(v);

const CHANGE_KEYS = new Set(['d', 'q', 'h', 't', 'r', 'v', 'm', 's', 'a']);
const META_KEYS = new Set(['b', 's', 'd', 'k']);

/** Column names already matched against NAME: a package repeats the same few thousand times. */
const names = new Set<string>();

function columnName(k: string): boolean {
  if (names.has(k)) return true;
  if (!NAME.test(k)) return false;
  if (names.size < 10_000) names.add(k);
  return true;
}

function checkMeta(m: unknown): boolean {
  if (absent(m)) return true;
  if (!isObject(m)) return false;
  for (const k in m) if (!META_KEYS.has(k)) return false;
  if (m.b !== undefined) {
    if (!isObject(m.b)) return false;
    for (const k in m.b) {
      const list = m.b[k];
      if (!columnName(k) || !Array.isArray(list) || list.length > MAX_BASES) return false;
      for (const h of list) if (!clockText(h)) return false;
    }
  }
  if (m.k !== undefined) {
    if (!isObject(m.k)) return false;
    let n = 0;
    for (const id in m.k) if (++n > MAX_SEEN_CHILDREN || !ROW_ID.test(id) || !clockText(m.k[id])) return false;
  }
  return (m.s === undefined || clockText(m.s)) && (m.d === undefined || clockText(m.d));
}

function checkValues(v: unknown, mayHoldNul: boolean): boolean {
  if (!isObject(v)) return false;
  for (const k in v) {
    if (!columnName(k)) return false;
    const x = v[k];
    if (x === null) continue;
    if (typeof x === 'number' ? !Number.isFinite(x) : typeof x !== 'string' || !valueText(x, mayHoldNul)) return false;
  }
  return true;
}

/**
 * Whether any string of a change parsed from `line` can hold a NUL: JSON writes one only as
 * the escape \u0000 (a raw one is a syntax error), so a line without that text holds none and
 * the per-value search is skipped (a line that merely mentions it is searched, as any other).
 */
export const mayHoldNul = (line: string): boolean => line.includes('\\u0000');

/**
 * The value itself when it is a valid change (as `changeSchema` decides), otherwise null.
 * Expects JSON.parse output; `textMayHoldNul` false only when mayHoldNul(line) said so.
 */
export function checkChange(obj: unknown, textMayHoldNul = true): WireChange | null {
  if (!isObject(obj)) return null;
  for (const k in obj) if (!CHANGE_KEYS.has(k)) return null;
  const ok =
    typeof obj.d === 'string' &&
    isDeviceId(obj.d) &&
    positiveInt(obj.q) &&
    typeof obj.h === 'string' &&
    isHlc(obj.h, obj.d) &&
    typeof obj.t === 'string' &&
    NAME.test(obj.t) &&
    typeof obj.r === 'string' &&
    ROW_ID.test(obj.r) &&
    checkValues(obj.v, textMayHoldNul) &&
    checkMeta(obj.m) &&
    (absent(obj.s) || positiveInt(obj.s)) &&
    (obj.a === undefined || (typeof obj.a === 'string' && isDeviceId(obj.a)));
  return ok ? (obj as unknown as WireChange) : null;
}

/** Why a change was refused: the refusal's reason code and a Russian message. */
export interface ChangeProblem {
  reason: 'bad_change' | 'bad_clock' | 'bad_id' | 'bad_text';
  /** What is wrong, without naming the change. */
  detail: string;
  message: string;
}

/** A short, printable quotation of untrusted text for a message. */
export const quote = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  // eslint-disable-next-line no-control-regex
  const printable = s.replace(/[\u0000-\u001f\u007f]/g, '�');
  return `«${printable.length > 60 ? `${printable.slice(0, 60)}…` : printable}»`;
};

/** «Изменение № 5 устройства «…»», as far as the change says who it is. */
export function nameOfChange(obj: unknown): string {
  const c = isObject(obj) ? obj : {};
  const seq = positiveInt(c.q) ? ` № ${c.q as number}` : '';
  const table = typeof c.t === 'string' && NAME.test(c.t) ? ` (таблица ${c.t})` : '';
  return `Изменение${seq} устройства ${quote(c.d)}${table}`;
}

/** What is wrong with a change checkChange refused (call it only then: it is the slow path). */
export function explainChange(obj: unknown): ChangeProblem {
  const who = nameOfChange(obj);
  const problem = (reason: ChangeProblem['reason'], what: string): ChangeProblem => ({ reason, detail: what, message: `${who}: ${what}. Пакет не принят, ничего не изменено.` });
  if (!isObject(obj)) return problem('bad_change', 'запись не является объектом');
  for (const k in obj) if (!CHANGE_KEYS.has(k)) return problem('bad_change', `лишнее поле ${quote(k)}`);
  if (typeof obj.d !== 'string' || !isDeviceId(obj.d)) return problem('bad_id', `неверный идентификатор устройства ${quote(obj.d)}`);
  if (!positiveInt(obj.q)) return problem('bad_change', `неверный номер изменения ${quote(obj.q)}`);
  if (typeof obj.h !== 'string' || !isHlc(obj.h)) {
    return problem('bad_clock', `метка времени ${quote(obj.h)} неверна или вне допустимого диапазона (время до 3000 года, счётчик из пяти знаков)`);
  }
  if (!isHlc(obj.h, obj.d)) return problem('bad_clock', `метка времени ${quote(obj.h)} принадлежит другому устройству`);
  if (typeof obj.t !== 'string' || !NAME.test(obj.t)) return problem('bad_change', `недопустимое имя таблицы ${quote(obj.t)}`);
  if (typeof obj.r !== 'string' || !ROW_ID.test(obj.r)) return problem('bad_id', `идентификатор строки ${quote(obj.r)} не является UUID`);
  if (!isObject(obj.v)) return problem('bad_change', 'значения полей записаны неверно');
  for (const k in obj.v) {
    if (!columnName(k)) return problem('bad_change', `недопустимое имя поля ${quote(k)}`);
    const x = obj.v[k];
    if (typeof x === 'string' && x.includes('\0')) return problem('bad_text', `поле ${k} содержит нулевой символ (NUL)`);
    if (x !== null && (typeof x === 'number' ? !Number.isFinite(x) : typeof x !== 'string' || !valueText(x))) {
      return problem('bad_change', `недопустимое значение поля ${k}`);
    }
  }
  if (!checkMeta(obj.m)) {
    const m = isObject(obj.m) ? obj.m : {};
    const clocks = [m.s, m.d, ...(isObject(m.b) ? Object.values(m.b).flatMap((l) => (Array.isArray(l) ? l : [])) : []), ...(isObject(m.k) ? Object.values(m.k) : [])];
    const bad = clocks.find((h) => h !== undefined && !clockText(h));
    return bad !== undefined ? problem('bad_clock', `метка времени ${quote(bad)} в истории поля неверна`) : problem('bad_change', 'история полей записана неверно');
  }
  if (obj.a !== undefined && (typeof obj.a !== 'string' || !isDeviceId(obj.a))) return problem('bad_id', `неверный идентификатор автора ${quote(obj.a)}`);
  return problem('bad_change', 'неверный номер на сервере');
}
