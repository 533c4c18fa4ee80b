/**
 * The hand-written change check must accept and refuse exactly what the zod schema does:
 * seeded random mutations of a valid change (wrong types, bounds, extra keys, surrogate
 * pairs at the length limits, JSON-only oddities such as 1e999 and "__proto__").
 */
import { describe, expect, it } from 'vitest';
import { changeSchema, checkChange } from '../../core/sync/wireChange';
import { rng } from './helpers';

const valid = () => ({
  d: 'device-1',
  q: 7,
  h: '000loyw3v28-00001-device-1',
  t: 'schools',
  r: '0190c000-0000-7000-8000-000000000001',
  v: { full_name: 'МБОУ СОШ № 1', pupils: 340, deleted_at: null },
  m: { b: { full_name: ['000loyw3v28-00000-device-2'] }, s: '000loyw3v28-00000-device-2', d: '000loyw3v28-00000-device-2' },
  s: 12,
  a: 'account-1',
});

// Values that probe each rule: types, integer and length bounds (in code points), names.
const PAIR = '😀';
const probes: unknown[] = [
  null, undefined, true, 0, -0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, '', 'a', 'x'.repeat(100), 'x'.repeat(101), PAIR.repeat(100), PAIR.repeat(101),
  'x'.repeat(200), 'x'.repeat(201), PAIR.repeat(200), `${PAIR.repeat(99)}\ud83d`, '\ud83d', PAIR, 'schools', 'Schools', '1abc', 'a'.repeat(63), 'a'.repeat(64),
  'schools; DROP TABLE schools', [], ['a'], [''], [PAIR], {}, { a: 1 }, { evil: true }, { full_name: { x: 1 } }, { Full: 'x' }, { a: 'x'.repeat(1_000_000) },
  { a: 'x'.repeat(1_000_001) }, { a: PAIR.repeat(500_001) }, { b: {} }, { b: { x: [] } }, { b: { x: [''] } }, { b: null }, { s: null }, { d: 'x' }, { z: 1 },
  // Clocks: malformed, out of range (past the year 3000, an overflowing counter), another device's; ids; NUL in text.
  '!!!-00000-device-1', 'NaN-NaN-device-1', 'ffffffffffff-00000-device-1', 'zzzzzzzzzzz-00000-device-1', '00birzfuo00-00000-device-1', '00birzfuo01-00000-device-1',
  '000loyw3v28-000000-device-1', '000loyw3v28-zzzzz-device-1', '000LOYW3V28-00000-device-1', '000loyw3v28-00000-device-2', '000loyw3v28-00000-', '000loyw3v28-00000-dev ice',
  { b: { full_name: ['NaN-00000-x'] } }, { s: 'zzzzzzzzzzz' }, { b: { 'Bad key': ['000loyw3v28-00000-device-2'] } },
  'device 1', 'устройство-1', 'a\u0000b', { a: 'a\u0000b' }, { full_name: 'МБОУ\u0000' },
  '0190c000-0000-4000-8000-000000000001', '0190C000-0000-7000-8000-000000000001', '0190c000-0000-7000-c000-000000000001', '0190c000000070008000000000000001', 'x',
];
// Only JSON.parse can make these: an infinite number and an own "__proto__" key.
const fromJson = ['{"a":1e999}', '{"__proto__":null}', '{"__proto__":"x","a":1}', '{"a":-1e999}'];

const same = (value: unknown): void => {
  const expected = changeSchema.safeParse(value).success;
  const got = checkChange(value) !== null;
  if (got !== expected) throw new Error(`расхождение (zod: ${expected}) на ${JSON.stringify(value)?.slice(0, 300)}`);
};

describe('checkChange ≡ changeSchema', () => {
  it('accepts a valid change and returns it as is', () => {
    const c = valid();
    expect(checkChange(c)).toBe(c);
    expect(changeSchema.safeParse(c).success).toBe(true);
    const { m: _m, s: _s, ...bare } = c;
    same(bare);
    same({ ...c, m: null, s: null });
  });

  it('agrees on every field replaced by every probe, and on extra keys', () => {
    for (const key of ['d', 'q', 'h', 't', 'r', 'v', 'm', 's', 'a', 'x', '__proto__']) {
      for (const p of probes) same({ ...valid(), [key]: p });
      for (const j of fromJson) same({ ...valid(), [key]: JSON.parse(j) });
    }
    for (const key of ['b', 's', 'd', 'x']) for (const p of probes) same({ ...valid(), m: { ...valid().m, [key]: p } });
    for (const p of probes) {
      same({ ...valid(), v: { full_name: p } });
      same({ ...valid(), m: { b: { full_name: p } } });
      same({ ...valid(), m: { b: { full_name: [p] } } });
    }
    for (const j of fromJson) {
      same({ ...valid(), v: JSON.parse(j) });
      same(JSON.parse(`{"d":"a","q":1,"h":"h","t":"t","r":"r","v":${j}}`));
      same(JSON.parse(`{"d":"a","q":1,"h":"h","t":"t","r":"r","v":{},"__proto__":1}`));
    }
  });

  it('agrees on 5,000 seeded random mutations', () => {
    const r = rng(500);
    const keys = ['d', 'q', 'h', 't', 'r', 'v', 'm', 's'];
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const c: Record<string, unknown> = valid();
      for (let k = 1 + r.int(3); k > 0; k--) {
        const key = r.pick(keys);
        if (r.chance(0.15)) delete c[key];
        else if (r.chance(0.5)) c[key] = r.pick(probes);
        else if (key === 'v' || key === 'm') c[key] = { ...(c[key] as object), [r.pick(['a', 'b', 's', 'd', 'full_name', 'X'])]: r.pick(probes) };
        else c[key] = r.pick(probes);
      }
      const value = r.chance(0.2) ? JSON.parse(JSON.stringify(c) ?? 'null') : c;
      same(value);
      if (!changeSchema.safeParse(value).success) refused += 1;
    }
    // The mutations must exercise both answers, or the comparison proves little.
    expect(refused).toBeGreaterThan(1000);
    expect(refused).toBeLessThan(4900);
  });
});
