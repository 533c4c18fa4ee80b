/**
 * The apply engine: merges remote changes into the local store, generically over every
 * synced table.
 *
 * Rules (the same on every replica, whatever order changes arrive in, as long as each
 * replica receives them in an order consistent with causality — the hub's sequence is):
 *
 * - Idempotent: a change is identified by (device_id, device_seq); one already in
 *   `changes` is skipped. Applied remote changes are stored in `changes` (with the hub's
 *   sequence) but never become local changes: they keep their author's device and seq.
 * - Per field, last writer wins by HLC (the packed clock ends with the device id, so
 *   string order is (clock, device) order).
 * - Conflicts: every change carries, per written field, the clocks it overwrote knowingly
 *   (`meta.b`). The field's "heads" are the writes nobody overwrote knowingly: the winner
 *   (in `field_clocks`) plus the open rows of `conflicts`. A write that leaves another head
 *   standing is concurrent with it; the lower one is kept in `conflicts` as the losing
 *   value. A conflict is shown while its value differs from the current one; a write that
 *   names it in its base (a user's choice under Конфликты) closes it on every replica.
 *   System columns (created_at, updated_at, deleted_at) merge by LWW without conflicts.
 * - Deletion is the field `deleted_at`, merged by LWW; the winning deletion is kept in
 *   `sync_tombstones` with `seen` = the highest field clock its writer had seen on the row.
 *   The row is shown deleted unless an edit exists that the deletion had not seen
 *   (edit clock > seen) and that had not seen the deletion (its `meta.d` < deletion clock):
 *   such a concurrent edit revives the row. The rule is a function of the set of changes,
 *   so replicas agree in any delivery order.
 * - Missing never means deleted: only an explicit `deleted_at` write deletes.
 * - Region reference tables are authoritative from the hub: an incoming write wins and
 *   closes every other head (district devices cannot author them at the hub).
 * - A change this version cannot apply (unknown table or column, a row it cannot create)
 *   is kept raw in `changes` and listed in `sync_deferred`; what it can apply is applied.
 *
 * SQL: what runs once per change or per chunk (merge, the sinks, settleDeletion, ChunkBatch)
 * is raw SQL on statements prepared once — the apply rate the bench measures is bound by the
 * per-statement cost, and compiling a Kysely query per change (10–25 µs) would cost more than
 * most of the statements it builds; their row types are the schema's (`Row<…>`). What runs
 * once per import or per call (deferred changes, open conflicts) is built with Kysely.
 */
import { v5 as uuidv5 } from 'uuid';
import { isHlc, MalformedClockError } from '../../db/hlc';
import { sql } from 'kysely';
import { replicaOf, setMeta, type Replica } from '../../db/replica';
import { REGION_TABLES, SYNCED_TABLES, type Row, type SyncedTable } from '../../db/schema';
import { qb, type Store } from '../../db/store';
import { SYSTEM_COLUMNS, columnsOf, type ChangeMeta, type SqlValue } from '../../db/write';

/** A change as it travels in packages. */
export interface WireChange {
  /** author device */
  d: string;
  /** author's sequence */
  q: number;
  /** hybrid logical clock */
  h: string;
  /** table */
  t: string;
  /** row id */
  r: string;
  /** column → value */
  v: Record<string, SqlValue>;
  /** causal context */
  m?: ChangeMeta | null;
  /** hub sequence, when the hub has stamped it */
  s?: number | null;
  /** the author's account (issue 10); absent from a device with no signed-in account */
  a?: string;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'deferred';

const CONFLICT_NS = '1b7d3c1e-5c0a-4f55-9d3e-500500500501';
const REGION = new Set<string>(REGION_TABLES);
const KNOWN = new Set<string>(SYNCED_TABLES);

interface ColumnInfo {
  all: Set<string>;
  /** NOT NULL without a default: a row cannot be created without them. */
  required: string[];
  /** The known columns of the last change of this table (see knownColumns). */
  lastKnown: readonly string[];
}

const infoCache = new WeakMap<Store, Map<string, ColumnInfo>>();

function columnInfo(store: Store, table: string): ColumnInfo {
  let perStore = infoCache.get(store);
  if (!perStore) infoCache.set(store, (perStore = new Map()));
  let info = perStore.get(table);
  if (!info) {
    const all = columnsOf(store, table);
    // The real columns of this version's database (a PRAGMA: Kysely does not build those).
    const rows = store.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number; dflt_value: unknown; pk: number }[];
    info = { all, required: rows.filter((r) => r.notnull && r.dflt_value === null && !r.pk).map((r) => r.name), lastKnown: [] };
    perStore.set(table, info);
  }
  return info;
}

