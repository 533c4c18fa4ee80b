/**
 * The only way rows of synced tables are written. Each write updates the row, stamps
 * every written field's clock and appends one change-log entry (device, device_seq, hlc),
 * all in one transaction, so sync can ship exactly what changed. Generic over tables:
 * a new synced table needs nothing here.
 */
import { v7 as uuidv7 } from 'uuid';
import { childrenOf } from '../core/rules/containment';
import { AppError } from './errors';
import { replicaOf, setMeta } from './replica';
import type { NewRow, Row, RowPatch, SyncedTable } from './schema';
import { SYNCED_TABLES } from './schema';
import type { Store } from './store';

export type SqlValue = string | number | null;
type Fields = Record<string, SqlValue>;
const SYSTEM = new Set(['id', 'created_at', 'updated_at', 'deleted_at']);

const columnCache = new WeakMap<Store, Map<string, Set<string>>>();

/** The table's real columns, read once from SQLite (the migrations are the truth here). */
export function columnsOf(store: Store, table: string): Set<string> {
  let perStore = columnCache.get(store);
  if (!perStore) columnCache.set(store, (perStore = new Map()));
  let cols = perStore.get(table);
  if (!cols) {
    if (!(SYNCED_TABLES as readonly string[]).includes(table)) throw new AppError('bad_table', `Неизвестная таблица: ${table}`);
    const info = store.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    cols = new Set(info.map((c) => c.name));
    perStore.set(table, cols);
  }
  return cols;
}

export function toSql(v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new AppError('bad_value', 'Недопустимое значение поля');
}

function clean(store: Store, table: string, values: object): Fields {
  const cols = columnsOf(store, table);
  const out: Fields = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || SYSTEM.has(k)) continue;
    if (!cols.has(k)) throw new AppError('bad_field', `Неизвестное поле «${k}» в таблице ${table}`);
    out[k] = toSql(v);
  }
  return out;
}

export function getRow<T extends SyncedTable>(store: Store, table: T, id: string): Row<T> | undefined {
  columnsOf(store, table);
  // Raw on a cached statement (the table is checked above): every write reads its row back through here.
  return store.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row<T> | undefined;
}

/** The writer's causal context stored with each change (see core/sync/apply.ts). */
export interface ChangeMeta {
  /** Per written column: the clocks this write overwrites knowingly (the field's winner, plus resolved conflicts). */
  b?: Record<string, string[]>;
  /** The highest clock of any non-system field of the row the writer had seen. */
  s?: string;
  /** The clock of the row's deletion state the writer had seen. */
  d?: string;
  /**
   * A deletion's view of the rows inside the deleted one (core/rules/containment.ts): child
   * row id → the highest clock of it the writer had seen. A child written past it (or absent)
   * was written concurrently with the deletion (core/sync/deletionConflicts.ts).
   */
  k?: Record<string, string>;
}

/** Every row inside the row, at any depth, with the highest field clock of each, as this replica sees them now. */
function childrenSeen(store: Store, table: SyncedTable, id: string, seen: Record<string, string> = {}): Record<string, string> {
  for (const c of childrenOf(table)) {
    const rows = store
      .prepare(`SELECT f.row_id AS id, MAX(f.hlc) AS h FROM ${c.child} x JOIN field_clocks f ON f.tbl = ? AND f.row_id = x.id WHERE x."${c.column}" = ? GROUP BY f.row_id`)
      .all(c.child, id) as { id: string; h: string }[];
    for (const r of rows) {
      seen[r.id] = r.h;
      childrenSeen(store, c.child, r.id, seen);
    }
  }
  return seen;
}

/** Per written column, the losing clocks of its open conflicts: a deliberate edit of the field settles them. */
function openConflictClocks(store: Store, table: string, id: string, names: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const rows = store.prepare('SELECT col, lost_hlc FROM conflicts WHERE tbl = ? AND row_id = ? AND resolved_at IS NULL').all(table, id) as Pick<Row<'conflicts'>, 'col' | 'lost_hlc'>[];
  for (const r of rows) if (names.includes(r.col) && !SYSTEM.has(r.col)) (out[r.col] ??= []).push(r.lost_hlc);
  return out;
}

