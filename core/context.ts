import type { Store } from '../db/store';
import type { AppEvent } from './contract/events';

/** What a handler gets besides its input. */
export interface Ctx {
  store: Store;
  /** The data folder: the database, attachment blobs, exports. */
  dataDir: string;
  emit: (event: AppEvent) => void;
  /** better-sqlite3 compiled for another runtime (db/open.ts), for the connections backups and restore open. */
  nativeBinding?: string;
  /** The app's log file (`<dataDir>/logs/app.log`); absent where nothing keeps one (tests, the hub's replicas). */
  log?: (entry: LogEntry) => void;
}

/** One record of the app's log: what went wrong, where, and what helps to find out why. */
export interface LogEntry {
  level: 'error' | 'warn';
  /** Where it happened: `dispatch schools.get`, `sync`, `renderer`, `process`. */
  source: string;
  message: string;
  details?: Record<string, string>;
}

/** An error nobody expected (not an AppError): to the log file, and to stderr for whoever watches. */
export function logUnexpected(ctx: Pick<Ctx, 'log'>, source: string, error: unknown): void {
  console.error(`[${source}]`, error);
  ctx.log?.(errorEntry(source, error));
}

export function errorEntry(source: string, error: unknown, level: LogEntry['level'] = 'error'): LogEntry {
  if (error instanceof Error) return { level, source, message: error.message, ...(error.stack ? { details: { stack: error.stack } } : {}) };
  return { level, source, message: String(error) };
}