const enc = (v: SqlValue | undefined): string => JSON.stringify(v ?? null);

function defer(store: Store, c: WireChange, reason: string): void {
  store.prepare('INSERT OR IGNORE INTO sync_deferred (device_id, device_seq, reason) VALUES (?, ?, ?)').run(c.d, c.q, reason);
}

/** The clock bookkeeping every logged remote change does, wherever its log row is written. */
function observe(store: Store, c: WireChange): void {
  const replica = replicaOf(store);
  replica.clock.observe(c.h);
  keepSeq(replica, c);
}

/** Our own change coming back (this database was restored from an older copy): never reuse its seq. */
function keepSeq(replica: Replica, c: WireChange): void {
  if (c.d === replica.deviceId && c.q >= replica.nextSeq) replica.nextSeq = c.q + 1;
}


const LOG_INSERT = 'INSERT OR IGNORE INTO changes (device_id, device_seq, hlc, tbl, row_id, data, server_seq, meta, author) VALUES ';
const LOG_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Appends the change's `changes` row (LOG_ROW's nine values) to a parameter list; `values` is `c.v` as JSON when the caller has it. */
const pushLog = (to: SqlValue[], c: WireChange, values?: string | null): number =>
  to.push(c.d, c.q, c.h, c.t, c.r, values ?? JSON.stringify(c.v), c.s ?? null, c.m ? JSON.stringify(c.m) : null, c.a ?? null);
const CLOCK_INSERT = 'INSERT INTO field_clocks (tbl, row_id, col, hlc) VALUES ';
const CLOCK_UPSERT = ' ON CONFLICT(tbl, row_id, col) DO UPDATE SET hlc = excluded.hlc';
const rowInsert = (table: string, cols: readonly string[]): string => `INSERT OR REPLACE INTO ${table} (${['id', ...cols].map((n) => `"${n}"`).join(', ')}) VALUES `;
const tuple = (width: number): string => `(${Array.from({ length: width }, () => '?').join(', ')})`;

/**
 * How merge() reads and writes what a chunk may batch: a row's field clocks, and the insert
 * of a row nobody has written yet (the row plus its '*' clock). Applying one change uses the
 * database directly; applyChunk caches the clocks of the chunk's rows and batches fresh
 * inserts into multi-row statements (the per-statement cost dominates the apply rate).
 */
interface Sink {
  /** The row's field clocks; valid until the caller writes a clock of the row. */
  clocksOf(table: string, rowId: string): ReadonlyMap<string, string>;
  clockWritten(table: string, rowId: string, col: string, hlc: string): void;
  /** Insert a row that has no clocks: the row, and one row clock '*' = hlc. */
  insertFresh(table: string, rowId: string, cols: readonly string[], v: Readonly<Record<string, SqlValue>>, hlc: string): void;
  /** Records the row's winning deletion (a non-null deleted_at) or clears it (null). */
  tombstone(table: SyncedTable, c: WireChange, deletedAt: SqlValue): void;
  /** Everything batched so far must be in the database before the next read of it. */
  beforeRead(): void;
}

function directSink(store: Store): Sink {
  return {
    clocksOf: (table, rowId) =>
      new Map((store.prepare('SELECT col, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?').all(table, rowId) as Pick<Row<'field_clocks'>, 'col' | 'hlc'>[]).map((x) => [x.col, x.hlc])),
    clockWritten: () => undefined,
    insertFresh: (table, rowId, cols, v, hlc) => {
      store.prepare(rowInsert(table, cols) + tuple(cols.length + 1)).run(rowId, ...cols.map((n) => v[n] ?? null));
      store.prepare(CLOCK_INSERT + '(?, ?, ?, ?)' + CLOCK_UPSERT).run(table, rowId, '*', hlc);
    },
    tombstone: (table, c, deletedAt) => writeTombstone(store, table, c, deletedAt),
    beforeRead: () => undefined,
  };
}

