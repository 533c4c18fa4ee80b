import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { AppError } from '../../db/errors';
import { unpackHlc } from '../../db/hlc';
import { getMeta, setMeta } from '../../db/replica';
import { SYNCED_TABLES, type SyncedTable } from '../../db/schema';
import type { Store } from '../../db/store';
import { getRow, resolveField, restoreRow, softDelete } from '../../db/write';
import { ensureReferenceData } from '../referenceData';
import type { ConflictView, DeletionConflictView, syncContract } from '../contract/sync';
import { openConflicts } from '../sync/apply';
import { deletionConflicts, type DeletionConflict } from '../sync/deletionConflicts';
import { enrolHttp, syncHttp, syncState } from '../sync/client';
import { buildEnrolRequest, importEnrolReply } from '../sync/enrolFile.node';
import { massDeletionMessage } from '../rules/massDelete';
import { buildOutgoing, importPackage, outgoingMassDeletion, pendingCount } from '../sync/local.node';
import { SyncRefusal } from '../sync/package.node';
import { linkHubRegion } from '../sync/region';
import type { Handlers } from './types';

const TITLE_COLUMNS = ['short_name', 'title', 'name', 'description', 'number', 'date', 'text', 'body'];

function rowTitle(row: Record<string, unknown> | undefined): string {
  if (!row) return '';
  if (typeof row.last_name === 'string') return `${row.last_name} ${typeof row.first_name === 'string' ? row.first_name : ''}`.trim();
  for (const c of TITLE_COLUMNS) if (typeof row[c] === 'string' && row[c]) return String(row[c]).slice(0, 120);
  return String(row.id ?? '');
}

const clockTime = (h: string): string | null => {
  try {
    return new Date(unpackHlc(h).ms).toISOString();
  } catch {
    return null;
  }
};

const DELETION_CONFLICT_NS = '7c1f0e2a-41d5-4c1e-9a0b-500500500512';
const deletionConflictId = (c: DeletionConflict): string => uuidv5(`${c.kind}|${c.table}|${c.rowId}`, DELETION_CONFLICT_NS);

function deletionView(store: Store, c: DeletionConflict): DeletionConflictView {
  const title = (table: SyncedTable, id: string) => rowTitle(getRow(store, table, id) as Record<string, unknown> | undefined);
  return {
    kind: c.kind,
    id: deletionConflictId(c),
    table: c.table,
    rowId: c.rowId,
    rowTitle: title(c.table, c.rowId),
    parent: c.parent ? { ...c.parent, title: title(c.parent.table, c.parent.id) } : null,
    deletedAt: c.deletedAt,
  };
}

/**
 * Added to a deleted row: «восстановить» restores the deleted one, «удалить тоже» deletes this
 * one. A deletion undone: «оставить» keeps the row (a restore that settles the deletion
 * everywhere), «удалить снова» deletes it.
 */
function settleDeletionConflict(store: Store, c: DeletionConflict, pick: 'current' | 'lost' | 'restore' | 'delete'): void {
  if (pick === 'delete') softDelete(store, c.table, c.rowId);
  else if (pick === 'restore') restoreRow(store, c.parent?.table ?? c.table, c.parent?.id ?? c.rowId);
  else throw new AppError('bad_pick', 'Для удалённой записи выберите «восстановить» или «удалить».');
}

const refusalAsError = <T>(fn: () => T): T => {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SyncRefusal) throw new AppError(e.reason, e.message);
    throw e;
  }
};

const hasDistrict = (store: Store): boolean => {
  const id = getMeta(store, 'district_id');
  return !!id && !!getRow(store, 'districts', id);
};

/**
 * An empty laptop that joined a district (first-run screen) gets the district with its
 * first sync or imported package. Enrolment sets `district_id` when the server knows the
 * district's data id; when it does not (the district was created on a laptop after others
 * enrolled), the one district that arrived is taken. Then the shipped reference data is
 * added, as creating a district does, and the app leaves the first-run screen.
 */
function adoptDistrict(store: Store, hadDistrict: boolean): void {
  if (linkHubRegion(store)) store.touched.add('districts');
  if (hadDistrict) return;
  store.tx(() => {
    if (!getMeta(store, 'district_id')) {
      const live = store.prepare('SELECT id FROM districts WHERE deleted_at IS NULL').all() as { id: string }[];
      if (live.length === 1) setMeta(store, 'district_id', live[0]!.id);
    }
    if (hasDistrict(store)) {
      ensureReferenceData(store);
      linkHubRegion(store);
      store.touched.add('districts');
    }
  });
}

