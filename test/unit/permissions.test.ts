import { describe, expect, it } from 'vitest';
import { contract } from '../../core/contract';
import { COLUMNS, REGION_TABLES, SYNCED_TABLES } from '../../db/schema';
import {
  ACTION_OF_CALL,
  ACTION_OF_TABLE,
  ACTIONS,
  AUTHOR_COLUMNS,
  decide,
  decideChange,
  needsSchool,
  ROLES,
  SCHOOL_OF_TABLE,
  schoolAndDayOf,
  type Action,
  type Actor,
  type AssignmentFacts,
  type ChangeLookup,
  type Role,
  type RowLookup,
  type SchoolScope,
  type SchoolScopedTable,
} from '../../core/rules/permissions';

// ---- the district the cases act in ----

const CURATOR = '0190a000-0000-7000-8000-000000000001';
const OTHER_CURATOR = '0190a000-0000-7000-8000-000000000002';
const COORDINATOR = '0190a000-0000-7000-8000-000000000003';
const VIEWER = '0190a000-0000-7000-8000-000000000004';
const OWN = '0190b000-0000-7000-8000-00000000000a';
const OTHERS = '0190b000-0000-7000-8000-00000000000b';
const UNASSIGNED = '0190b000-0000-7000-8000-00000000000c';
const SHARED = '0190b000-0000-7000-8000-00000000000d';

const FIRST_DAY = '2024-01-10';
const LAST_DAY = '2024-06-30';

const assigned = (curator_id: string, school_id: string, date_to: string | null = LAST_DAY): AssignmentFacts => ({
  curator_id,
  school_id,
  date_from: FIRST_DAY,
  date_to,
});

const ownSchool = [assigned(CURATOR, OWN)];
const othersSchool = [assigned(OTHER_CURATOR, OTHERS)];
const sharedSchool = [assigned(OTHER_CURATOR, SHARED, null), assigned(CURATOR, SHARED)];

/** The scopes every action is decided in, in the column order of EXPECTED below. */
const SCOPES = {
  own: { schoolId: OWN, assignments: ownSchool, day: '2024-03-01' },
  other: { schoolId: OTHERS, assignments: othersSchool, day: '2024-03-01' },
  before: { schoolId: OWN, assignments: ownSchool, day: '2024-01-09' },
  first: { schoolId: OWN, assignments: ownSchool, day: FIRST_DAY },
  last: { schoolId: OWN, assignments: ownSchool, day: LAST_DAY },
  after: { schoolId: OWN, assignments: ownSchool, day: '2024-07-01' },
  none: { schoolId: UNASSIGNED, assignments: [], day: '2024-03-01' },
  two: { schoolId: SHARED, assignments: sharedSchool, day: '2024-03-01' },
} satisfies Record<string, SchoolScope>;
type ScopeName = keyof typeof SCOPES;
const SCOPE_ORDER = Object.keys(SCOPES) as ScopeName[];

const ACTORS: Record<Role, Actor> = {
  coordinator: { role: 'coordinator', personId: COORDINATOR },
  curator: { role: 'curator', personId: CURATOR },
  viewer: { role: 'viewer', personId: VIEWER },
  region_admin: { role: 'region_admin', personId: null },
  region_viewer: { role: 'region_viewer', personId: null },
};

/**
 * Every cell of the table: per action and role, one letter per scope in the order
 *   own · other · before · first · last · after · none · two
 * (Y allowed, N refused).
 */
const ALL = 'YYYYYYYY';
const NONE = 'NNNNNNNN';
const OWN_DAYS = 'YNNYYNNY';
type Row = Record<Role, string>;
const onlyCoordinator: Row = { coordinator: ALL, curator: NONE, viewer: NONE, region_admin: NONE, region_viewer: NONE };
const curatorOwnSchools: Row = { coordinator: ALL, curator: OWN_DAYS, viewer: NONE, region_admin: NONE, region_viewer: NONE };
const fieldStaff: Row = { coordinator: ALL, curator: ALL, viewer: NONE, region_admin: NONE, region_viewer: NONE };
const onlyRegionAdmin: Row = { coordinator: NONE, curator: NONE, viewer: NONE, region_admin: ALL, region_viewer: NONE };
const everyone: Row = { coordinator: ALL, curator: ALL, viewer: ALL, region_admin: ALL, region_viewer: ALL };