/**
 * Applies one remote change. Call inside a transaction (applyChunk does).
 * `reapply` re-runs a deferred change that is already in `changes`.
 */
export function applyChange(store: Store, c: WireChange, reapply = false): ApplyOutcome {
  if (!reapply) {
    const params: SqlValue[] = [];
    pushLog(params, c);
    const inserted = store.prepare(LOG_INSERT + LOG_ROW).run(...params);
    if (inserted.changes === 0) return 'duplicate';
    observe(store, c);
  }
  return merge(store, c, directSink(store));
}

/** Merges a change that is already logged (or queued to be, see Sink.beforeRead) into the row it writes. */
function merge(store: Store, c: WireChange, sink: Sink): ApplyOutcome {
  if (!KNOWN.has(c.t)) {
    defer(store, c, 'table');
    return 'deferred';
  }
  const table = c.t as SyncedTable;
  const info = columnInfo(store, table);
  // The columns this version has; any other (a newer version's) keeps the change deferred.
  const { known, deferred } = knownColumns(info, c.v);

  const clocks = sink.clocksOf(table, c.r);
  if (clocks.size === 0) return mergeFresh(store, c, table, info, known, deferred, sink);
  // Everything below reads the row, its conflicts or the log: batched writes go in first.
  sink.beforeRead();
  // A remote insert stores one row clock '*' instead of one per column (the apply rate depends
  // on it); it covers exactly the columns that insert wrote, read back from the log when needed.
  const rowClock = clocks.get('*');
  let inserted: Record<string, unknown> | undefined;
  const covers = (col: string): boolean => {
    if (!rowClock) return false;
    if (!inserted) {
      const ins = store.prepare('SELECT data FROM changes WHERE tbl = ? AND row_id = ? AND hlc = ?').get(table, c.r, rowClock) as Pick<Row<'changes'>, 'data'> | undefined;
      inserted = ins ? (JSON.parse(ins.data) as Record<string, unknown>) : {};
    }
    return col in inserted;
  };
  const row = store.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(c.r) as Record<string, SqlValue> | undefined;
  if (!row && missingRequired(info, c)) {
    // An edit of a row we do not have (or cannot create): keep it raw rather than invent values.
    defer(store, c, 'row');
    return 'deferred';
  }

  const region = REGION.has(table);
  const taken: Record<string, SqlValue> = {};
  const now = new Date().toISOString();
  for (const col of known) {
    const value = c.v[col] ?? null;
    const w = clocks.get(col) ?? (covers(col) ? rowClock : undefined);
    if (w === undefined || !row) {
      taken[col] = value;
      continue;
    }
    if (w === c.h) continue;
    if (SYSTEM_COLUMNS.has(col)) {
      if (c.h > w) taken[col] = value;
      continue;
    }
    const bases = region ? null : new Set(c.m?.b?.[col] ?? []);
    const open = store
      .prepare('SELECT lost_hlc FROM conflicts WHERE tbl = ? AND row_id = ? AND col = ? AND resolved_at IS NULL')
      .all(table, c.r, col) as Pick<Row<'conflicts'>, 'lost_hlc'>[];
    for (const o of open) {
      if (!bases || bases.has(o.lost_hlc)) {
        store.prepare('UPDATE conflicts SET resolved_at = ? WHERE tbl = ? AND row_id = ? AND col = ? AND lost_hlc = ?').run(now, table, c.r, col, o.lost_hlc);
        store.touched.add('conflicts');
      }
    }
    const winnerSuperseded = !bases || bases.has(w);
    if (c.h > w || !bases) {
      taken[col] = value;
      if (!winnerSuperseded) recordConflict(store, table, c.r, col, value, c.h, row[col] ?? null, w, now);
    } else {
      recordConflict(store, table, c.r, col, row[col] ?? null, w, value, c.h, now);
    }
  }

  const cols = Object.keys(taken);
  if (cols.length) {
    const values = cols.map((n) => taken[n] as SqlValue);
    if (row) store.prepare(`UPDATE ${table} SET ${cols.map((n) => `"${n}" = ?`).join(', ')} WHERE id = ?`).run(...values, c.r);
    else store.prepare(rowInsert(table, cols) + tuple(cols.length + 1)).run(c.r, ...values);
    const clockStmt = store.prepare(CLOCK_INSERT + '(?, ?, ?, ?)' + CLOCK_UPSERT);
    for (const n of cols) {
      clockStmt.run(table, c.r, n, c.h);
      sink.clockWritten(table, c.r, n, c.h);
    }
    if ('deleted_at' in taken) sink.tombstone(table, c, taken.deleted_at ?? null);
    store.touched.add(table);
  }
  if (row || (taken.deleted_at ?? null) !== null) settleDeletion(store, table, c.r);
  if (deferred) defer(store, c, 'column');
  return deferred ? 'deferred' : 'applied';
}