export const SYSTEM_COLUMNS = SYSTEM;

/**
 * Writes fields of one row and logs the change. The caller decides which fields changed.
 * Raw SQL on cached statements: this runs for every local write (and a demo load or an
 * import of thousands), where compiling Kysely queries per call would cost more than the
 * statements; row types are the schema's.
 */
function record(store: Store, table: SyncedTable, id: string, fields: Fields, existing: Readonly<Record<string, SqlValue>> | null, chosen: Record<string, string[]> = {}): void {
  // The row as the caller has just read it (null: a new row), so it is not read again here.
  const exists = existing !== null;
  const before = existing ?? undefined;
  // The row before and as it will be: the permissions rule decides on both, as the hub will.
  if (store.guard) store.guard(table, { ...before, id, ...fields }, before);
  const replica = replicaOf(store);
  const hlc = replica.clock.tick();
  const names = Object.keys(fields);
  const supersede = exists ? mergeClocks(openConflictClocks(store, table, id, names), chosen) : chosen;
  const clocks = exists
    ? new Map((store.prepare('SELECT col, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?').all(table, id) as Pick<Row<'field_clocks'>, 'col' | 'hlc'>[]).map((c) => [c.col, c.hlc]))
    : new Map<string, string>();
  const meta: ChangeMeta = {};
  if (clocks.size) {
    const b: Record<string, string[]> = {};
    for (const n of names) {
      // '*' is the row clock a remote insert leaves (core/sync/apply.ts). Naming it for a column
      // that insert did not write is harmless: a base only closes heads that carry that clock.
      const own = clocks.get(n) ?? clocks.get('*');
      const over = [...(own ? [own] : []), ...(supersede[n] ?? [])];
      if (over.length) b[n] = over;
    }
    meta.b = b;
    let seen = '';
    for (const [col, h] of clocks) if (!SYSTEM.has(col) && h > seen) seen = h;
    if (seen) meta.s = seen;
    const del = clocks.get('deleted_at') ?? clocks.get('*');
    if (del) meta.d = del;
    if (typeof fields.deleted_at === 'string' && childrenOf(table).length) meta.k = childrenSeen(store, table, id);
  }
  if (exists) {
    if (names.length) {
      store.prepare(`UPDATE ${table} SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE id = ?`).run(...names.map((n) => fields[n]), id);
    }
  } else {
    const all = ['id', ...names];
    store.prepare(`INSERT INTO ${table} (${all.map((n) => `"${n}"`).join(', ')}) VALUES (${all.map(() => '?').join(', ')})`).run(id, ...names.map((n) => fields[n]));
  }
  const clockStmt = store.prepare('INSERT INTO field_clocks (tbl, row_id, col, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(tbl, row_id, col) DO UPDATE SET hlc = excluded.hlc');
  for (const n of names) clockStmt.run(table, id, n, hlc);
  if ('deleted_at' in fields) {
    // The winning deletion and what it had seen, so a concurrent remote edit can revive the row.
    if (fields.deleted_at === null) store.prepare('DELETE FROM sync_tombstones WHERE tbl = ? AND row_id = ?').run(table, id);
    else
      store
        .prepare('INSERT OR REPLACE INTO sync_tombstones (tbl, row_id, value, hlc, seen) VALUES (?, ?, ?, ?, ?)')
        .run(table, id, fields.deleted_at, hlc, meta.s ?? '');
  }
  for (const [col, over] of Object.entries(supersede)) {
    if (over.length) {
      store
        .prepare(`UPDATE conflicts SET resolved_at = ? WHERE tbl = ? AND row_id = ? AND col = ? AND resolved_at IS NULL AND lost_hlc IN (${over.map(() => '?').join(', ')})`)
        .run(new Date().toISOString(), table, id, col, ...over);
      store.touched.add('conflicts');
    }
  }
  store
    .prepare('INSERT INTO changes (device_id, device_seq, hlc, tbl, row_id, data, server_seq, meta, author) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)')
    // The signed-in account is the change's author: the hub checks it against the device's accounts.
    .run(replica.deviceId, replica.nextSeq, hlc, table, id, JSON.stringify(fields), clocks.size ? JSON.stringify(meta) : null, store.session?.accountId ?? null);
  replica.nextSeq += 1;
  setMeta(store, 'hlc', hlc);
  store.touched.add(table);
  if (store.journal) {
    const beforeClocks: Record<string, string> = {};
    for (const n of names) {
      const c = clocks.get(n) ?? clocks.get('*');
      if (c) beforeClocks[n] = c;
    }
    store.journal({ table, id, before: before ? Object.fromEntries(names.map((n) => [n, before[n] ?? null])) : null, beforeClocks, after: fields, hlc });
  }
}