const EXPECTED: Record<Action, Row> = {
  read: everyone,
  'errors.report': everyone,
  'account.own': everyone,
  'schools.edit': onlyCoordinator,
  'people.edit': onlyCoordinator,
  'orders.edit': onlyCoordinator,
  'assignments.edit': onlyCoordinator,
  'events.edit': onlyCoordinator,
  'muni.edit': onlyCoordinator,
  'settings.edit': onlyCoordinator,
  'district.setup': onlyCoordinator,
  'trash.restore': onlyCoordinator,
  'schedules.approve': onlyCoordinator,
  'visits.edit': curatorOwnSchools,
  'schedules.edit': curatorOwnSchools,
  'programmes.edit': curatorOwnSchools,
  'evidence.verdict': curatorOwnSchools,
  'comments.add': curatorOwnSchools,
  'expertise.mark': curatorOwnSchools,
  sync: fieldStaff,
  backups: fieldStaff,
  undo: fieldStaff,
  'region.reference': onlyRegionAdmin,
  'region.manage': onlyRegionAdmin,
};

describe('permissions: every role × action × scope', () => {
  it('the expectations cover exactly the actions of the table', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  const cases = ACTIONS.flatMap((action) =>
    ROLES.flatMap((role) => SCOPE_ORDER.map((scope, i) => ({ action, role, scope, allowed: EXPECTED[action][role][i] === 'Y' }))),
  );

  it.each(cases)('$role · $action · $scope → allowed: $allowed', ({ action, role, scope, allowed }) => {
    const decision = decide(ACTORS[role], action, SCOPES[scope]);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toMatch(/^[А-ЯЁ].*[а-яё)]\.$/);
  });
});

describe('permissions: the curator of a school', () => {
  it('two curators on one school may both act for it; a third may not', () => {
    expect(decide({ role: 'curator', personId: CURATOR }, 'evidence.verdict', SCOPES.two)).toEqual({ allowed: true });
    expect(decide({ role: 'curator', personId: OTHER_CURATOR }, 'evidence.verdict', SCOPES.two)).toEqual({ allowed: true });
    expect(decide({ role: 'curator', personId: VIEWER }, 'evidence.verdict', SCOPES.two).allowed).toBe(false);
  });

  it('an open-ended assignment covers every day from its first', () => {
    const scope = { ...SCOPES.two, day: '2031-12-31' };
    expect(decide({ role: 'curator', personId: OTHER_CURATOR }, 'visits.edit', scope)).toEqual({ allowed: true });
    expect(decide({ role: 'curator', personId: CURATOR }, 'visits.edit', scope).allowed).toBe(false);
  });

  it('a deleted assignment gives nothing', () => {
    const scope = { ...SCOPES.own, assignments: [{ ...assigned(CURATOR, OWN), deleted_at: '2024-02-01T10:00:00.000Z' }] };
    expect(decide(ACTORS.curator, 'comments.add', scope).allowed).toBe(false);
  });

  it('an assignment to another school in the list does not count for this one', () => {
    const scope = { ...SCOPES.other, assignments: [...othersSchool, assigned(CURATOR, OWN)] };
    expect(decide(ACTORS.curator, 'comments.add', scope).allowed).toBe(false);
  });

  it('says why, with the day of the action', () => {
    expect(decide(ACTORS.curator, 'evidence.verdict', SCOPES.after)).toEqual({
      allowed: false,
      reason: 'Куратор может выносить решение по подтверждающим документам только по своим школам, а 01.07.2024 эта школа за вами не закреплена.',
    });
  });

  it('without a school or a person it refuses and says which is missing', () => {
    expect(decide(ACTORS.curator, 'visits.edit')).toEqual({
      allowed: false,
      reason: 'Не указана школа: куратор может вести журнал посещений только по своим школам.',
    });
    expect(decide({ role: 'curator', personId: null }, 'visits.edit', SCOPES.own)).toEqual({
      allowed: false,
      reason: 'Учётная запись не связана с человеком из списка людей района, поэтому вести журнал посещений нельзя.',
    });
  });

  it('needsSchool tells the UI when the school decides', () => {
    expect(needsSchool('curator', 'evidence.verdict')).toBe(true);
    expect(needsSchool('coordinator', 'evidence.verdict')).toBe(false);
    expect(needsSchool('viewer', 'evidence.verdict')).toBe(false);
    expect(decide(ACTORS.coordinator, 'evidence.verdict')).toEqual({ allowed: true });
  });
});