/**
 * The columns of `v` this version has, in order, and whether it has others (a newer version's,
 * which keep the change deferred). Changes of a table mostly write the same columns in the same
 * order: the previous change's list is returned again when it matches (callers only read it),
 * which also lets a chunk see at a glance that fresh rows share one insert statement.
 */
function knownColumns(info: ColumnInfo, v: Readonly<Record<string, SqlValue>>): { known: readonly string[]; deferred: boolean } {
  const last = info.lastKnown;
  let known: string[] | null = null;
  let i = 0;
  let deferred = false;
  for (const n in v) {
    if (n === 'id') continue;
    if (known === null && last[i] === n) {
      i++;
      continue;
    }
    if (!info.all.has(n)) {
      deferred = true;
      continue;
    }
    if (known === null) known = last.slice(0, i);
    known.push(n);
  }
  if (known === null) {
    if (i === last.length) return { known: last, deferred };
    known = last.slice(0, i);
  }
  info.lastKnown = known;
  return { known, deferred };
}

function missingRequired(info: ColumnInfo, c: WireChange): boolean {
  for (const n of info.required) if (c.v[n] === undefined || c.v[n] === null) return true;
  return false;
}

function writeTombstone(store: Store, table: SyncedTable, c: WireChange, deletedAt: SqlValue): void {
  if (deletedAt === null) store.prepare('DELETE FROM sync_tombstones WHERE tbl = ? AND row_id = ?').run(table, c.r);
  else store.prepare('INSERT OR REPLACE INTO sync_tombstones (tbl, row_id, value, hlc, seen) VALUES (?, ?, ?, ?, ?)').run(table, c.r, deletedAt, c.h, c.m?.s ?? '');
}

/**
 * A row nobody has written (no field clocks): every known column is taken as it is, the row
 * and one row clock '*' are inserted, and nothing is read unless it arrives deleted, so a
 * chunk can batch these inserts (the apply rate of a first sync depends on it).
 */
function mergeFresh(store: Store, c: WireChange, table: SyncedTable, info: ColumnInfo, known: readonly string[], deferred: boolean, sink: Sink): ApplyOutcome {
  if (missingRequired(info, c)) {
    // An edit of a row we do not have (or cannot create): keep it raw rather than invent values.
    defer(store, c, 'row');
    return 'deferred';
  }
  if (known.length) {
    sink.insertFresh(table, c.r, known, c.v, c.h);
    sink.clockWritten(table, c.r, '*', c.h);
    if ('deleted_at' in c.v) {
      const deletedAt = c.v.deleted_at ?? null;
      sink.tombstone(table, c, deletedAt);
      // A row that arrives deleted may already have a concurrent edit in the log that revives it.
      if (deletedAt !== null) {
        sink.beforeRead();
        settleDeletion(store, table, c.r);
      }
    }
    store.touched.add(table);
  }
  if (deferred) defer(store, c, 'column');
  return deferred ? 'deferred' : 'applied';
}

/** A conflict's id: the same on every replica that records it. */
export const conflictId = (table: string, rowId: string, col: string, lostHlc: string): string => uuidv5(`${table}|${rowId}|${col}|${lostHlc}`, CONFLICT_NS);

function recordConflict(store: Store, table: string, rowId: string, col: string, kept: SqlValue, keptHlc: string, lost: SqlValue, lostHlc: string, now: string): void {
  store
    .prepare(
      'INSERT OR IGNORE INTO conflicts (id, tbl, row_id, col, kept_value, kept_hlc, lost_value, lost_hlc, created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
    )
    .run(conflictId(table, rowId, col, lostHlc), table, rowId, col, enc(kept), keptHlc, enc(lost), lostHlc, now);
  store.touched.add('conflicts');
}

