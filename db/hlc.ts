/**
 * Hybrid logical clock. Packed as fixed-width base-36 text so that string order is clock
 * order: `<ms:11>-<counter:5>-<device>`. Wall time only ever pushes the clock forward;
 * a remote clock ahead of ours (a laptop set a year off) is adopted, never refused,
 * so skew cannot block sync.
 */
export interface Hlc {
  ms: number;
  counter: number;
  device: string;
}

export function packHlc(h: Hlc): string {
  return `${h.ms.toString(36).padStart(11, '0')}-${h.counter.toString(36).padStart(5, '0')}-${h.device}`;
}

export function unpackHlc(s: string): Hlc {
  const [ms, counter, ...device] = s.split('-');
  if (!ms || !counter || device.length === 0) throw new Error(`Неверная метка времени: ${s}`);
  return { ms: parseInt(ms, 36), counter: parseInt(counter, 36), device: device.join('-') };
}

export class HlcClock {
  constructor(private last: Hlc) {}

  /** A new timestamp for a local event. */
  tick(now = Date.now()): string {
    const ms = Math.max(this.last.ms, now);
    const counter = ms === this.last.ms ? this.last.counter + 1 : 0;
    this.last = { ms, counter, device: this.last.device };
    return packHlc(this.last);
  }

  /** Merge a remote timestamp so the next local one sorts after it. */
  observe(remote: string, now = Date.now()): void {
    const r = unpackHlc(remote);
    const ms = Math.max(this.last.ms, r.ms, now);
    let counter = 0;
    if (ms === this.last.ms && ms === r.ms) counter = Math.max(this.last.counter, r.counter) + 1;
    else if (ms === this.last.ms) counter = this.last.counter + 1;
    else if (ms === r.ms) counter = r.counter + 1;
    this.last = { ms, counter, device: this.last.device };
  }

  current(): string {
    return packHlc(this.last);
  }
}
