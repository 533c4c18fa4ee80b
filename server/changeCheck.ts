/**
 * The hub's check of every change of a pushed package (issue 10), as CouchDB runs
 * validate_doc_update on every replicated document: first its author — the account the change
 * names must be bound to the device that signed the package — then the permissions rule
 * (core/rules/permissions.ts, decideChange) with that account's role and person, reading the
 * rows the change concerns in the district's replica (server/readModel.ts) overlaid with the
 * rows the same package wrote before it. A refused change is not stored or relayed; the
 * other changes of the package still apply.
 */
import { SYNCED_TABLES, type SyncedTable } from '../db/schema';
import type { Store } from '../db/store';
import type { WireChange } from '../core/sync/apply';
import { timeZoneOf } from '../core/localDay';
import { decideChange, type AssignmentFacts, type ChangeLookup } from '../core/rules/permissions';
import { todayIn } from '../core/rules/today';
import type { DistrictRole } from './schema';

export const UNCONFIRMED_AUTHOR = 'Автор изменения не подтверждён для этого устройства.';

/** An account bound to the device, not revoked, of the device's district. */
export interface BoundAccount {
  id: string;
  role: DistrictRole;
  personId: string | null;
}

export interface RefusedChange {
  change: WireChange;
  accountId: string | null;
  reason: string;
}

/** A change whose author is confirmed, waiting for the permissions rule. */
export interface AuthoredChange {
  change: WireChange;
  account: BoundAccount;
}

/**
 * Sorts a package's changes by their author: a change naming an account bound to the device
 * goes on to the permissions rule; so does a change with no author from a device with exactly
 * one active account (the key that signed it speaks for that account only: a laptop whose user
 * has not set a password yet); a change with no author from a device that never had a bound
 * account (enrolled before accounts: the upgrade path) is accepted as before; any other is
 * refused as unconfirmed.
 */
export function sortByAuthor(
  changes: readonly WireChange[],
  accounts: ReadonlyMap<string, BoundAccount>,
  legacyDevice: boolean,
): { unchecked: WireChange[]; toCheck: AuthoredChange[]; refused: RefusedChange[] } {
  const out = { unchecked: [] as WireChange[], toCheck: [] as AuthoredChange[], refused: [] as RefusedChange[] };
  const only = accounts.size === 1 ? [...accounts.values()][0] : undefined;
  for (const c of changes) {
    const account = c.a === undefined ? only : accounts.get(c.a);
    if (account) out.toCheck.push({ change: c, account });
    else if (c.a === undefined && legacyDevice) out.unchecked.push(c);
    else out.refused.push({ change: c, accountId: c.a ?? null, reason: UNCONFIRMED_AUTHOR });
  }
  return out;
}

type AnyRow = Record<string, unknown>;

const SYNCED = new Set<string>(SYNCED_TABLES);
const isSynced = (t: string): t is SyncedTable => SYNCED.has(t);

/**
 * The rows a package's checks read: the replica's, cached for the package, under the rows the
 * package's allowed changes wrote; a school's assignments read once per school.
 */
class PackageRows implements ChangeLookup {
  private readonly rows = new Map<string, AnyRow | undefined>();
  /** Assignment rows the package wrote, by id: they replace or add to the replica's. */
  private readonly assignmentWrites = new Map<string, AnyRow>();
  private readonly bySchool = new Map<string, readonly AssignmentFacts[]>();

  constructor(private readonly replica: Store) {}

  readonly row = (table: string, id: string): AnyRow | undefined => {
    const key = `${table}\u0000${id}`;
    if (this.rows.has(key)) return this.rows.get(key);
    const found = isSynced(table) ? (this.replica.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as AnyRow | undefined) : undefined;
    this.rows.set(key, found);
    return found;
  };

  readonly assignments = (schoolId: string): readonly AssignmentFacts[] => {
    let list = this.bySchool.get(schoolId);
    if (!list) {
      const stored = this.replica
        .prepare('SELECT id, curator_id, school_id, date_from, date_to, deleted_at FROM curator_assignments WHERE school_id = ?')
        .all(schoolId) as AnyRow[];
      const merged = new Map(stored.map((a) => [a.id, a]));
      for (const [id, a] of this.assignmentWrites) merged.set(id, a);
      list = [...merged.values()].filter((a) => a.school_id === schoolId) as unknown as AssignmentFacts[];
      this.bySchool.set(schoolId, list);
    }
    return list;
  };

  write(table: string, id: string, row: AnyRow): void {
    this.rows.set(`${table}\u0000${id}`, row);
    if (table === 'curator_assignments') {
      this.assignmentWrites.set(id, row);
      this.bySchool.clear();
    }
  }
}

/**
 * Decides each authored change in package order on the district's replica (up to date) on
 * `today` in the district's zone; returns the refused ones with their reasons.
 */
export function checkPermissions(replica: Store, changes: readonly AuthoredChange[], now = new Date()): RefusedChange[] {
  const rows = new PackageRows(replica);
  const today = todayIn(timeZoneOf(replica), now);
  const refused: RefusedChange[] = [];
  for (const { change: c, account } of changes) {
    // A table of a newer version (the package declared its schema): this version cannot judge
    // it and its laptops keep it deferred, so it is relayed as before rather than refused.
    if (!isSynced(c.t)) continue;
    const before = rows.row(c.t, c.r);
    const after: AnyRow = { ...before, ...c.v, id: c.r };
    const decision = decideChange({ role: account.role, personId: account.personId }, c.t, after, before, rows, today);
    if (decision.allowed) rows.write(c.t, c.r, after);
    else refused.push({ change: c, accountId: account.id, reason: decision.reason });
  }
  return refused;
}