describe('permissions: the reasons name who may', () => {
  it('a coordinator-only action', () => {
    expect(decide(ACTORS.curator, 'people.edit')).toEqual({
      allowed: false,
      reason: 'Изменять список людей и их роли может только муниципальный координатор.',
    });
  });
  it('an action of the coordinator and the curators of the school', () => {
    expect(decide(ACTORS.viewer, 'evidence.verdict', SCOPES.own)).toEqual({
      allowed: false,
      reason: 'Выносить решение по подтверждающим документам могут только муниципальный координатор и куратор (по своим школам).',
    });
  });
  it('region reference data', () => {
    expect(decide(ACTORS.coordinator, 'region.reference')).toEqual({
      allowed: false,
      reason: 'Изменять справочники региона может только региональный администратор.',
    });
  });
});

// ---- completeness: a new call or table cannot be forgotten ----

/** The calls that change nothing: written out, so a writing call cannot be mapped to `read` unnoticed. */
const READ_CALLS = [
  'app.info',
  'auth.state',
  'trash.list',
  'schools.list',
  'schools.filterOptions',
  'schools.get',
  'riskFactors.list',
  'people.list',
  'people.get',
  'orders.list',
  'assignments.overlaps',
  'visits.list',
  'visits.get',
  'visits.options',
  'visits.topicOptions',
  'visits.compliance',
  'visitSchedules.list',
  'visitSchedules.get',
  'events.list',
  'events.get',
  'calendar.list',
  'schoolBreaks.list',
  'start.summary',
  'programmes.schools',
  'programmes.forSchool',
  'programmes.get',
  'measures.byStatusDue',
  'evidence.list',
  'evidence.download',
  'comments.list',
  'muni.get',
  'imports.read',
  'imports.preview',
  'imports.template',
  'imports.roadmapPreview',
  'imports.muniPreview',
  'sync.status',
  'conflicts.list',
  'reports.options',
  'expertise.list',
  'expertise.sheet',
  'monitoring.dashboard',
  'reports.preview',
  'reports.export',
  'reports.download',
  'backups.list',
];

const WRITING_VERB = /^(create|update|delete|save|add|set|approve|reopen|restore|generate|move|remove|mark|resolve|enrol|import|load|now|export)/;

describe('permissions: every call of the contract has its action', () => {
  it('ACTION_OF_CALL lists exactly the calls of the contract', () => {
    expect(Object.keys(ACTION_OF_CALL).sort()).toEqual(Object.keys(contract).sort());
  });

  it('the calls mapped to read are exactly the calls that change nothing', () => {
    const reads = Object.entries(ACTION_OF_CALL).filter(([, action]) => action === 'read').map(([name]) => name);
    expect(reads.sort()).toEqual([...READ_CALLS].sort());
  });

  it('a call named with a writing verb needs more than read (reports.export writes only a file)', () => {
    const writing = Object.keys(contract).filter((name) => WRITING_VERB.test(name.split('.')[1]!) && name !== 'reports.export');
    expect(writing.length).toBeGreaterThan(50);
    for (const name of writing) expect([name, ACTION_OF_CALL[name as keyof typeof ACTION_OF_CALL]]).not.toEqual([name, 'read']);
  });
});

describe('permissions: every synced table has the action a change to it needs', () => {
  it('ACTION_OF_TABLE lists exactly the synced tables, none of them open to every reader', () => {
    expect(Object.keys(ACTION_OF_TABLE).sort()).toEqual([...SYNCED_TABLES].sort());
    for (const table of SYNCED_TABLES) expect([table, grantedToViewer(ACTION_OF_TABLE[table])]).toEqual([table, false]);
  });

  it('the region’s reference tables, and only they, need the region’s action', () => {
    const regional = SYNCED_TABLES.filter((t) => ACTION_OF_TABLE[t] === 'region.reference');
    expect(regional.sort()).toEqual([...REGION_TABLES].sort());
  });

  it('every action of the table is needed by some call, table or the region page', () => {
    const used = new Set<Action>([...Object.values(ACTION_OF_CALL), ...Object.values(ACTION_OF_TABLE), 'region.manage']);
    expect(ACTIONS.filter((a) => !used.has(a))).toEqual([]);
  });

  it('what the hub refuses: a curator’s verdict on another school, a viewer’s edit, a curator editing people or orders', () => {
    expect(decide(ACTORS.curator, ACTION_OF_TABLE.evidence_verdicts, SCOPES.other).allowed).toBe(false);
    expect(decide(ACTORS.curator, ACTION_OF_TABLE.evidence_verdicts, SCOPES.own).allowed).toBe(true);
    expect(decide(ACTORS.viewer, ACTION_OF_TABLE.measures, SCOPES.own).allowed).toBe(false);
    expect(decide(ACTORS.curator, ACTION_OF_TABLE.people).allowed).toBe(false);
    expect(decide(ACTORS.curator, ACTION_OF_TABLE.orders).allowed).toBe(false);
    expect(decide(ACTORS.curator, ACTION_OF_TABLE.curator_assignments).allowed).toBe(false);
  });
});

