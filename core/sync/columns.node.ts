/**
 * Which tables and columns a change may write, and the types of their values, from the
 * schema's runtime twin (db/schema.ts COLUMNS, which test/integration/schema.test.ts holds
 * equal to what the migrations create), so the hub, which keeps no synced tables of its own,
 * checks exactly what a laptop would apply.
 *
 * Forward compatibility: a table or column this version does not know, in a package from a
 * newer schema, is accepted and kept deferred on laptops (core/sync/apply.ts) until an upgrade
 * teaches it; at the same or an older schema it can only be a forgery and is refused. The
 * local tables (meta, the change log, sync bookkeeping) are never written by a package.
 */
import { parseSpec, type StorageClass } from '../../db/columns';
import { COLUMNS, SYNCED_TABLES } from '../../db/schema';
import type { SqlValue } from '../../db/write';
import type { WireChange } from './apply';
import { nameOfChange, quote } from './wireChange';

interface Column {
  type: StorageClass;
  nullable: boolean;
}

const SYNCED = new Set<string>(SYNCED_TABLES);
const tables = new Map<string, Map<string, Column>>(
  SYNCED_TABLES.map((t) => [t, new Map(Object.entries(COLUMNS[t]).map(([name, spec]) => [name, parseSpec(spec)]))]),
);
/** Tables of the local database that do not sync. */
const local = new Set(Object.keys(COLUMNS).filter((t) => !SYNCED.has(t)));

export interface ColumnProblem {
  reason: 'local_table' | 'unknown_table' | 'unknown_column' | 'bad_value';
  /** What is wrong, without naming the change. */
  detail: string;
  message: string;
}

const fits = (type: StorageClass, x: SqlValue): boolean =>
  type === 'text' ? typeof x === 'string' : type === 'integer' ? typeof x === 'number' && Number.isSafeInteger(x) : typeof x === 'number';

const TYPE_NAMES: Record<StorageClass, string> = { text: 'текст', integer: 'целое число', real: 'число' };

/**
 * Checks a change (already of the right shape, see wireChange.ts) against the schema;
 * `fromNewerSchema` when the package declares a schema newer than this version's.
 */
export function checkColumns(c: WireChange, fromNewerSchema: boolean): ColumnProblem | null {
  const columns = tables.get(c.t);
  if (columns) {
    // The common case in one pass with no allocation; explainColumns says what is wrong.
    for (const k in c.v) {
      const col = columns.get(k);
      const x = c.v[k];
      if (col === undefined ? !fromNewerSchema : x === null ? !col.nullable : !fits(col.type, x!)) return explainColumns(c, fromNewerSchema);
    }
    return null;
  }
  return explainColumns(c, fromNewerSchema);
}

function explainColumns(c: WireChange, fromNewerSchema: boolean): ColumnProblem | null {
  const problem = (reason: ColumnProblem['reason'], what: string): ColumnProblem => ({ reason, detail: what, message: `${nameOfChange(c)}: ${what}. Пакет не принят, ничего не изменено.` });
  const columns = tables.get(c.t);
  if (!columns) {
    if (local.has(c.t)) return problem('local_table', `таблица ${quote(c.t)} служебная и не передаётся между компьютерами`);
    return fromNewerSchema ? null : problem('unknown_table', `таблицы ${quote(c.t)} нет в схеме данных этой версии, а пакет создан не более новой версией`);
  }
  for (const k in c.v) {
    const col = columns.get(k);
    if (!col) {
      if (fromNewerSchema) continue;
      return problem('unknown_column', `поля ${quote(k)} нет в таблице ${c.t}, а пакет создан не более новой версией`);
    }
    const x = c.v[k] ?? null;
    if (x === null) {
      if (!col.nullable) return problem('bad_value', `поле ${k} обязательно, а изменение его стирает`);
    } else if (!fits(col.type, x)) {
      return problem('bad_value', `в поле ${k} должно быть ${TYPE_NAMES[col.type]}, а записано ${quote(x)}`);
    }
  }
  return null;
}
