/**
 * The shape of one change in a package, twice: `changeSchema` is the readable rule (zod), and
 * `checkChange` is the same rule written out by hand, because a package of 100,000 changes
 * spent more time in zod than in applying them. test/sync/wireChange.test.ts checks that the
 * two accept and refuse exactly the same values, so the zod schema stays the definition.
 */
import { z } from 'zod';
import type { WireChange } from './apply';

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const ident = z.string().min(1).max(100);
const clock = z.string().min(1).max(200);
const sqlValue = z.union([z.string().max(1_000_000), z.number().finite(), z.null()]);

export const changeSchema = z.strictObject({
  d: ident,
  q: z.number().int().min(1),
  h: clock,
  t: z.string().regex(NAME),
  r: z.string().min(1).max(100),
  v: z.record(z.string().regex(NAME), sqlValue),
  m: z.strictObject({ b: z.record(z.string(), z.array(clock)).optional(), s: clock.optional(), d: clock.optional() }).nullish(),
  s: z.number().int().min(1).nullish(),
});

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

/** A string of min..max code points; code units bound code points from both sides, so counting is rarely needed. */
function text(v: unknown, min: number, max: number): v is string {
  if (typeof v !== 'string') return false;
  const units = v.length;
  if (units < min) return false;
  if (units <= max && units >= 2 * min) return true;
  const n = codePoints(v);
  return n >= min && n <= max;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
const absent = (v: unknown): boolean => v === undefined || v === null;

const CHANGE_KEYS = new Set(['d', 'q', 'h', 't', 'r', 'v', 'm', 's']);
const META_KEYS = new Set(['b', 's', 'd']);

function checkMeta(m: unknown): boolean {
  if (absent(m)) return true;
  if (!isObject(m)) return false;
  for (const k in m) if (!META_KEYS.has(k)) return false;
  if (m.b !== undefined) {
    if (!isObject(m.b)) return false;
    for (const k in m.b) {
      const list = m.b[k];
      if (!Array.isArray(list)) return false;
      for (const h of list) if (!text(h, 1, 200)) return false;
    }
  }
  return (m.s === undefined || text(m.s, 1, 200)) && (m.d === undefined || text(m.d, 1, 200));
}

/** Column names already matched against NAME: a package repeats the same few thousand times. */
const names = new Set<string>();

function columnName(k: string): boolean {
  if (names.has(k)) return true;
  if (!NAME.test(k)) return false;
  if (names.size < 10_000) names.add(k);
  return true;
}

function checkValues(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const k in v) {
    if (!columnName(k)) return false;
    const x = v[k];
    if (x === null) continue;
    if (typeof x === 'number' ? !Number.isFinite(x) : !text(x, 0, 1_000_000)) return false;
  }
  return true;
}

/** The value itself when it is a valid change (as `changeSchema` decides), otherwise null. Expects JSON.parse output. */
export function checkChange(obj: unknown): WireChange | null {
  if (!isObject(obj)) return null;
  for (const k in obj) if (!CHANGE_KEYS.has(k)) return null;
  const ok =
    text(obj.d, 1, 100) &&
    positiveInt(obj.q) &&
    text(obj.h, 1, 200) &&
    typeof obj.t === 'string' &&
    NAME.test(obj.t) &&
    text(obj.r, 1, 100) &&
    checkValues(obj.v) &&
    checkMeta(obj.m) &&
    (absent(obj.s) || positiveInt(obj.s));
  return ok ? (obj as unknown as WireChange) : null;
}
