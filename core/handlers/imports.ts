import { v7 as uuidv7 } from 'uuid';
import { getRow, insertRow, updateRow } from '../../db/write';
import { qb, type Store } from '../../db/store';
import type { ImportRequest, ImportResult, importsContract } from '../contract/imports';
import { planImport, type DistrictRows } from '../import/planImport';
import type { ImportWrite } from '../import/plan';
import { currentDistrictId } from './app';
import type { Handlers } from './types';

function districtRows(store: Store): DistrictRows {
  const districtId = currentDistrictId(store);
  return {
    districtId,
    districtName: getRow(store, 'districts', districtId)?.name ?? '',
    schools: store.all(qb.selectFrom('schools').selectAll().where('deleted_at', 'is', null)),
    people: store.all(qb.selectFrom('people').selectAll().where('deleted_at', 'is', null)),
    orders: store.all(qb.selectFrom('orders').selectAll().where('deleted_at', 'is', null)),
    assignments: store.all(qb.selectFrom('curator_assignments').selectAll().where('deleted_at', 'is', null)),
  };
}

function write(store: Store, w: ImportWrite): void {
  // The union narrows per table only inside a switch; each arm is one db/write call.
  switch (w.table) {
    case 'schools':
      if (w.op === 'insert') insertRow(store, 'schools', w.values);
      else updateRow(store, 'schools', w.id, w.patch);
      return;
    case 'people':
      if (w.op === 'insert') insertRow(store, 'people', w.values);
      else updateRow(store, 'people', w.id, w.patch);
      return;
    case 'orders':
      if (w.op === 'insert') insertRow(store, 'orders', w.values);
      else updateRow(store, 'orders', w.id, w.patch);
      return;
    case 'curator_assignments':
      if (w.op === 'insert') insertRow(store, 'curator_assignments', w.values);
      else updateRow(store, 'curator_assignments', w.id, w.patch);
      return;
  }
}

/**
 * The import as planned, written in the call's one transaction (core/callTransaction.ts): a
 * row refused in the preview is skipped, everything else lands together or not at all, and
 * one undo takes it all back. The plan is made again here from the same rows, so what is
 * written is what the district holds at this moment, not at the preview.
 */
function commit(req: ImportRequest, store: Store): ImportResult {
  const { preview, planned } = planImport(req, districtRows(store), uuidv7);
  const writes = planned.flatMap((r) => r.writes);
  for (const w of writes) write(store, w);
  return { counts: preview.counts, written: writes.length };
}

export const importsHandlers: Omit<Handlers<typeof importsContract>, 'imports.read' | 'imports.template'> = {
  'imports.preview': (req, { store }) => {
    let n = 0;
    return planImport(req, districtRows(store), () => `new-${++n}`).preview;
  },
  'imports.commitSchools': (req, { store }) => commit(req, store),
  'imports.commitPeople': (req, { store }) => commit(req, store),
  'imports.commitAssignments': (req, { store }) => commit(req, store),
};
