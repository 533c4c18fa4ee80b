/**
 * How much to send in one piece of the HTTP exchange, learnt from the link: a piece should
 * take a few seconds, so a broken or slow connection loses little and a fast one is not slowed
 * by many small requests. The rate is the mean of the last estimate and the last piece's. A
 * broken piece halves the time a piece aims at (a link that drops every few seconds gets
 * pieces shorter than that), and each piece that gets through lengthens it again, up to
 * PIECE_SECONDS.
 */
import { BLOB_PIECE_MAX, REPLY_PIECE_MAX } from '../contract/hub';

export const PIECE_SECONDS = 3;
const SHORTEST_PIECE_SECONDS = 0.5;
/** The slowest link a request is given time for before it is taken as broken (bytes per second). */
const SLOWEST_RATE = 2 * 1024;
const FASTEST_RATE = 512 * 1024 * 1024;
/** A first guess before anything was measured: a weak mobile link. */
const FIRST_RATE = 16 * 1024;
const SMALLEST_PIECE = 4 * 1024;
const FEWEST_CHANGES = 10;

export class Pace {
  /** Bytes per second, as last measured. */
  rate = FIRST_RATE;
  /** How long a piece should take now. */
  seconds = PIECE_SECONDS;

  measured(bytes: number, ms: number): void {
    const r = (bytes * 1000) / Math.max(ms, 1);
    this.rate = Math.min(FASTEST_RATE, Math.max(SLOWEST_RATE, (this.rate + r) / 2));
    this.seconds = Math.min(PIECE_SECONDS, this.seconds * 1.25);
  }

  broke(): void {
    this.seconds = Math.max(SHORTEST_PIECE_SECONDS, this.seconds / 2);
  }

  pieceBytes(): number {
    return Math.round(Math.min(BLOB_PIECE_MAX, Math.max(SMALLEST_PIECE, this.rate * this.seconds)));
  }

  /** Changes in one piece, at the measured bytes a change takes on the wire. */
  pieceChanges(bytesPerChange: number): number {
    return Math.min(REPLY_PIECE_MAX, Math.max(FEWEST_CHANGES, Math.floor(this.pieceBytes() / Math.max(bytesPerChange, 1))));
  }

  /** How long a request of this many bytes (both ways) may take before it is taken as lost. */
  timeoutMs(bytes: number): number {
    return 15_000 + Math.round((bytes * 1000) / SLOWEST_RATE);
  }

  secondsFor(bytes: number): number {
    return bytes / this.rate;
  }
}

/** Tries after a broken piece, in a row, before the transfer stops and waits for «Продолжить» or the next automatic try. */
export const TRIES_IN_A_ROW = 8;

/** The wait before the next try after `failures` broken pieces in a row. */
export const retryDelayMs = (failures: number): number => Math.min(5000, 500 * 2 ** (failures - 1));

/** What a transfer in progress has done and has left, as Синхронизация shows it. */
export interface TransferProgress {
  phase: 'filesUp' | 'changes' | 'filesDown';
  /** This laptop's changes delivered in this run, and still to send. */
  changesSent: number;
  changesLeft: number;
  changesReceived: number;
  bytesDone: number;
  /** Estimated from the measured size of a change and the files still to send; null while unknown. */
  bytesLeft: number | null;
  bytesPerSecond: number;
  secondsLeft: number | null;
  /** Broken pieces being retried now. */
  retrying: number;
}
