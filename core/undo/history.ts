/**
 * One undo history over the write layer, like Actual's undo over its mutators: every call
 * that writes (in its one transaction) is one step, named for the toast; undo writes back,
 * through db/write.ts, what each field held before the call (so it syncs like any edit and
 * is itself a change), and redo writes the call's values again.
 *
 * A step is refused, not forced, when one of its fields was changed since by anyone else
 * (sync, or a write that is not a step): the field's clock is then no longer the one the
 * step left. The history lives in the core's memory, per open store: it ends with the
 * session, as an editor's does.
 */
import { AppError } from '../../db/errors';
import { parseHlc } from '../../db/hlc';
import { replicaOf } from '../../db/replica';
import type { Row, SyncedTable } from '../../db/schema';
import type { Store, WrittenChange } from '../../db/store';
import { getRow, restoreRow, softDelete, updateRow, type Patch, type SqlValue } from '../../db/write';
import { ownsTransaction } from '../callTransaction';
import { rowTitle } from '../rowTitle';
import { labelOf, TABLE_GENITIVE } from './labels';

/** Calls that write but are not steps, with the reason. Calls that own their transaction (sync, backups) are not either. */
export const NOT_UNDOABLE: Readonly<Record<string, string>> = {
  'app.undo': 'moves a step to the redo list itself',
  'app.redo': 'moves a step back to the undo list itself',
  'app.createDistrict': 'setting up the district is not an edit to take back',
  'app.loadDemo': 'loading the demo district is not an edit to take back',
  'visits.saveDraft': 'saved as the user types; the text field undoes typing itself',
  'conflicts.resolve': 'a choice between two devices’ values that every replica closes; it is made again, not undone',
};

/** Steps kept: enough for a working session, bounded for an import of thousands of rows. */
const LIMIT = 100;

interface Step {
  /** Numbers the call's step; undo and redo keep it, so a toast can name the step it takes back. */
  id: number;
  label: string;
  writes: readonly WrittenChange[];
}

class History {
  lastId = 0;
  done: Step[] = [];
  undone: Step[] = [];
  /**
   * Clocks that stand for an earlier one: a field an undo set back to the value it had at
   * clock c now carries a new clock that means c to the steps below it. Key: row, column, clock.
   */
  readonly same = new Map<string, string>();
}

const histories = new WeakMap<Store, History>();

function historyOf(store: Store): History {
  let h = histories.get(store);
  if (!h) histories.set(store, (h = new History()));
  return h;
}

const isUndoable = (call: string) => !ownsTransaction(call) && !Object.prototype.hasOwnProperty.call(NOT_UNDOABLE, call);

/** Runs a call's handler (inside the call's transaction) and keeps what it wrote as one step, told to onStep. */
export function recordingUndo<T>(store: Store, call: string, run: () => T, onStep?: (id: number) => void): T {
  if (!isUndoable(call)) return run();
  const writes: WrittenChange[] = [];
  const outer = store.journal;
  store.journal = (w) => {
    writes.push(w);
    outer?.(w);
  };
  let value: T;
  try {
    value = run();
  } finally {
    store.journal = outer;
  }
  if (writes.length > 0) {
    const h = historyOf(store);
    const id = ++h.lastId;
    push(h.done, { id, label: labelOf(call, writes, titleOf(store)), writes });
    h.undone = [];
    onStep?.(id);
  }
  return value;
}

export interface UndoOutcome {
  /** False when there was nothing to undo or redo. */
  done: boolean;
  /** What the toast says: «Отменено: …», «Возвращено: …» or that there is nothing. */
  message: string;
}

/** Takes back the last step; with `only`, only when that step is the last (a toast's «Отменить» for its own call). */
export function undo(store: Store, only?: number): UndoOutcome {
  const h = historyOf(store);
  if (only !== undefined && h.done.at(-1)?.id !== only) {
    throw new AppError('undo_not_last', 'После этого изменения были другие: отмените сначала их (Ctrl+Z) или верните удалённое из корзины.');
  }
  const step = h.done.pop();
  if (!step) return { done: false, message: 'Нечего отменять.' };
  push(h.undone, { id: step.id, label: step.label, writes: revert(store, h, step, 'Не отменено') });
  return { done: true, message: `Отменено: ${step.label}.` };
}

export function redo(store: Store): UndoOutcome {
  const h = historyOf(store);
  const step = h.undone.pop();
  if (!step) return { done: false, message: 'Нечего возвращать.' };
  push(h.done, { id: step.id, label: step.label, writes: revert(store, h, step, 'Не возвращено') });
  return { done: true, message: `Возвращено: ${step.label}.` };
}