/** Writes the row's effective `deleted_at` from the winning deletion and the edits concurrent with it. */
function settleDeletion(store: Store, table: SyncedTable, rowId: string): void {
  const tomb = store.prepare('SELECT value, hlc, seen FROM sync_tombstones WHERE tbl = ? AND row_id = ?').get(table, rowId) as
    | Pick<Row<'sync_tombstones'>, 'value' | 'hlc' | 'seen'>
    | undefined;
  const current = store.prepare(`SELECT deleted_at FROM ${table} WHERE id = ?`).get(rowId) as Pick<Row<SyncedTable>, 'deleted_at'> | undefined;
  if (!current) return;
  let effective: string | null = null;
  if (tomb) {
    effective = tomb.value;
    const later = store.prepare('SELECT data, meta FROM changes WHERE tbl = ? AND row_id = ? AND hlc > ?').all(table, rowId, tomb.seen) as Pick<Row<'changes'>, 'data' | 'meta'>[];
    for (const e of later) {
      const edits = Object.keys(JSON.parse(e.data) as object).some((k) => !SYSTEM_COLUMNS.has(k));
      const sawDeletion = ((e.meta ? (JSON.parse(e.meta) as ChangeMeta).d : undefined) ?? '') >= tomb.hlc;
      if (edits && !sawDeletion) {
        effective = null;
        break;
      }
    }
  }
  if (current.deleted_at !== effective) store.prepare(`UPDATE ${table} SET deleted_at = ? WHERE id = ?`).run(effective, rowId);
}

/**
 * Rows per multi-row insert. Measured on the 100,000-change bench: statements of tens of rows
 * cost less per row than one row per statement (the per-call cost) and than thousands of rows
 * (larger statements, and slicing the parameter list for them); 64 rows of the widest synced
 * table stay far under SQLite's bound on parameters per statement (32766).
 */
const BATCH_ROWS = 64;

type Statement = ReturnType<Store['prepare']>;
const NO_CLOCKS: ReadonlyMap<string, string> = new Map();
const multiRow = new WeakMap<Store, Map<string, Statement[]>>();

/** The statement `head` + n tuples of `width` params + `tail`, prepared once per store. */
function multiRowStatement(store: Store, head: string, tail: string, width: number, n: number): Statement {
  let perStore = multiRow.get(store);
  if (!perStore) multiRow.set(store, (perStore = new Map()));
  const key = `${head}\u0000${tail}`;
  let bySize = perStore.get(key);
  if (!bySize) perStore.set(key, (bySize = []));
  return (bySize[n] ??= store.sqlite.prepare(head + Array.from({ length: n }, () => tuple(width)).join(', ') + tail));
}

/**
 * Rows of one insert statement, written BATCH_ROWS at a time as they arrive: the caller pushes
 * `width` values to `params`, then calls row(). flush() writes the rest in power-of-two
 * statement sizes, so only a few statement texts exist. Rows are written in arrival order.
 */
class RowQueue {
  params: SqlValue[] = [];
  private rows = 0;

  constructor(
    private readonly store: Store,
    readonly head: string,
    private readonly tail: string,
    private readonly width: number,
  ) {}

  row(): void {
    if (++this.rows < BATCH_ROWS) return;
    multiRowStatement(this.store, this.head, this.tail, this.width, BATCH_ROWS).run(this.params);
    this.params = [];
    this.rows = 0;
  }

  flush(): void {
    const { params, width } = this;
    let at = 0;
    for (let rows = this.rows; rows > 0; ) {
      const n = 2 ** Math.floor(Math.log2(rows));
      const stmt = multiRowStatement(this.store, this.head, this.tail, width, n);
      stmt.run(n === this.rows ? params : params.slice(at, at + n * width));
      at += n * width;
      rows -= n;
    }
    if (this.rows) this.params = [];
    this.rows = 0;
  }
}

/**
 * One chunk's batch: which (device, seq) are already logged and the field clocks of every
 * row the chunk touches, read with one query per device and per table up front; log rows,
 * fresh rows and their clocks are queued and written in multi-row statements. The result is
 * the same as applying the changes one by one: a change that reads the row, its conflicts or
 * the log flushes the queues first (Sink.beforeRead), fresh rows are flushed in arrival order
 * (a different table or column set flushes the previous rows), and the clock cache is updated
 * with every clock write.
 */
