import { describe, expect, it } from 'vitest';
import { HlcClock, packHlc, unpackHlc } from '../../db/hlc';

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
});
