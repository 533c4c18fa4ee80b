/**
 * The permissions rule on every local write: the same decideChange the regional server runs
 * on every incoming change (core/rules/permissions.ts), with the rows and assignments of this
 * laptop's database, so a change the hub would refuse is refused here first, with the same
 * Russian reason, and nothing is written.
 */
import { AppError } from '../../db/errors';
import { qb, type Store } from '../../db/store';
import { getRow } from '../../db/write';
import { decideChange, type ChangeLookup } from '../rules/permissions';
import { todayOf } from '../localDay';

export function installWriteGuard(store: Store): void {
  const lookup: ChangeLookup = {
    row: (table, id) => getRow(store, table, id),
    assignments: (schoolId) => store.all(qb.selectFrom('curator_assignments').select(['curator_id', 'school_id', 'date_from', 'date_to', 'deleted_at']).where('school_id', '=', schoolId)),
  };
  store.guard = (table, rowAfter, rowBefore) => {
    const session = store.session;
    if (!session) return;
    const decision = decideChange({ role: session.role, personId: session.personId }, table, rowAfter, rowBefore, lookup, todayOf(store));
    if (!decision.allowed) throw new AppError('forbidden', decision.reason);
  };
}