class ChunkBatch implements Sink {
  /** Per author device: the seqs already in the log (read up front) or applied by this chunk. */
  private readonly logged = new Map<string, { seqs: Set<number>; ordered: boolean }>();
  /** table → row → column → clock. */
  private readonly clocks = new Map<string, Map<string, Map<string, string>>>();
  /**
   * table → row → '*' clock, for rows this chunk inserted fresh and has not written since: one
   * entry instead of a column map per row (clockMap makes the map when the row is written again).
   */
  private readonly stars = new Map<string, Map<string, string>>();
  /** Rows of the chunk that have a tombstone: clearing one that does not exist is skipped. */
  private readonly tombstones = new Set<string>();
  private readonly log: RowQueue;
  private readonly freshClocks: RowQueue;
  /** Fresh rows of one table and column list (another shape flushes them first). */
  private rows: { table: string; cols: readonly string[]; queue: RowQueue } | null = null;
  private readonly replica: Replica;
  /**
   * The latest clock of the chunk: the local clock only has to end past every clock it saw, so
   * it observes this one once (finish) instead of each (clocks compare as text, db/hlc.ts).
   */
  private latest = '';
  /** Clocks at or past this are too far ahead to adopt (db/hlc.ts, horizon). */
  private readonly horizon: string;

  constructor(
    private readonly store: Store,
    changes: readonly WireChange[],
  ) {
    this.replica = replicaOf(store);
    this.horizon = this.replica.clock.horizon();
    this.log = new RowQueue(store, LOG_INSERT, '', 9);
    this.freshClocks = new RowQueue(store, CLOCK_INSERT, CLOCK_UPSERT, 4);
    const byDevice = new Map<string, number[]>();
    const byTable = new Map<string, string[]>();
    for (const c of changes) {
      let seqs = byDevice.get(c.d);
      if (!seqs) byDevice.set(c.d, (seqs = []));
      seqs.push(c.q);
      if (!KNOWN.has(c.t)) continue;
      let ids = byTable.get(c.t);
      if (!ids) byTable.set(c.t, (ids = []));
      ids.push(c.r);
    }
    // Seqs of one author are usually consecutive: a range read is cheapest then (extra seqs in
    // the set are harmless, only the chunk's own are looked up).
    const seqList = store.prepare('SELECT device_seq AS q FROM changes WHERE device_id = ? AND device_seq IN (SELECT value FROM json_each(?))');
    const seqRange = store.prepare('SELECT device_seq AS q FROM changes WHERE device_id = ? AND device_seq BETWEEN ? AND ?');
    for (const [d, seqs] of byDevice) {
      let min = seqs[0]!;
      let max = min;
      // Seqs that only grow within the chunk cannot repeat in it: apply() need not record them.
      let ordered = true;
      for (let i = 1; i < seqs.length; i++) {
        const q = seqs[i]!;
        if (q <= seqs[i - 1]!) ordered = false;
        if (q < min) min = q;
        if (q > max) max = q;
      }
      const rows = (max - min < 2 * seqs.length ? seqRange.all(d, min, max) : seqList.all(d, JSON.stringify(seqs))) as { q: number }[];
      this.logged.set(d, { seqs: new Set(rows.map((r) => r.q)), ordered });
    }
    const clockStmt = store.prepare('SELECT row_id, col, hlc FROM field_clocks WHERE tbl = ? AND row_id IN (SELECT value FROM json_each(?))');
    const anyTomb = store.prepare('SELECT 1 FROM sync_tombstones WHERE tbl = ? LIMIT 1');
    const tombStmt = store.prepare('SELECT row_id FROM sync_tombstones WHERE tbl = ? AND row_id IN (SELECT value FROM json_each(?))');
    // The clocks of the id range first: a first sync brings new rows past every id the table has,
    // so the range is empty and costs one probe. A range crowded with other rows falls back to
    // the id list. Clocks of other rows in the cache are harmless: only the chunk's are looked up.
    const clockRange = store.prepare('SELECT row_id, col, hlc FROM field_clocks WHERE tbl = ? AND row_id BETWEEN ? AND ? LIMIT ?');
    for (const [t, ids] of byTable) {
      let lo = ids[0]!;
      let hi = lo;
      for (const id of ids) {
        if (id < lo) lo = id;
        if (id > hi) hi = id;
      }
      const limit = 4 * ids.length;
      let clocks = clockRange.all(t, lo, hi, limit + 1) as Pick<Row<'field_clocks'>, 'row_id' | 'col' | 'hlc'>[];
      if (clocks.length > limit) clocks = clockStmt.all(t, JSON.stringify(ids)) as typeof clocks;
      for (const r of clocks) this.clockMap(t, r.row_id).set(r.col, r.hlc);
      if (anyTomb.get(t)) for (const r of tombStmt.all(t, JSON.stringify(ids)) as Pick<Row<'sync_tombstones'>, 'row_id'>[]) this.tombstones.add(`${t}\u0000${r.row_id}`);
    }
  }

