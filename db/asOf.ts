/**
 * Reading the data as it stood at a past instant, from the change log.
 *
 * Every synced row's history is in `changes` (one entry per write, with the fields written
 * and the writer's hybrid clock, local and remote alike). For each table that changed after
 * the instant, a TEMP view of the same name shadows the table for the duration of one
 * synchronous read: rows untouched since the instant are read from the table as they are,
 * rows changed since are rebuilt by folding their changes up to the instant in clock order
 * (the last writer wins, as the apply engine decides), and rows first written after it do
 * not exist. SQLite resolves an unqualified table name to the temp schema first, so every
 * query of the app — the expertise, engagement, visits, monitoring, reports — reads the past
 * with no change of its own: one computation for today and for any date.
 *
 * Rows that have no change at all (written before the change log existed) are read as they
 * are. Writes are impossible meanwhile: the shadows are views without triggers, so a write
 * fails rather than going astray, and the whole read is synchronous (nothing interleaves).
 */
import { AppError } from './errors';
import { hlcPrefix } from './hlc';
import { SYNCED_TABLES, type SyncedTable } from './schema';
import type { Store } from './store';

interface Column {
  name: string;
  dflt_value: string | null;
}

/** A column's default as the table declares it (a SQL literal), for a field whose every write came later. */
function defaultOf(store: Store, c: Column): unknown {
  if (c.dflt_value === null) return null;
  return (store.sqlite.prepare(`SELECT ${c.dflt_value} AS v`).get() as { v: unknown }).v;
}

interface ChangeRow {
  row_id: string;
  hlc: string;
  data: string;
}

/**
 * The rows of `table` changed at or after `floor` (listed in temp `asof_ids_<table>`), as
 * they stood before it; a row first written after it is left out. A field written only
 * after it has the value the row was created with: the column's default.
 */
function rebuild(store: Store, table: SyncedTable, floor: string, columns: readonly Column[]): Record<string, unknown>[] {
  const ids = `SELECT id FROM temp."asof_ids_${table}"`;
  const live = new Map((store.sqlite.prepare(`SELECT * FROM main.${table} WHERE id IN (${ids})`).all() as Record<string, unknown>[]).map((r) => [r.id as string, r]));
  const history = store.sqlite.prepare(`SELECT row_id, hlc, data FROM changes WHERE tbl = ? AND row_id IN (${ids}) ORDER BY row_id, hlc`).all(table) as ChangeRow[];
  const defaults = new Map<string, unknown>();
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < history.length; ) {
    const id = history[i]!.row_id;
    let j = i;
    while (j < history.length && history[j]!.row_id === id) j++;
    const changes = history.slice(i, j);
    i = j;
    const current = live.get(id);
    if (!current || changes[0]!.hlc >= floor) continue;
    const row: Record<string, unknown> = { ...current };
    for (const c of changes) if (c.hlc >= floor) for (const k of Object.keys(JSON.parse(c.data) as object)) row[k] = undefined;
    for (const col of columns) {
      if (row[col.name] !== undefined) continue;
      if (!defaults.has(col.name)) defaults.set(col.name, defaultOf(store, col));
      row[col.name] = defaults.get(col.name);
    }
    for (const c of changes) if (c.hlc < floor) Object.assign(row, JSON.parse(c.data) as object);
    out.push(row);
  }
  return out;
}

/** The earliest clock in the change log, read per table off the (tbl, hlc) index instead of scanning the log. */
export function firstChangeClock(store: Store): string | null {
  const first = store.sqlite.prepare('SELECT min(hlc) FROM changes WHERE tbl = ?').pluck();
  let min: string | null = null;
  for (const table of SYNCED_TABLES) {
    const h = first.get(table) as string | null;
    if (h !== null && (min === null || h < min)) min = h;
  }
  return min;
}

export interface AsOfOptions {
  /** Tables read as they are now: judgements kept per reporting date (an expert's marks for a date are made after it). */
  readAsTheyAre?: readonly SyncedTable[];
}

/**
 * Runs `read` against the data as it stood just before the instant `ms`. `read` must be
 * synchronous and must not write.
 */
export function readAsOf<T>(store: Store, ms: number, read: () => T, options: AsOfOptions = {}): T {
  const floor = hlcPrefix(ms);
  const keep = new Set(options.readAsTheyAre ?? []);
  const changedSince = store.sqlite.prepare('SELECT DISTINCT row_id FROM changes WHERE tbl = ? AND hlc >= ?').pluck();
  const shadows: string[] = [];
  return store.tx(() => {
    try {
      for (const table of SYNCED_TABLES) {
        if (keep.has(table)) continue;
        const ids = changedSince.all(table, floor) as string[];
        if (ids.length === 0) continue;
        const columns = store.sqlite.prepare(`PRAGMA main.table_info(${table})`).all() as Column[];
        const names = columns.map((c) => `"${c.name}"`).join(', ');
        store.sqlite.exec(`CREATE TEMP TABLE "asof_ids_${table}" (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID; CREATE TEMP TABLE "asof_rows_${table}" AS SELECT * FROM main.${table} WHERE 0;`);
        shadows.push(table);
        const addId = store.sqlite.prepare(`INSERT INTO temp."asof_ids_${table}" (id) VALUES (?)`);
        for (const id of ids) addId.run(id);
        const addRow = store.sqlite.prepare(`INSERT INTO temp."asof_rows_${table}" (${names}) VALUES (${columns.map(() => '?').join(', ')})`);
        for (const row of rebuild(store, table, floor, columns)) addRow.run(...columns.map((c) => row[c.name] ?? null));
        store.sqlite.exec(
          `CREATE TEMP VIEW "${table}" AS SELECT ${names} FROM main.${table} WHERE id NOT IN (SELECT id FROM temp."asof_ids_${table}") UNION ALL SELECT ${names} FROM temp."asof_rows_${table}";`,
        );
      }
      return read();
    } catch (e) {
      if (e instanceof Error && /cannot modify .* because it is a view/.test(e.message)) throw new AppError('read_only', 'Отчёт на прошлую дату только читает данные.');
      throw e;
    } finally {
      for (const table of shadows) store.sqlite.exec(`DROP VIEW IF EXISTS temp."${table}"; DROP TABLE IF EXISTS temp."asof_rows_${table}"; DROP TABLE IF EXISTS temp."asof_ids_${table}";`);
    }
  });
}
