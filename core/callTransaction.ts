/**
 * One transaction per call, by default: dispatch runs every handler inside one SQLite
 * transaction, so a call that writes and then fails leaves nothing written — whether or not
 * the handler thought of it. better-sqlite3 transactions are synchronous, so the handler must
 * finish without awaiting; transactions a handler opens itself become savepoints inside.
 *
 * A call opts out only here, with the reason. Read-only calls stay inside too: a read
 * transaction costs nothing and gives the call one consistent snapshot.
 */
import type { Store } from '../db/store';

export const OWN_TRANSACTIONS: Readonly<Record<string, string>> = {
  'sync.enrol': 'async: waits for the regional server over HTTP',
  'sync.now': 'async: waits for the server; each received chunk commits on its own so an interrupted sync resumes',
  'sync.import': 'commits per chunk with its progress, so an import killed midway resumes where it stopped',
  'sync.enrolImport': 'commits per chunk with its progress, like sync.import',
  'reports.export': 'async: renders the DOCX/XLSX file after reading, and only writes a file, not the database',
  'backups.create': 'VACUUM INTO cannot run inside a transaction',
  'imports.roadmapPreview': 'async: exceljs reads an XLSX roadmap; the preview touches no database',
  'imports.muniPreview': 'async: exceljs reads an XLSX roadmap; the preview touches no database',
  'imports.read': 'async: exceljs reads the file; it touches no database',
  'imports.template': 'async: exceljs writes the template; it touches no database',
  'backups.restore': 'replaces the database file; the store it would commit to is closed',
};

export function ownsTransaction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OWN_TRANSACTIONS, name);
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

/** Runs a call's handler in the call's transaction (or as it is, for calls in OWN_TRANSACTIONS). */
export function inCallTransaction<T>(store: Store, name: string, run: () => T): T {
  if (ownsTransaction(name)) return run();
  return store.tx(() => {
    const value = run();
    // An awaiting handler would commit half-way at its first await: it must be listed above.
    if (isThenable(value)) throw new Error(`${name}: the handler is async; add it to OWN_TRANSACTIONS with the reason`);
    return value;
  });
}
