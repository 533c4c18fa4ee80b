/**
 * THE permissions rule: who may do what, as one table of role × action × scope that the
 * renderer (hide or disable, the reason on hover), the handlers (refuse, nothing written)
 * and the regional server (refuse an incoming change, the other changes still apply) all
 * read — like CouchDB's validate_doc_update, one check wherever a change arrives.
 *
 * Pure: the caller brings the facts it has — the actor, the action, and for actions on a
 * school the school, that school's curator assignments and the day of the action in the
 * district's time zone (core/rules/today.ts). Whether an assignment covers that day is
 * core/rules/assignments.ts, never restated here.
 */
import type { CallName } from '../contract';
import type { Row, SyncedTable } from '../../db/schema';
import { formatDate } from '../format';
import { coversDay } from './assignments';

export const ROLES = ['coordinator', 'curator', 'viewer', 'region_admin', 'region_viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles of a district's accounts, who sign in on laptops (the region's sign in on the region page). */
export const DISTRICT_ROLES = ['coordinator', 'curator', 'viewer'] as const satisfies readonly Role[];
export type DistrictRole = (typeof DISTRICT_ROLES)[number];
export const isDistrictRole = (role: string): role is DistrictRole => (DISTRICT_ROLES as readonly string[]).includes(role);

export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  coordinator: 'муниципальный координатор',
  curator: 'куратор',
  viewer: 'наблюдатель',
  region_admin: 'региональный администратор',
  region_viewer: 'региональный координатор',
};

/** `any`: everywhere; `own_school`: only for a school assigned to the actor on the day of the action. */
export type Grant = 'any' | 'own_school';

interface Rule {
  /** What the action does, as an infinitive that starts the refusal: «Утверждать графики посещений может только …». */
  title: string;
  /** Roles not listed may not do it at all. */
  grants: Readonly<Partial<Record<Role, Grant>>>;
}

const all = { coordinator: 'any', curator: 'any', viewer: 'any', region_admin: 'any', region_viewer: 'any' } as const;
const coordinator = { coordinator: 'any' } as const;
const ownSchools = { coordinator: 'any', curator: 'own_school' } as const;
const fieldStaff = { coordinator: 'any', curator: 'any' } as const;

/** The table. The README shows it; test/unit/permissions.test.ts spells out every cell. */
export const PERMISSIONS = {
  read: { title: 'Просматривать данные', grants: all },
  'errors.report': { title: 'Сообщать об ошибках программы', grants: all },
  // Sign-in, sign-out, the lock, one's own password and a second account on the laptop: the keyring, not the district's data.
  'account.own': { title: 'Входить и управлять своей учётной записью на этом ноутбуке', grants: all },

  'schools.edit': { title: 'Изменять школы и их профили рисков', grants: coordinator },
  'people.edit': { title: 'Изменять список людей и их роли', grants: coordinator },
  'orders.edit': { title: 'Вносить приказы', grants: coordinator },
  'assignments.edit': { title: 'Закреплять кураторов за школами', grants: coordinator },
  'events.edit': { title: 'Вести мероприятия района', grants: coordinator },
  'muni.edit': { title: 'Изменять муниципальную дорожную карту', grants: coordinator },
  'settings.edit': { title: 'Менять настройки района', grants: coordinator },
  'district.setup': { title: 'Создавать район', grants: coordinator },
  'trash.restore': { title: 'Возвращать удалённое из корзины', grants: coordinator },
  'schedules.approve': { title: 'Утверждать графики посещений', grants: coordinator },

  'visits.edit': { title: 'Вести журнал посещений', grants: ownSchools },
  // A curator proposes the schedule of their own school; only the coordinator approves it.
  'schedules.edit': { title: 'Составлять графики посещений', grants: ownSchools },
  'programmes.edit': { title: 'Изменять программы, мероприятия и подтверждающие документы', grants: ownSchools },
  'evidence.verdict': { title: 'Выносить решение по подтверждающим документам', grants: ownSchools },
  'comments.add': { title: 'Оставлять комментарии', grants: ownSchools },
  'expertise.mark': { title: 'Ставить экспертные отметки', grants: ownSchools },

  sync: { title: 'Синхронизировать данные и разрешать конфликты', grants: fieldStaff },
  backups: { title: 'Создавать и восстанавливать резервные копии', grants: fieldStaff },
  // Each write an undo makes is checked again by the write guard, as the step's own writes were.
  undo: { title: 'Отменять и возвращать свои последние изменения', grants: fieldStaff },

  'region.reference': { title: 'Изменять справочники региона', grants: { region_admin: 'any' } },
  'region.manage': { title: 'Управлять районами, кодами и устройствами региона', grants: { region_admin: 'any' } },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/**
 * The action each call of the contract needs. Every call is listed (the type demands it), so
 * a new call cannot slip through; the test holds the calls mapped to `read` to a written list.
 */
export const ACTION_OF_CALL = {
  'app.info': 'read',
  // Answered by core/accounts, signed in or not: each checks what it needs itself.
  'auth.state': 'read',
  'auth.signIn': 'account.own',
  'auth.signOut': 'account.own',
  'auth.lock': 'account.own',
  'auth.createFirst': 'district.setup',
  'auth.addAccount': 'account.own',
  'auth.issueCode': 'people.edit',
  'auth.changePassword': 'account.own',
  'auth.setIdleMinutes': 'account.own',
  'auth.startOver': 'account.own',
  'app.createDistrict': 'district.setup',
  'app.loadDemo': 'district.setup',
  'app.updateSettings': 'settings.edit',
  'schoolBreaks.list': 'read',
  'schoolBreaks.save': 'settings.edit',
  'schoolBreaks.remove': 'settings.edit',
  'app.reportError': 'errors.report',
  'trash.list': 'read',
  // The bin holds rows of every kind; the coordinator keeps it.
  'trash.restore': 'trash.restore',
  'app.undo': 'undo',
  'app.redo': 'undo',

  'schools.list': 'read',
  'schools.filterOptions': 'read',
  'schools.get': 'read',
  'schools.create': 'schools.edit',
  'schools.update': 'schools.edit',
  'schools.delete': 'schools.edit',
  'riskFactors.list': 'read',
  'riskProfiles.save': 'schools.edit',
  'riskProfiles.delete': 'schools.edit',

  'people.list': 'read',
  'people.get': 'read',
  'people.create': 'people.edit',
  'people.update': 'people.edit',
  'people.delete': 'people.edit',
  'assignments.create': 'assignments.edit',
  'assignments.update': 'assignments.edit',
  'assignments.delete': 'assignments.edit',
  'assignments.overlaps': 'read',
  'orders.list': 'read',
  'orders.create': 'orders.edit',
  // An import writes schools, people, orders and assignments; the write guard checks each row's own action.
  'imports.read': 'read',
  'imports.template': 'read',
  'imports.preview': 'read',
  'imports.commitSchools': 'schools.edit',
  'imports.commitPeople': 'people.edit',
  'imports.commitAssignments': 'assignments.edit',

  'visits.list': 'read',
  'visits.get': 'read',
  'visits.save': 'visits.edit',
  'visits.saveDraft': 'visits.edit',
  'visits.delete': 'visits.edit',
  'visits.options': 'read',
  'visits.topicOptions': 'read',
  'visits.compliance': 'read',
  'visitSchedules.list': 'read',
  'visitSchedules.get': 'read',
  'visitSchedules.generate': 'schedules.edit',
  'visitSchedules.addDate': 'schedules.edit',
  'visitSchedules.moveDate': 'schedules.edit',
  'visitSchedules.removeDate': 'schedules.edit',
  'visitSchedules.restoreDate': 'schedules.edit',
  'visitSchedules.approve': 'schedules.approve',
  // Reopening takes the approval back: the approver's call.
  'visitSchedules.reopen': 'schedules.approve',
  'visitSchedules.delete': 'schedules.edit',
  'visitSchedules.restore': 'schedules.edit',

  'events.list': 'read',
  'events.get': 'read',
  'events.save': 'events.edit',
  'events.delete': 'events.edit',
  'calendar.list': 'read',
  'start.summary': 'read',

  'programmes.schools': 'read',
  'programmes.forSchool': 'read',
  'programmes.get': 'read',
  'programmes.create': 'programmes.edit',
  'programmes.createMissingArps': 'programmes.edit',
  'programmes.update': 'programmes.edit',
  'programmes.delete': 'programmes.edit',
  'programmeTasks.create': 'programmes.edit',
  'programmeTasks.update': 'programmes.edit',
  'programmeTasks.delete': 'programmes.edit',
  'measures.create': 'programmes.edit',
  'imports.roadmapPreview': 'read',
  'imports.roadmapCommit': 'programmes.edit',
  'measures.update': 'programmes.edit',
  'measures.delete': 'programmes.edit',
  'measures.byStatusDue': 'read',
  'evidence.list': 'read',
  'evidence.add': 'programmes.edit',
  'evidence.update': 'programmes.edit',
  'evidence.delete': 'programmes.edit',
  'evidence.download': 'read',
  'evidence.setVerdict': 'evidence.verdict',
  'comments.list': 'read',
  'comments.add': 'comments.add',

  'muni.get': 'read',
  'muni.createStandardSections': 'muni.edit',
  'muniSections.create': 'muni.edit',
  'muniSections.update': 'muni.edit',
  'muniSections.delete': 'muni.edit',
  'muniItems.create': 'muni.edit',
  'muniItems.update': 'muni.edit',
  'muniItems.delete': 'muni.edit',
  'muniReports.save': 'muni.edit',
  'imports.muniPreview': 'read',
  'imports.muniCommit': 'muni.edit',

  'sync.status': 'read',
  'sync.enrol': 'sync',
  'sync.enrolRequest': 'sync',
  'sync.enrolImport': 'sync',
  'sync.now': 'sync',
  'sync.export': 'sync',
  'sync.import': 'sync',
  'conflicts.list': 'read',
  // Picking the lost value writes that row; the hub checks the change by its table anyway.
  'conflicts.resolve': 'sync',

  'reports.options': 'read',
  'expertise.list': 'read',
  'expertise.sheet': 'read',
  'expertise.mark': 'expertise.mark',
  'expertise.overrideDue': 'expertise.mark',
  'monitoring.dashboard': 'read',
  'reports.preview': 'read',
  // Writes a file for the user, not the database.
  'reports.export': 'read',
  'reports.download': 'read',

  'backups.list': 'read',
  'backups.create': 'backups',
  'backups.restore': 'backups',
} as const satisfies Record<CallName, Action>;

/** The action a change to a row of each synced table needs: what the hub checks, change by change. */
export const ACTION_OF_TABLE = {
  regions: 'region.reference',
  risk_factors: 'region.reference',
  calendar_stages: 'region.reference',
  production_calendar: 'region.reference',
  districts: 'settings.edit',
  school_breaks: 'settings.edit',
  schools: 'schools.edit',
  risk_profiles: 'schools.edit',
  result_indicators: 'schools.edit',
  people: 'people.edit',
  orders: 'orders.edit',
  curator_assignments: 'assignments.edit',
  programmes: 'programmes.edit',
  programme_tasks: 'programmes.edit',
  measures: 'programmes.edit',
  evidence: 'programmes.edit',
  evidence_verdicts: 'evidence.verdict',
  comments: 'comments.add',
  expertise_marks: 'expertise.mark',
  visit_schedules: 'schedules.edit',
  scheduled_visits: 'schedules.edit',
  visits: 'visits.edit',
  visit_topics: 'visits.edit',
  visit_steps: 'visits.edit',
  muni_roadmap_sections: 'muni.edit',
  muni_roadmap_items: 'muni.edit',
  muni_roadmap_reports: 'muni.edit',
  events: 'events.edit',
  event_attendance: 'events.edit',
} as const satisfies Record<SyncedTable, Action>;

export interface Actor {
  role: Role;
  /** The person of the district the account belongs to; null for regional accounts. */
  personId: string | null;
}

export type AssignmentFacts = Pick<Row<'curator_assignments'>, 'curator_id' | 'school_id' | 'date_from' | 'date_to'> & {
  deleted_at?: string | null;
};

/** The facts an action on one school is decided by. */
export interface SchoolScope {
  schoolId: string;
  /** The curator assignments of that school (others are ignored), deleted ones included or not. */
  assignments: readonly AssignmentFacts[];
  /**
   * The day the action concerns, 'YYYY-MM-DD' in the district's time zone: a visit's own
   * date; for a verdict, comment, mark or edit, the day it is made.
   */
  day: string;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: Decision = { allowed: true };
const refuse = (reason: string): Decision => ({ allowed: false, reason });

export function grantOf(role: Role, action: Action): Grant | null {
  const grants: Partial<Record<Role, Grant>> = PERMISSIONS[action].grants;
  return grants[role] ?? null;
}

/** Whether the decision for this role needs a SchoolScope (the UI asks before it has one). */
export function needsSchool(role: Role, action: Action): boolean {
  return grantOf(role, action) === 'own_school';
}

/** Whether `personId` is a curator of the scope's school on the scope's day. */
export function isAssignedOn(personId: string, scope: SchoolScope): boolean {
  return scope.assignments.some((a) => a.school_id === scope.schoolId && a.curator_id === personId && coversDay(a, scope.day));
}

/** May `actor` do `action` (on the school of `scope`, for actions granted only for own schools)? */
export function decide(actor: Actor, action: Action, scope?: SchoolScope): Decision {
  const grant = grantOf(actor.role, action);
  if (grant === 'any') return ALLOWED;
  const rule: Rule = PERMISSIONS[action];
  if (grant === null) return refuse(`${rule.title} ${whoMay(rule)}.`);
  const what = lowerFirst(rule.title);
  if (!actor.personId) return refuse(`Учётная запись не связана с человеком из списка людей района, поэтому ${what} нельзя.`);
  if (!scope) return refuse(`Не указана школа: ${ROLE_NAMES[actor.role]} может ${what} только по своим школам.`);
  if (isAssignedOn(actor.personId, scope)) return ALLOWED;
  return refuse(`${upperFirst(ROLE_NAMES[actor.role])} может ${what} только по своим школам, а ${formatDate(scope.day)} эта школа за вами не закреплена.`);
}

/** «может только муниципальный координатор» / «могут только муниципальный координатор и куратор (по своим школам)». */
function whoMay(rule: Rule): string {
  const names = ROLES.flatMap((role) => {
    const grant = rule.grants[role];
    if (!grant) return [];
    return [grant === 'own_school' ? `${ROLE_NAMES[role]} (по своим школам)` : ROLE_NAMES[role]];
  });
  if (names.length === 1) return `может только ${names[0]}`;
  return `могут только ${names.slice(0, -1).join(', ')} и ${names[names.length - 1]}`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---- the school and the day a change of a row concerns (for the hub and for handlers) ----

/** Tables whose action some role may do only for its own schools: a change to them needs its school. */
export type SchoolScopedTable =
  | 'programmes'
  | 'programme_tasks'
  | 'measures'
  | 'evidence'
  | 'evidence_verdicts'
  | 'comments'
  | 'expertise_marks'
  | 'visit_schedules'
  | 'scheduled_visits'
  | 'visits'
  | 'visit_topics'
  | 'visit_steps';

type Column<T extends SchoolScopedTable> = keyof Row<T> & string;

/**
 * How a row leads to its school: a `school_id` on the row, or a reference to a parent row
 * whose school it shares (a comment's parent is named by its `target_table`).
 */
export type SchoolLink<T extends SchoolScopedTable> =
  | { column: Column<T> }
  | { via: Column<T>; parent: SchoolScopedTable }
  | { via: Column<T>; parentIn: Column<T> };

export const SCHOOL_OF_TABLE: { readonly [T in SchoolScopedTable]: SchoolLink<T> } = {
  programmes: { column: 'school_id' },
  visit_schedules: { column: 'school_id' },
  visits: { column: 'school_id' },
  programme_tasks: { via: 'programme_id', parent: 'programmes' },
  measures: { via: 'programme_id', parent: 'programmes' },
  expertise_marks: { via: 'programme_id', parent: 'programmes' },
  evidence: { via: 'measure_id', parent: 'measures' },
  evidence_verdicts: { via: 'evidence_id', parent: 'evidence' },
  comments: { via: 'target_id', parentIn: 'target_table' },
  scheduled_visits: { via: 'schedule_id', parent: 'visit_schedules' },
  visit_topics: { via: 'visit_id', parent: 'visits' },
  visit_steps: { via: 'visit_id', parent: 'visits' },
};

export function isSchoolScopedTable(table: string): table is SchoolScopedTable {
  return Object.prototype.hasOwnProperty.call(SCHOOL_OF_TABLE, table);
}

type AnyRow = Readonly<Record<string, unknown>>;
/** A row of the replica by table and id (the row as it will be after the change, when the change is to it). */
export type RowLookup = (table: SchoolScopedTable, id: string) => AnyRow | undefined;

/** Parent links are at most four deep (evidence_verdicts → evidence → measures → programmes). */
const MAX_DEPTH = 6;

/**
 * The school and the day a change to `row` of `table` concerns: the school through the
 * links above; the day is a visit's own date (for its topics and steps too), else `today`
 * (the day the change is made, in the district's zone). Null when the table is not
 * school-scoped or a link leads nowhere — a curator's change is then refused.
 * A change that moves a row to another school is checked for both: the row before and after.
 */
export function schoolAndDayOf(table: SchoolScopedTable, row: AnyRow, lookup: RowLookup, today: string): { schoolId: string; day: string } | null {
  let current: { table: SchoolScopedTable; row: AnyRow } = { table, row };
  let day = today;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (current.table === 'visits' && typeof current.row.date === 'string') day = current.row.date;
    const link: { column: string } | { via: string; parent: SchoolScopedTable } | { via: string; parentIn: string } = SCHOOL_OF_TABLE[current.table];
    if ('column' in link) {
      const schoolId = current.row[link.column];
      return typeof schoolId === 'string' ? { schoolId, day } : null;
    }
    const parentTable = 'parent' in link ? link.parent : current.row[link.parentIn];
    const parentId = current.row[link.via];
    if (typeof parentTable !== 'string' || !isSchoolScopedTable(parentTable) || typeof parentId !== 'string') return null;
    const parent = lookup(parentTable, parentId);
    if (!parent) return null;
    current = { table: parentTable, row: parent };
  }
  return null;
}

// ---- one change of a row: the action, the school before and after, the author ----

/**
 * Columns that name the person acting: a change that sets one to anybody but the signed-in
 * person is refused (the author is the session, never picked from a list). `curator` columns
 * bind only a curator: the coordinator logs visits and plans schedules for any curator.
 */
export const AUTHOR_COLUMNS: { readonly [T in SyncedTable]?: readonly { column: keyof Row<T> & string; curatorOnly?: true }[] } = {
  evidence_verdicts: [{ column: 'by_person_id' }],
  expertise_marks: [{ column: 'by_person_id' }],
  comments: [{ column: 'author_id' }],
  evidence: [{ column: 'uploaded_by' }, { column: 'verdict_by' }],
  visit_schedules: [{ column: 'approved_by' }, { column: 'curator_id', curatorOnly: true }],
  risk_profiles: [{ column: 'verified_by' }],
  visits: [{ column: 'curator_id', curatorOnly: true }],
};

/** Columns of a synced table whose change is a different action than the table's own (approving, the verdict on a document). */
const ACTION_OF_COLUMNS: { readonly [T in SyncedTable]?: { action: Action; columns: readonly (keyof Row<T> & string)[] } } = {
  visit_schedules: { action: 'schedules.approve', columns: ['approved', 'approved_by', 'approved_at'] },
  evidence: { action: 'evidence.verdict', columns: ['verdict', 'verdict_comment', 'verdict_by', 'verdict_at'] },
};

/** What decideChange reads besides the change: rows (as they will be after the changes before this one) and a school's assignments. */
export interface ChangeLookup {
  row: RowLookup;
  assignments(schoolId: string): readonly AssignmentFacts[];
}

const isSyncedTable = (table: string): table is SyncedTable => Object.prototype.hasOwnProperty.call(ACTION_OF_TABLE, table);

/**
 * May `actor` make this change to a row of `table`? `rowAfter` is the row as the change
 * leaves it, `rowBefore` as it was (undefined for a new row). The change needs its table's
 * action (or the approval's or the verdict's, when it touches those columns), for the row's
 * school before and after when the actor has the action only for own schools, and every
 * author column it sets must name the actor. Pure and synchronous: the hub checks each
 * incoming change with it, the laptop's write guard each local one.
 */
export function decideChange(actor: Actor, table: string, rowAfter: AnyRow, rowBefore: AnyRow | undefined, lookup: ChangeLookup, today: string): Decision {
  if (!isSyncedTable(table)) return refuse(`Изменения таблицы «${table}» сервер не принимает: такой таблицы нет в этой версии.`);
  const changed = (column: string) => !rowBefore || rowAfter[column] !== rowBefore[column];
  const special: { action: Action; columns: readonly string[] } | undefined = ACTION_OF_COLUMNS[table];
  const actions = new Set<Action>();
  // A new row approves or judges only when it is born approved or judged (a proposed schedule is born unapproved).
  const setsSpecial = (column: string) => (rowBefore ? changed(column) : !UNSET.has(rowAfter[column]));
  if (special?.columns.some(setsSpecial)) actions.add(special.action);
  // A change of only the special columns needs only their action (a coordinator approving needs no edit right).
  if (!special || !rowBefore || Object.keys(rowAfter).some((c) => changed(c) && !special.columns.includes(c) && !SYSTEM_COLUMNS.has(c))) actions.add(ACTION_OF_TABLE[table]);
  for (const action of actions) {
    const decision = decideOnSchools(actor, action, table, rowAfter, rowBefore, lookup, today);
    if (!decision.allowed) return decision;
  }
  const authors: readonly { column: string; curatorOnly?: true }[] = AUTHOR_COLUMNS[table] ?? [];
  for (const { column, curatorOnly } of authors) {
    const value = rowAfter[column];
    if (value === null || value === undefined || !changed(column) || (curatorOnly && actor.role !== 'curator')) continue;
    if (value !== actor.personId) {
      return refuse(curatorOnly ? 'Куратор может вести записи только от своего имени: в изменении указан другой куратор.' : 'В изменении автором указан другой человек: автором может быть только тот, кто вошёл в программу.');
    }
  }
  return ALLOWED;
}

/** Values of an approval or a verdict column that say «not yet»: not approved, no verdict. */
const UNSET = new Set<unknown>([null, undefined, 0, '', 'pending']);

/** Bookkeeping columns every change writes: they are not an edit of their own. */
const SYSTEM_COLUMNS = new Set(['id', 'created_at', 'updated_at']);

function decideOnSchools(actor: Actor, action: Action, table: SyncedTable, rowAfter: AnyRow, rowBefore: AnyRow | undefined, lookup: ChangeLookup, today: string): Decision {
  if (!needsSchool(actor.role, action) || !isSchoolScopedTable(table)) return decide(actor, action);
  const after = schoolAndDayOf(table, rowAfter, lookup.row, today);
  // No school after the change: refused («Не указана школа»).
  const scopes = [after ?? undefined];
  // A row moved to another school (or a visit to another day) must have been the actor's where it was, too.
  const before = rowBefore ? schoolAndDayOf(table, rowBefore, lookup.row, today) : null;
  if (before && (before.schoolId !== after?.schoolId || before.day !== after.day)) scopes.push(before);
  for (const found of scopes) {
    const decision = decide(actor, action, found && { ...found, assignments: lookup.assignments(found.schoolId) });
    if (!decision.allowed) return decision;
  }
  return ALLOWED;
}