function mergeClocks(a: Record<string, string[]>, b: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = { ...a };
  for (const [col, list] of Object.entries(b)) out[col] = [...new Set([...(out[col] ?? []), ...list])];
  return out;
}

/**
 * Writes one field and supersedes the given conflicting clocks of it: how a user's choice
 * in Синхронизация → Конфликты is recorded, so every replica closes the same conflict.
 */
export function resolveField(store: Store, table: SyncedTable, id: string, col: string, value: SqlValue, supersede: string[]): void {
  store.tx(() => {
    const current = getRow(store, table, id) as Record<string, SqlValue> | undefined;
    if (!current) throw new AppError('not_found', 'Запись не найдена.');
    const fields = clean(store, table, { [col]: value });
    record(store, table, id, { ...fields, updated_at: new Date().toISOString() }, current, { [col]: supersede });
  });
}

export type NewValues<T extends SyncedTable> = Omit<NewRow<T>, 'id' | 'created_at' | 'updated_at' | 'deleted_at'> & { id?: string };

export function insertRow<T extends SyncedTable>(store: Store, table: T, values: NewValues<T>): Row<T> {
  return store.tx(() => {
    const id = values.id ?? uuidv7();
    const now = new Date().toISOString();
    const fields = { ...clean(store, table, values), created_at: now, updated_at: now, deleted_at: null };
    record(store, table, id, fields, null);
    return getRow(store, table, id)!;
  });
}

export type Patch<T extends SyncedTable> = Omit<RowPatch<T>, 'id' | 'created_at' | 'updated_at' | 'deleted_at'>;

/** Applies a patch; only fields whose value really changes are written and logged. */
export function updateRow<T extends SyncedTable>(store: Store, table: T, id: string, patch: Patch<T>): Row<T> {
  return store.tx(() => {
    const current = getRow(store, table, id) as Record<string, SqlValue> | undefined;
    if (!current) throw new AppError('not_found', 'Запись не найдена: возможно, её удалили.');
    const fields = clean(store, table, patch);
    for (const k of Object.keys(fields)) if (current[k] === fields[k]) delete fields[k];
    if (Object.keys(fields).length === 0) return current as Row<T>;
    record(store, table, id, { ...fields, updated_at: new Date().toISOString() }, current);
    return getRow(store, table, id)!;
  });
}

/** Moves a row to the trash (a tombstone that sync carries); restoreRow brings it back. */
export function softDelete(store: Store, table: SyncedTable, id: string): void {
  setDeleted(store, table, id, new Date().toISOString());
}

export function restoreRow(store: Store, table: SyncedTable, id: string): void {
  setDeleted(store, table, id, null);
}

function setDeleted(store: Store, table: SyncedTable, id: string, at: string | null): void {
  store.tx(() => {
    const current = getRow(store, table, id) as Record<string, SqlValue> | undefined;
    if (!current) throw new AppError('not_found', 'Запись не найдена.');
    // Deleting a deleted row or restoring a live one changes nothing (and logs nothing) — except
    // keeping a row whose deletion a concurrent edit undid: that restore settles it on every replica.
    if ((current.deleted_at != null) === (at != null) && (at !== null || !hasTombstone(store, table, id))) return;
    record(store, table, id, { deleted_at: at, updated_at: new Date().toISOString() }, current);
  });
}

const hasTombstone = (store: Store, table: SyncedTable, id: string): boolean => store.prepare('SELECT 1 FROM sync_tombstones WHERE tbl = ? AND row_id = ?').get(table, id) !== undefined;