function push(list: Step[], step: Step): void {
  list.push(step);
  if (list.length > LIMIT) list.splice(0, list.length - LIMIT);
}

const titleOf = (store: Store) => (table: SyncedTable, id: string) => {
  const row = getRow(store, table, id);
  return row ? rowTitle(table, row) : '';
};

/** Columns every write stamps; they are neither checked nor written back. */
const STAMPS = new Set(['updated_at', 'created_at']);

/** What a step did to one row: its fields' values before the step and the clocks the step left. */
interface RowStep {
  table: SyncedTable;
  id: string;
  inserted: boolean;
  before: Record<string, SqlValue>;
  beforeClocks: Record<string, string>;
  after: Record<string, string>;
}

function rowsOf(writes: readonly WrittenChange[]): RowStep[] {
  const rows = new Map<string, RowStep>();
  for (const w of writes) {
    const key = `${w.table}\u0000${w.id}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { table: w.table, id: w.id, inserted: w.before === null, before: {}, beforeClocks: {}, after: {} }));
    for (const col of Object.keys(w.after)) {
      if (STAMPS.has(col)) continue;
      // The first write of a field in the step holds its value before the step.
      if (w.before && !(col in r.before) && !(col in r.after)) {
        r.before[col] = w.before[col] ?? null;
        const was = w.beforeClocks[col];
        if (was) r.beforeClocks[col] = was;
      }
      r.after[col] = w.hlc;
    }
  }
  return [...rows.values()];
}

const sameKey = (r: { table: string; id: string }, col: string, hlc: string) => `${r.table}\u0000${r.id}\u0000${col}\u0000${hlc}`;

/** The clock a field's state stands for, following undos back to the original write. */
function canonical(h: History, r: RowStep, col: string, hlc: string): string {
  let c = hlc;
  for (let next = h.same.get(sameKey(r, col, c)); next !== undefined; next = h.same.get(sameKey(r, col, c))) c = next;
  return c;
}

function clockOf(store: Store, r: RowStep, col: string): string | undefined {
  // '*' is the row clock a remote insert leaves for the fields no one has written since.
  const rows = store.prepare("SELECT col, hlc FROM field_clocks WHERE tbl = ? AND row_id = ? AND col IN (?, '*')").all(r.table, r.id, col) as Pick<Row<'field_clocks'>, 'col' | 'hlc'>[];
  return (rows.find((x) => x.col === col) ?? rows[0])?.hlc;
}

/**
 * Writes back what the step's rows held before it, newest row first (children before their
 * parent), and returns those writes: the step that takes this one back again.
 */
function revert(store: Store, h: History, step: Step, refused: string): WrittenChange[] {
  const rows = rowsOf(step.writes);
  for (const r of rows) {
    for (const [col, hlc] of Object.entries(r.after)) {
      const now = clockOf(store, r, col);
      if (now !== undefined && canonical(h, r, col, now) === canonical(h, r, col, hlc)) continue;
      const elsewhere = now !== undefined && parseHlc(now)?.device !== replicaOf(store).deviceId;
      throw new AppError(
        'undo_conflict',
        `${refused}: ${step.label}. Данные ${TABLE_GENITIVE[r.table]} «${titleOf(store)(r.table, r.id)}» с тех пор изменены${elsewhere ? ' на другом устройстве' : ''}; они оставлены как есть.`,
      );
    }
  }
  const writes: WrittenChange[] = [];
  const outer = store.journal;
  store.journal = (w) => writes.push(w);
  try {
    for (const r of [...rows].reverse()) {
      if (r.inserted) {
        softDelete(store, r.table, r.id);
        continue;
      }
      const { deleted_at: deletedAt, ...fields } = r.before;
      if (Object.keys(fields).length > 0) updateRow<SyncedTable>(store, r.table, r.id, fields as Patch<SyncedTable>);
      if (deletedAt === null) restoreRow(store, r.table, r.id);
      else if (deletedAt !== undefined) softDelete(store, r.table, r.id);
    }
  } finally {
    store.journal = outer;
  }
  const byRow = new Map(rows.map((r) => [`${r.table}\u0000${r.id}`, r]));
  for (const w of writes) {
    const r = byRow.get(`${w.table}\u0000${w.id}`)!;
    for (const col of Object.keys(w.after)) {
      const was = r.beforeClocks[col];
      if (was && !STAMPS.has(col)) h.same.set(sameKey(r, col, w.hlc), was);
    }
  }
  return writes;
}