  apply(c: WireChange, values?: string | null): ApplyOutcome {
    const logged = this.logged.get(c.d)!;
    if (logged.seqs.has(c.q)) return 'duplicate';
    if (!logged.ordered) logged.seqs.add(c.q);
    pushLog(this.log.params, c, values);
    this.log.row();
    // Packages are checked when read (wireChange.ts); this guards every other caller: a
    // malformed clock throws and the chunk's transaction leaves nothing behind.
    if (!isHlc(c.h)) throw new MalformedClockError(c.h);
    if (c.h > this.latest && c.h < this.horizon) this.latest = c.h;
    keepSeq(this.replica, c);
    return merge(this.store, c, this);
  }

  private clockMap(table: string, rowId: string): Map<string, string> {
    let rows = this.clocks.get(table);
    if (!rows) this.clocks.set(table, (rows = new Map()));
    let m = rows.get(rowId);
    if (!m) {
      rows.set(rowId, (m = new Map()));
      const star = this.stars.get(table)?.get(rowId);
      if (star !== undefined) m.set('*', star);
    }
    return m;
  }

  clocksOf(table: string, rowId: string): ReadonlyMap<string, string> {
    const m = this.clocks.get(table)?.get(rowId);
    if (m) return m;
    return this.stars.get(table)?.has(rowId) ? this.clockMap(table, rowId) : NO_CLOCKS;
  }

  clockWritten(table: string, rowId: string, col: string, hlc: string): void {
    if (col === '*' && !this.clocks.get(table)?.has(rowId)) {
      let rows = this.stars.get(table);
      if (!rows) this.stars.set(table, (rows = new Map()));
      rows.set(rowId, hlc);
    } else this.clockMap(table, rowId).set(col, hlc);
  }

  insertFresh(table: string, rowId: string, cols: readonly string[], v: Readonly<Record<string, SqlValue>>, hlc: string): void {
    let r = this.rows;
    if (!r || r.table !== table || (r.cols !== cols && (r.cols.length !== cols.length || r.cols.some((n, i) => n !== cols[i])))) {
      this.rows?.queue.flush();
      this.rows = r = { table, cols, queue: new RowQueue(this.store, rowInsert(table, cols), '', cols.length + 1) };
    }
    const params = r.queue.params;
    params.push(rowId);
    // `cols` keeps v's key order without 'id' and unknown columns: as long as v's, they are all its keys.
    const values = Object.values(v);
    if (values.length === cols.length) for (const x of values) params.push(x ?? null);
    else for (const n of cols) params.push(v[n] ?? null);
    r.queue.row();
    this.freshClocks.params.push(table, rowId, '*', hlc);
    this.freshClocks.row();
  }

  tombstone(table: SyncedTable, c: WireChange, deletedAt: SqlValue): void {
    if (deletedAt === null && this.tombstones.size === 0) return;
    const key = `${table}\u0000${c.r}`;
    if (deletedAt === null && !this.tombstones.has(key)) return;
    writeTombstone(this.store, table, c, deletedAt);
    if (deletedAt === null) this.tombstones.delete(key);
    else this.tombstones.add(key);
  }

  beforeRead(): void {
    this.flush();
  }

  /** The end of the chunk: everything written, the clock past every clock of the chunk. */
  finish(): void {
    this.flush();
    if (this.latest) this.replica.clock.observe(this.latest);
  }

