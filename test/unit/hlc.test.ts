import { describe, expect, it } from 'vitest';
import { HlcClock, MAX_HLC_COUNTER, MAX_HLC_MS, packHlc, parseHlc, unpackHlc } from '../../db/hlc';

describe('hybrid logical clock', () => {
  it('packs so that string order is clock order', () => {
    const a = packHlc({ ms: 1_700_000_000_000, counter: 0, device: 'b' });
    const b = packHlc({ ms: 1_700_000_000_000, counter: 1, device: 'a' });
    const c = packHlc({ ms: 1_700_000_000_001, counter: 0, device: 'a' });
    expect([c, b, a].sort()).toEqual([a, b, c]);
    expect(unpackHlc(b)).toEqual({ ms: 1_700_000_000_000, counter: 1, device: 'a' });
  });

  it('keeps device ids that contain dashes (UUIDs)', () => {
    const device = '01a209b4-3652-740f-a31a-1c6484904738';
    expect(unpackHlc(packHlc({ ms: 5, counter: 2, device })).device).toBe(device);
  });

  it('never goes backwards when the wall clock does', () => {
    const clock = new HlcClock({ ms: 0, counter: 0, device: 'd' });
    const t1 = clock.tick(1000);
    const t2 = clock.tick(500);
    const t3 = clock.tick(500);
    expect(t1 < t2 && t2 < t3).toBe(true);
  });

  it('adopts a remote clock a year ahead instead of refusing it, and sorts after it', () => {
    const clock = new HlcClock({ ms: 0, counter: 0, device: 'local' });
    const now = Date.UTC(2026, 0, 1);
    const yearAhead = packHlc({ ms: now + 365 * 24 * 3600 * 1000, counter: 7, device: 'remote' });
    clock.observe(yearAhead, now);
    expect(clock.tick(now) > yearAhead).toBe(true);
  });

  it('parses strictly: packed form, wall time up to the year 3000, a five-digit counter, a device id', () => {
    const ok = packHlc({ ms: MAX_HLC_MS, counter: MAX_HLC_COUNTER, device: 'hub-01a209b4' });
    expect(parseHlc(ok)).toEqual({ ms: MAX_HLC_MS, counter: MAX_HLC_COUNTER, device: 'hub-01a209b4' });
    const bad = ['!!!-00000-d', 'NaN-NaN-d', 'ffffffffffff-00000-d', 'zzzzzzzzzzz-00000-d', packHlc({ ms: MAX_HLC_MS, counter: 0, device: 'd' }).replace(/^.{11}/, (m) => (parseInt(m, 36) + 1).toString(36).padStart(11, '0')), '0000000000a-000000-d', '0000000000A-00000-d', '0000000000a-00000-', '0000000000a-00000-d e', '0000000000a-00000-d\n'];
    for (const s of bad) {
      expect(parseHlc(s), s).toBeNull();
      expect(() => unpackHlc(s), s).toThrow(/Неверная метка времени/);
    }
  });

  it('never produces a malformed clock: refuses to observe one and ignores a broken wall clock', () => {
    const clock = new HlcClock({ ms: 1000, counter: 0, device: 'd' });
    const before = clock.current();
    for (const s of ['NaN-NaN-x', 'ffffffffffff-00000-x', '!!!-00000-x']) expect(() => clock.observe(s)).toThrow(/Неверная метка времени/);
    expect(clock.current()).toBe(before);
    for (const now of [NaN, -5, Infinity, 1e300]) expect(parseHlc(clock.tick(now))).not.toBeNull();
    expect(() => new HlcClock({ ms: NaN, counter: 0, device: 'd' })).toThrow(/Неверная метка времени/);
  });

  it('carries a full counter into the next millisecond', () => {
    const clock = new HlcClock({ ms: 5000, counter: MAX_HLC_COUNTER - 1, device: 'd' });
    const a = clock.tick(0);
    const b = clock.tick(0);
    expect(unpackHlc(a)).toMatchObject({ ms: 5000, counter: MAX_HLC_COUNTER });
    expect(unpackHlc(b)).toMatchObject({ ms: 5001, counter: 0 });
    expect(a < b).toBe(true);
  });
});
