/**
 * Hybrid logical clock. Packed as fixed-width base-36 text so that string order is clock
 * order: `<ms:11>-<counter:5>-<device>`. Wall time only ever pushes the clock forward;
 * a remote clock ahead of ours is adopted, so the next local clock sorts after it — up to
 * the clock's `maxAhead` of its own time (a laptop keeps the regional server's limit,
 * core/rules/clock.ts): a clock further ahead is a wrong clock and does not pull ours along.
 *
 * One strict parser (parseHlc) serves package reading, apply and the local clock: a clock
 * that is not exactly in packed form, or whose wall time or counter is out of range, is
 * malformed. A malformed clock compared as text would sort wrongly (and `NaN` once parsed),
 * so replicas would stop agreeing; the clock itself refuses one and never produces one.
 */
export interface Hlc {
  ms: number;
  counter: number;
  device: string;
}

/**
 * The latest wall time a clock may carry (1 January 3000 UTC). Far enough ahead that a
 * skewed laptop is always adopted, and fixed, so every replica draws the line in the same
 * place; 11 base-36 digits hold it with room to spare.
 */
export const MAX_HLC_MS = Date.UTC(3000, 0, 1);
/** What five base-36 digits hold. */
export const MAX_HLC_COUNTER = 36 ** 5 - 1;

/** A device id: letters, digits, '-' and '_' (UUIDs, `hub-<uuid>`), at most 100. */
export const DEVICE_ID = /^[\p{L}\p{N}_-]{1,100}$/u;
const PACKED = /^([0-9a-z]{11})-([0-9a-z]{5})-(.+)$/su;

/** The clock a packed string holds, or null when it is malformed or out of range. */
export function parseHlc(s: string): Hlc | null {
  const m = PACKED.exec(s);
  if (!m || !isDeviceId(m[3]!)) return null;
  const ms = parseInt(m[1]!, 36);
  const counter = parseInt(m[2]!, 36);
  if (!(ms <= MAX_HLC_MS) || !(counter <= MAX_HLC_COUNTER)) return null;
  return { ms, counter, device: m[3]! };
}

const MAX_MS_TEXT = MAX_HLC_MS.toString(36).padStart(11, '0');
/** Device ids already matched against DEVICE_ID: a package names the same few thousands of times. */
const devices = new Set<string>();

export function isDeviceId(d: string): boolean {
  if (devices.has(d)) return true;
  if (!DEVICE_ID.test(d)) return false;
  if (devices.size < 10_000) devices.add(d);
  return true;
}

/**
 * `parseHlc(s) !== null` (and, given `device`, `parseHlc(s)?.device === device`) without
 * building the clock: package reading checks every change's clocks. Fixed-width base-36 text
 * compares as the numbers do, so the wall-time bound is a string comparison; five base-36
 * digits cannot exceed MAX_HLC_COUNTER.
 */
export function isHlc(s: string, device?: string): boolean {
  if (device !== undefined ? s.length !== 18 + device.length || !s.endsWith(device) : s.length < 19) return false;
  // HEAD and the bound, by character codes (a regex and a slice per clock cost more than the rest of the check).
  if (s.charCodeAt(11) !== 0x2d || s.charCodeAt(17) !== 0x2d) return false;
  let below = false;
  for (let i = 0; i < 17; i++) {
    if (i === 11) continue;
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a))) return false;
    if (i < 11 && !below) {
      const m = MAX_MS_TEXT.charCodeAt(i);
      if (c > m) return false;
      below = c < m;
    }
  }
  return isDeviceId(device ?? s.slice(18));
}

const wellFormed = (h: Hlc): boolean =>
  Number.isSafeInteger(h.ms) && h.ms >= 0 && h.ms <= MAX_HLC_MS && Number.isSafeInteger(h.counter) && h.counter >= 0 && h.counter <= MAX_HLC_COUNTER && DEVICE_ID.test(h.device);

export class MalformedClockError extends Error {
  constructor(readonly clock: string) {
    super(`Неверная метка времени: «${clock.slice(0, 80)}»`);
  }
}