export const syncHandlers: Handlers<typeof syncContract> = {
  'sync.status': (_i, { store }) => syncState(store),

  'sync.enrol': async (input, ctx) => {
    const state = await enrolHttp(ctx.store, input.serverUrl, input.code, input.name || os.hostname());
    ctx.emit({ type: 'sync.state', state });
    return state;
  },

  'sync.enrolRequest': (input, { store, dataDir }) => {
    const { bytes } = refusalAsError(() => buildEnrolRequest(store, input.code, input.name || os.hostname()));
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const fileName = `запрос-подключения-${stamp}.shnor-enrol`;
    const dir = path.join(dataDir, 'packages');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, fileName);
    fs.writeFileSync(file, bytes);
    return { fileName, path: file, size: bytes.length, base64: Buffer.from(bytes).toString('base64') };
  },

  'sync.enrolImport': (input, ctx) => {
    const bytes = new Uint8Array(Buffer.from(input.base64, 'base64'));
    const hadDistrict = hasDistrict(ctx.store);
    const r = refusalAsError(() =>
      importEnrolReply(ctx.store, ctx.dataDir, bytes, {
        onProgress: (done, total) => ctx.emit({ type: 'progress', task: 'sync.import', done, total, label: 'Загрузка района' }),
      }),
    );
    adoptDistrict(ctx.store, hadDistrict);
    ctx.emit({ type: 'sync.state', state: syncState(ctx.store) });
    return { applied: r.applied, deferred: r.deferred, state: syncState(ctx.store) };
  },

  'sync.now': async (input, ctx) => {
    const hadDistrict = hasDistrict(ctx.store);
    const r = await syncHttp(ctx, { confirmMassDelete: input.confirmMassDelete });
    adoptDistrict(ctx.store, hadDistrict);
    return { applied: r.applied, deferred: r.deferred, state: syncState(ctx.store) };
  },

  'sync.export': (input, { store, dataDir }) => {
    if (!input.confirmMassDelete) {
      const n = outgoingMassDeletion(store);
      if (n) throw new AppError('mass_delete', massDeletionMessage(n.deleted, n.live, 'выгрузите пакет снова'));
    }
    const bytes = refusalAsError(() => buildOutgoing(store, dataDir, { confirmMassDelete: input.confirmMassDelete }));
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const fileName = `пакет-${stamp}.shnor`;
    const dir = path.join(dataDir, 'packages');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, fileName);
    fs.writeFileSync(file, bytes);
    return { fileName, path: file, size: bytes.length, base64: Buffer.from(bytes).toString('base64'), changes: pendingCount(store) };
  },

  'sync.import': (input, ctx) => {
    const bytes = new Uint8Array(Buffer.from(input.base64, 'base64'));
    const hadDistrict = hasDistrict(ctx.store);
    const r = refusalAsError(() =>
      importPackage(ctx.store, ctx.dataDir, bytes, {
        confirmMassDelete: input.confirmMassDelete,
        onProgress: (done, total) => ctx.emit({ type: 'progress', task: 'sync.import', done, total, label: 'Загрузка пакета' }),
      }),
    );
    adoptDistrict(ctx.store, hadDistrict);
    ctx.emit({ type: 'sync.state', state: syncState(ctx.store) });
    return { applied: r.applied, deferred: r.deferred, state: syncState(ctx.store) };
  },

  'conflicts.list': (_i, { store }): ConflictView[] => [
    ...openConflicts(store).map((c): ConflictView => ({
      kind: 'field',
      id: c.id,
      table: c.tbl,
      rowId: c.row_id,
      rowTitle: rowTitle(getRow(store, c.tbl as SyncedTable, c.row_id) as Record<string, unknown> | undefined),
      column: c.col,
      current: c.current,
      lost: c.lost,
      lostAt: clockTime(c.lost_hlc),
      currentAt: clockTime(c.current_hlc),
    })),
    ...deletionConflicts(store).map((c) => deletionView(store, c)),
  ],

  'conflicts.resolve': (input, { store }) => {
    const met = deletionConflicts(store).find((x) => deletionConflictId(x) === input.id);
    if (met) {
      settleDeletionConflict(store, met, input.pick);
      return null;
    }
    const c = openConflicts(store).find((x) => x.id === input.id);
    if (!c) throw new AppError('not_found', 'Конфликт уже решён или не найден.');
    if (input.pick !== 'current' && input.pick !== 'lost') throw new AppError('bad_pick', 'Для конфликта правок выберите одно из двух значений.');
    if (!(SYNCED_TABLES as readonly string[]).includes(c.tbl)) throw new AppError('bad_table', 'Неизвестная таблица.');
    resolveField(store, c.tbl as SyncedTable, c.row_id, c.col, input.pick === 'lost' ? c.lost : c.current, [c.lost_hlc]);
    return null;
  },
};