describe('permissions: the school and the day a change concerns', () => {
  it('every table some role may change only for its own schools leads to a school', () => {
    const scoped = SYNCED_TABLES.filter((t) => ROLES.some((role) => needsSchool(role, ACTION_OF_TABLE[t])));
    expect(Object.keys(SCHOOL_OF_TABLE).sort()).toEqual([...scoped].sort());
  });

  const id = (n: number) => `0190c000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const rows: Record<string, Record<string, Record<string, unknown>>> = {
    programmes: { [id(1)]: { id: id(1), school_id: OWN } },
    measures: { [id(2)]: { id: id(2), programme_id: id(1) } },
    evidence: { [id(3)]: { id: id(3), measure_id: id(2) } },
    visits: { [id(4)]: { id: id(4), school_id: OTHERS, date: '2024-02-15' } },
    visit_schedules: { [id(5)]: { id: id(5), school_id: SHARED } },
  };
  const lookup: RowLookup = (table: SchoolScopedTable, rowId: string) => rows[table]?.[rowId];
  const today = '2024-03-20';

  it.each([
    ['evidence_verdicts', { evidence_id: id(3) }, { schoolId: OWN, day: today }],
    ['expertise_marks', { programme_id: id(1) }, { schoolId: OWN, day: today }],
    ['comments', { target_table: 'measures', target_id: id(2) }, { schoolId: OWN, day: today }],
    ['comments', { target_table: 'evidence', target_id: id(3) }, { schoolId: OWN, day: today }],
    ['visits', { school_id: OTHERS, date: '2024-02-01' }, { schoolId: OTHERS, day: '2024-02-01' }],
    ['visit_steps', { visit_id: id(4) }, { schoolId: OTHERS, day: '2024-02-15' }],
    ['scheduled_visits', { schedule_id: id(5) }, { schoolId: SHARED, day: today }],
  ] as const)('%s %o → %o', (table, row, expected) => {
    expect(schoolAndDayOf(table, row, lookup, today)).toEqual(expected);
  });

  it('a link that leads nowhere gives no school', () => {
    expect(schoolAndDayOf('evidence', { measure_id: id(99) }, lookup, today)).toBeNull();
    expect(schoolAndDayOf('comments', { target_table: 'people', target_id: id(1) }, lookup, today)).toBeNull();
    expect(schoolAndDayOf('programmes', { title: 'без школы' }, lookup, today)).toBeNull();
  });

  it('a curator’s step of a visit is decided on the visit’s date', () => {
    const found = schoolAndDayOf('visit_steps', { visit_id: id(4) }, lookup, today)!;
    const scope = { ...found, assignments: [assigned(CURATOR, OTHERS, '2024-02-28')] };
    expect(decide(ACTORS.curator, ACTION_OF_TABLE.visit_steps, scope)).toEqual({ allowed: true });
    expect(decide(ACTORS.curator, ACTION_OF_TABLE.visit_steps, { ...scope, day: today }).allowed).toBe(false);
  });
});

function grantedToViewer(action: Action): boolean {
  return decide(ACTORS.viewer, action, SCOPES.own).allowed;
}

describe('permissions: one change of a row (decideChange, what the hub and the write guard call)', () => {
  const id = (n: number) => `0190d000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const PROG_OWN = id(1);
  const PROG_OTHERS = id(2);
  const MEASURE_OWN = id(3);
  const EVIDENCE_OWN = id(4);
  const EVIDENCE_OTHERS = id(5);
  const MEASURE_OTHERS = id(6);
  const SCHEDULE_OWN = id(7);
  const rows: Record<string, Record<string, Record<string, unknown>>> = {
    programmes: { [PROG_OWN]: { id: PROG_OWN, school_id: OWN }, [PROG_OTHERS]: { id: PROG_OTHERS, school_id: OTHERS } },
    measures: { [MEASURE_OWN]: { id: MEASURE_OWN, programme_id: PROG_OWN }, [MEASURE_OTHERS]: { id: MEASURE_OTHERS, programme_id: PROG_OTHERS } },
    evidence: { [EVIDENCE_OWN]: { id: EVIDENCE_OWN, measure_id: MEASURE_OWN }, [EVIDENCE_OTHERS]: { id: EVIDENCE_OTHERS, measure_id: MEASURE_OTHERS } },
    visit_schedules: { [SCHEDULE_OWN]: { id: SCHEDULE_OWN, school_id: OWN } },
  };
  const bySchool: Record<string, readonly AssignmentFacts[]> = { [OWN]: ownSchool, [OTHERS]: othersSchool };
  const lookup: ChangeLookup = { row: (table, rowId) => rows[table]?.[rowId], assignments: (schoolId) => bySchool[schoolId] ?? [] };
  const today = '2024-03-20';
  const schedule = { id: SCHEDULE_OWN, school_id: OWN, curator_id: CURATOR, approved: 0, approved_by: null, approved_at: null, period_from: '2024-03-01' };
  const evidenceRow = { id: EVIDENCE_OWN, measure_id: MEASURE_OWN, title: 'Протокол', verdict: 'pending', verdict_by: null, uploaded_by: CURATOR };

  type Case = [name: string, role: Role, table: string, after: Record<string, unknown>, before: Record<string, unknown> | undefined, allowed: boolean | RegExp];
  const cases: Case[] = [
    ['a curator’s verdict on the own school, signed by themselves', 'curator', 'evidence_verdicts', { evidence_id: EVIDENCE_OWN, by_person_id: CURATOR }, undefined, true],
    ['a curator’s verdict on another curator’s school', 'curator', 'evidence_verdicts', { evidence_id: EVIDENCE_OTHERS, by_person_id: CURATOR }, undefined, /только по своим школам/],
    ['a verdict signed by somebody else', 'curator', 'evidence_verdicts', { evidence_id: EVIDENCE_OWN, by_person_id: OTHER_CURATOR }, undefined, /автором указан другой человек/],
    ['the coordinator’s verdict signed by a curator', 'coordinator', 'evidence_verdicts', { evidence_id: EVIDENCE_OTHERS, by_person_id: CURATOR }, undefined, /автором указан другой человек/],
    ['the coordinator’s verdict anywhere', 'coordinator', 'evidence_verdicts', { evidence_id: EVIDENCE_OTHERS, by_person_id: COORDINATOR }, undefined, true],
    ['a verdict whose document is unknown', 'curator', 'evidence_verdicts', { evidence_id: id(99), by_person_id: CURATOR }, undefined, /Не указана школа/],
    ['a viewer’s edit of a measure', 'viewer', 'measures', { ...rows.measures![MEASURE_OWN], title: 'x' }, rows.measures![MEASURE_OWN], /могут только муниципальный координатор и куратор/],
    ['a viewer’s comment', 'viewer', 'comments', { target_table: 'measures', target_id: MEASURE_OWN, author_id: VIEWER }, undefined, /Оставлять комментарии могут только/],
    ['a curator’s comment on the own school', 'curator', 'comments', { target_table: 'measures', target_id: MEASURE_OWN, author_id: CURATOR }, undefined, true],
    ['a comment in somebody else’s name', 'curator', 'comments', { target_table: 'measures', target_id: MEASURE_OWN, author_id: COORDINATOR }, undefined, /другой человек/],
    ['a curator editing people', 'curator', 'people', { last_name: 'Иванов' }, undefined, /Изменять список людей и их роли может только муниципальный координатор/],
    ['a curator entering an order', 'curator', 'orders', { number: '12' }, undefined, /Вносить приказы может только/],
    ['the coordinator editing people', 'coordinator', 'people', { last_name: 'Иванов' }, undefined, true],
    ['a curator’s visit to the own school on an assigned day', 'curator', 'visits', { school_id: OWN, curator_id: CURATOR, date: '2024-03-01' }, undefined, true],
    ['a curator’s visit after the assignment ended', 'curator', 'visits', { school_id: OWN, curator_id: CURATOR, date: '2024-07-01' }, undefined, /01\.07\.2024 эта школа за вами не закреплена/],
    ['a curator’s visit logged for another curator', 'curator', 'visits', { school_id: OWN, curator_id: OTHER_CURATOR, date: '2024-03-01' }, undefined, /только от своего имени/],
    ['the coordinator logging a visit for a curator', 'coordinator', 'visits', { school_id: OWN, curator_id: CURATOR, date: '2024-03-01' }, undefined, true],
    ['a curator moving a visit from another school to the own one', 'curator', 'visits', { school_id: OWN, curator_id: CURATOR, date: '2024-03-01' }, { school_id: OTHERS, curator_id: CURATOR, date: '2024-03-01' }, /не закреплена/],
    ['a curator moving a programme of the own school away', 'curator', 'programmes', { id: PROG_OWN, school_id: OTHERS }, { id: PROG_OWN, school_id: OWN }, /не закреплена/],
    ['a curator proposing the own school’s schedule', 'curator', 'visit_schedules', { ...schedule, period_from: '2024-03-04' }, schedule, true],
    ['a curator proposing a new schedule of the own school', 'curator', 'visit_schedules', { ...schedule, id: id(8) }, undefined, true],
    ['a curator’s new schedule born approved', 'curator', 'visit_schedules', { ...schedule, id: id(8), approved: 1, approved_by: CURATOR }, undefined, /Утверждать графики/],
    ['a curator’s new document under the own measure', 'curator', 'evidence', { ...evidenceRow, id: id(9) }, undefined, true],
    ['a viewer’s new document', 'viewer', 'evidence', { ...evidenceRow, id: id(9), uploaded_by: VIEWER }, undefined, /могут только/],
    ['a curator approving a schedule', 'curator', 'visit_schedules', { ...schedule, approved: 1, approved_by: CURATOR }, schedule, /Утверждать графики посещений может только муниципальный координатор/],
    ['the coordinator approving a schedule', 'coordinator', 'visit_schedules', { ...schedule, approved: 1, approved_by: COORDINATOR, approved_at: '2024-03-20T10:00:00Z' }, schedule, true],
    ['the coordinator approving in a curator’s name', 'coordinator', 'visit_schedules', { ...schedule, approved: 1, approved_by: CURATOR }, schedule, /другой человек/],
    ['a curator’s verdict on a document (the evidence row)', 'curator', 'evidence', { ...evidenceRow, verdict: 'confirmed', verdict_by: CURATOR }, evidenceRow, true],
    ['a verdict on a document signed by somebody else', 'curator', 'evidence', { ...evidenceRow, verdict: 'confirmed', verdict_by: COORDINATOR }, evidenceRow, /другой человек/],
    ['a curator’s edit keeps the uploader it did not change', 'curator', 'evidence', { ...evidenceRow, uploaded_by: OTHER_CURATOR, title: 'Приказ' }, { ...evidenceRow, uploaded_by: OTHER_CURATOR }, true],
    ['a verification signed by somebody else', 'coordinator', 'risk_profiles', { school_id: OWN, verified: 1, verified_by: CURATOR }, undefined, /другой человек/],
    ['an expert mark on another school', 'curator', 'expertise_marks', { programme_id: PROG_OTHERS, by_person_id: CURATOR }, undefined, /не закреплена/],
    ['a change to the region’s reference data', 'coordinator', 'risk_factors', { code: 'R1' }, undefined, /может только региональный администратор/],
    ['a table this version does not know', 'coordinator', 'future_table', { x: 1 }, undefined, /нет в этой версии/],
  ];

  it.each(cases)('%s', (_name, role, table, after, before, expected) => {
    const d = decideChange(ACTORS[role], table, after, before, lookup, today);
    if (expected === true) expect(d).toEqual({ allowed: true });
    else expect(d.allowed ? 'allowed' : d.reason).toMatch(expected as RegExp);
  });

  it('every author column is a column of its table', () => {
    for (const [table, columns] of Object.entries(AUTHOR_COLUMNS)) {
      for (const { column } of columns!) expect(Object.keys(COLUMNS[table as keyof typeof COLUMNS])).toContain(column);
    }
  });
});