export function packHlc(h: Hlc): string {
  if (!wellFormed(h)) throw new MalformedClockError(`${h.ms}-${h.counter}-${h.device}`);
  return `${h.ms.toString(36).padStart(11, '0')}-${h.counter.toString(36).padStart(5, '0')}-${h.device}`;
}

/** The wall time of a well-formed packed clock (its first eleven base-36 digits). */
export const hlcMs = (s: string): number => parseInt(s.slice(0, 11), 36);

/** The packed wall-time prefix of `ms`: a clock sorts at or after it exactly when its wall time is at least `ms`. */
export const hlcPrefix = (ms: number): string => Math.max(0, Math.floor(ms)).toString(36).padStart(11, '0');

export function unpackHlc(s: string): Hlc {
  const h = parseHlc(s);
  if (!h) throw new MalformedClockError(s);
  return h;
}

/** Wall time as the clock uses it: a broken reading (NaN, before 1970, past MAX_HLC_MS) cannot move the clock out of range. */
const wall = (now: number): number => (Number.isFinite(now) ? Math.min(Math.max(Math.floor(now), 0), MAX_HLC_MS) : 0);

/**
 * The next clock after (ms, counter): the counter carries into the millisecond when it is
 * full. At the very end of the range it stays put and refuses (unreachable in practice: it
 * takes 60 million events within the last millisecond of the year 2999).
 */
function after(ms: number, counter: number): { ms: number; counter: number } {
  if (counter < MAX_HLC_COUNTER) return { ms, counter: counter + 1 };
  if (ms < MAX_HLC_MS) return { ms: ms + 1, counter: 0 };
  throw new MalformedClockError(`${ms}-${counter + 1}`);
}

export interface ClockOptions {
  /** The physical time the clock follows (a laptop's is disciplined by the server's, db/replica.ts). */
  now?: () => number;
  /** A remote clock further ahead of `now` than this is not adopted (default: any is). */
  maxAhead?: number;
}

export class HlcClock {
  private last: Hlc;
  private readonly now: () => number;
  private readonly maxAhead: number;

  constructor(last: Hlc, options: ClockOptions = {}) {
    if (!wellFormed(last)) throw new MalformedClockError(`${last.ms}-${last.counter}-${last.device}`);
    this.last = { ...last };
    this.now = options.now ?? Date.now;
    this.maxAhead = options.maxAhead ?? Infinity;
  }

  /** A new timestamp for a local event. */
  tick(now = this.now()): string {
    const w = wall(now);
    const next = w > this.last.ms ? { ms: w, counter: 0 } : after(this.last.ms, this.last.counter);
    this.last = { ...next, device: this.last.device };
    return packHlc(this.last);
  }

  /**
   * Merge a remote timestamp so the next local one sorts after it; one further ahead than
   * `maxAhead` is ignored. Throws MalformedClockError, leaving the clock as it was.
   */
  observe(remote: string, now = this.now()): void {
    const r = unpackHlc(remote);
    const w = wall(now);
    if (r.ms - w > this.maxAhead) return;
    const ms = Math.max(this.last.ms, r.ms, w);
    let next: { ms: number; counter: number };
    if (ms === this.last.ms && ms === r.ms) next = after(ms, Math.max(this.last.counter, r.counter));
    else if (ms === this.last.ms) next = after(ms, this.last.counter);
    else if (ms === r.ms) next = after(ms, r.counter);
    else next = { ms, counter: 0 };
    this.last = { ...next, device: this.last.device };
  }

  /**
   * Every clock this one would adopt now sorts below this text (observe ignores the others):
   * a chunk of changes compares its clocks against it instead of reading the time per change.
   */
  horizon(now = this.now()): string {
    const limit = wall(now) + this.maxAhead;
    return limit >= MAX_HLC_MS ? '~' : (Math.floor(limit) + 1).toString(36).padStart(11, '0');
  }

  current(): string {
    return packHlc(this.last);
  }
}
