/**
 * Edits that met deletions (issue 12), listed under Синхронизация → Конфликты beside the
 * field conflicts. Both kinds are read from the synced state, not stored, so every replica
 * lists the same ones and a choice made on one laptop clears them everywhere:
 *
 * - «добавлено в удалённую …»: a live row inside a deleted one (core/rules/containment.ts)
 *   that the deletion had not seen — added or edited on another laptop at the same time. The
 *   deletion records the clock of every row inside it it had seen (`meta.k`, db/write.ts);
 *   a row absent from that record, or written past its clock, is such a row. Without a
 *   notice it would exist where no screen shows it. Choices: restore the deleted row, or
 *   delete this one too.
 * - «удаление отменено»: a row whose winning deletion a concurrent edit undid (apply.ts,
 *   settleDeletion): its tombstone stays while the row is live. Choices: delete it again, or
 *   keep it (a restore, which clears the tombstone on every replica).
 */
import type { Row, SyncedTable } from '../../db/schema';
import { SYNCED_TABLES } from '../../db/schema';
import type { Store } from '../../db/store';
import type { ChangeMeta } from '../../db/write';
import { CONTAINMENT, childrenOf } from '../rules/containment';

export interface DeletionConflict {
  kind: 'added_to_deleted' | 'deletion_undone';
  table: SyncedTable;
  rowId: string;
  /** added_to_deleted: the deleted row it is inside (the nearest deleted one). */
  parent: { table: SyncedTable; id: string } | null;
  /** When the deletion was made (its deleted_at). */
  deletedAt: string;
}

const PARENTS = [...new Set(CONTAINMENT.map((c) => c.parent))];

const sortKey = (c: DeletionConflict): string => `${c.table}\u0000${c.rowId}\u0000${c.kind}`;

/** Every edit that met a deletion, in the same order on every replica (by table, row, kind). */
export function deletionConflicts(store: Store): DeletionConflict[] {
  const out = [...addedToDeleted(store), ...deletionsUndone(store)];
  return out.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

function addedToDeleted(store: Store): DeletionConflict[] {
  const out = new Map<string, DeletionConflict>();
  for (const parent of PARENTS) {
    const deleted = store
      .prepare(
        `SELECT p.id, p.deleted_at, c.meta FROM ${parent} p JOIN sync_tombstones t ON t.tbl = ? AND t.row_id = p.id ` +
          `JOIN changes c ON c.tbl = t.tbl AND c.row_id = p.id AND c.hlc = t.hlc WHERE p.deleted_at IS NOT NULL`,
      )
      .all(parent) as { id: string; deleted_at: string; meta: string | null }[];
    for (const d of deleted) {
      const seen = d.meta ? (JSON.parse(d.meta) as ChangeMeta).k : undefined;
      // A deletion made before deletions recorded what they saw: nothing to compare with.
      if (!seen) continue;
      walk(store, parent, d.id, (table, id) => {
        const key = `${table}\u0000${id}`;
        const latest = latestClock(store, table, id);
        const had = seen[id];
        if ((had === undefined || latest > had) && !out.has(key)) out.set(key, { kind: 'added_to_deleted', table, rowId: id, parent: { table: parent, id: d.id }, deletedAt: d.deleted_at });
      });
    }
  }
  return [...out.values()];
}

/** Calls `visit` for every live row inside the row, through live rows only (a deleted one is in the trash with what it holds). */
function walk(store: Store, table: SyncedTable, id: string, visit: (table: SyncedTable, id: string) => void): void {
  for (const c of childrenOf(table)) {
    const rows = store.prepare(`SELECT id FROM ${c.child} WHERE "${c.column}" = ? AND deleted_at IS NULL`).all(id) as { id: string }[];
    for (const r of rows) {
      visit(c.child, r.id);
      walk(store, c.child, r.id, visit);
    }
  }
}

/** The row's highest field clock (as db/write.ts records it for a deletion's children). */
const latestClock = (store: Store, table: string, id: string): string =>
  (store.prepare('SELECT MAX(hlc) AS h FROM field_clocks WHERE tbl = ? AND row_id = ?').get(table, id) as { h: string | null }).h ?? '';

function deletionsUndone(store: Store): DeletionConflict[] {
  const out: DeletionConflict[] = [];
  for (const table of SYNCED_TABLES) {
    const rows = store
      .prepare(`SELECT x.id, t.value FROM ${table} x JOIN sync_tombstones t ON t.tbl = ? AND t.row_id = x.id WHERE x.deleted_at IS NULL`)
      .all(table) as (Pick<Row<'sync_tombstones'>, 'value'> & { id: string })[];
    for (const r of rows) out.push({ kind: 'deletion_undone', table, rowId: r.id, parent: null, deletedAt: r.value });
  }
  return out;
}
