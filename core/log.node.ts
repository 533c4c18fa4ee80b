/**
 * The app's log file: `<dataDir>/logs/app.log`, one JSON object a line, rotated by size
 * (app.log → app.log.1 → … → app.log.<files-1>, the oldest dropped). It receives what nobody
 * expected: a screen that failed to render, an internal error of a call, a failed background
 * sync, an uncaught exception of the core. Writes are synchronous and few, so the record is
 * on disk before a crash takes the process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { errorEntry, type LogEntry } from './context';

export const LOG_DIR = 'logs';
export const LOG_FILE = 'app.log';

export interface LogLimits {
  /** Rotate before a write would take the file past this size. */
  maxBytes: number;
  /** How many files to keep, the current one included. */
  files: number;
}

const DEFAULT_LIMITS: LogLimits = { maxBytes: 1024 * 1024, files: 5 };

export function logPath(dataDir: string): string {
  return path.join(dataDir, LOG_DIR, LOG_FILE);
}

export function fileLog(dataDir: string, limits: LogLimits = DEFAULT_LIMITS): (entry: LogEntry) => void {
  const file = logPath(dataDir);
  return (entry) => {
    const line = `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
      if (size > 0 && size + Buffer.byteLength(line) > limits.maxBytes) rotate(file, limits.files);
      fs.appendFileSync(file, line);
    } catch (e) {
      // A log that cannot be written must not take the app down with it.
      console.error('[log] не удалось записать журнал:', e, entry);
    }
  };
}

function rotate(file: string, files: number): void {
  fs.rmSync(`${file}.${files - 1}`, { force: true });
  for (let n = files - 2; n >= 1; n--) {
    if (fs.existsSync(`${file}.${n}`)) fs.renameSync(`${file}.${n}`, `${file}.${n + 1}`);
  }
  if (files > 1) fs.renameSync(file, `${file}.1`);
  else fs.rmSync(file, { force: true });
}

/**
 * Uncaught exceptions of this process (unhandled rejections become ones) go to the log. A monitor
 * only: the process then fails as it would have, rather than carry on in a state nobody knows.
 */
export function logProcessFailures(log: (entry: LogEntry) => void): () => void {
  const monitor = (error: Error, origin: string) => log({ ...errorEntry('process', error), details: { origin, stack: error.stack ?? '' } });
  process.on('uncaughtExceptionMonitor', monitor);
  return () => process.off('uncaughtExceptionMonitor', monitor);
}