  /** Log rows first, then fresh rows, then their clocks: the order they were queued in. */
  flush(): void {
    this.log.flush();
    this.rows?.queue.flush();
    this.freshClocks.flush();
  }
}

export interface ChunkResult {
  applied: number;
  duplicate: number;
  deferred: number;
}

/**
 * Applies a chunk of changes in one transaction: all of it or nothing. `valueTexts[i]`, when
 * given, is `changes[i].v` as JSON text (as the package holds it), stored in the log as it is.
 */
export function applyChunk(store: Store, changes: readonly WireChange[], after?: () => void, valueTexts?: readonly (string | null)[]): ChunkResult {
  return store.tx(() => {
    const result: ChunkResult = { applied: 0, duplicate: 0, deferred: 0 };
    const batch = new ChunkBatch(store, changes);
    for (let i = 0; i < changes.length; i++) result[batch.apply(changes[i]!, valueTexts?.[i])] += 1;
    batch.finish();
    setMeta(store, 'hlc', replicaOf(store).clock.current());
    after?.();
    return result;
  });
}

/** How many changes are kept raw, waiting for a version that can apply them. */
export function deferredCount(store: Store): number {
  return store.first(qb.selectFrom('sync_deferred').select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
}

/** Re-applies changes kept raw earlier, after an upgrade taught this version their tables or columns. */
export function reapplyDeferred(store: Store): number {
  const rows = store.all(
    qb
      .selectFrom('sync_deferred as d')
      .innerJoin('changes as c', (j) => j.onRef('c.device_id', '=', 'd.device_id').onRef('c.device_seq', '=', 'd.device_seq'))
      .select(['c.device_id', 'c.device_seq', 'c.hlc', 'c.tbl', 'c.row_id', 'c.data', 'c.meta']),
  );
  let done = 0;
  store.tx(() => {
    for (const r of rows) {
      store.run(qb.deleteFrom('sync_deferred').where('device_id', '=', r.device_id).where('device_seq', '=', r.device_seq));
      const c: WireChange = { d: r.device_id, q: r.device_seq, h: r.hlc, t: r.tbl, r: r.row_id, v: JSON.parse(r.data), m: r.meta ? JSON.parse(r.meta) : null };
      if (applyChange(store, c, true) === 'applied') done += 1;
    }
  });
  return done;
}

export interface OpenConflict {
  id: string;
  tbl: string;
  row_id: string;
  col: string;
  current: SqlValue;
  current_hlc: string;
  lost: SqlValue;
  lost_hlc: string;
  created_at: string;
}

/** Open conflicts whose losing value still differs from the field's current value. */
export function openConflicts(store: Store): OpenConflict[] {
  const rows = store.all(
    qb
      .selectFrom('conflicts')
      .select(['id', 'tbl', 'row_id', 'col', 'lost_value', 'lost_hlc', 'created_at'])
      .where('resolved_at', 'is', null)
      .orderBy('tbl')
      .orderBy('row_id')
      .orderBy('col')
      .orderBy('lost_hlc'),
  );
  const out: OpenConflict[] = [];
  for (const r of rows) {
    if (!KNOWN.has(r.tbl) || !columnsOf(store, r.tbl).has(r.col)) continue;
    // The column is one of the table's (checked above); its name comes from the conflict row.
    const row = store.first(
      qb
        .selectFrom(r.tbl as SyncedTable)
        .select(sql<SqlValue>`${sql.ref(r.col)}`.as('v'))
        .where('id', '=', r.row_id),
    );
    // A conflict exists only on a field that was written, so '*' (when no own clock) covers it.
    const clock = store.first(
      qb
        .selectFrom('field_clocks')
        .select('hlc')
        .where('tbl', '=', r.tbl)
        .where('row_id', '=', r.row_id)
        .where('col', 'in', [r.col, '*'])
        .orderBy(sql`col = '*'`)
        .limit(1),
    );
    // Always JSON text (recordConflict encodes every value, null included).
    const lost = JSON.parse(r.lost_value ?? 'null') as SqlValue;
    if (!row || row.v === lost) continue;
    out.push({ id: r.id, tbl: r.tbl, row_id: r.row_id, col: r.col, current: row.v, current_hlc: clock?.hlc ?? '', lost, lost_hlc: r.lost_hlc, created_at: r.created_at });
  }
  return out;
}
