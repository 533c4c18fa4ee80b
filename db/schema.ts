/**
 * The Kysely schema: the single source of truth for row types.
 *
 * Every synced table has a device-generated UUIDv7 `id`, `created_at`, `updated_at`
 * and a `deleted_at` tombstone (rows are never physically deleted, so sync can tell
 * "deleted" from "not yet received"). Dates are ISO strings: 'YYYY-MM-DD' for calendar
 * dates, full ISO timestamps for instants. Flags are 0/1 integers (SQLite has no
 * boolean); inserts and updates accept booleans and the write layer stores 0/1.
 */
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { SchemaColumns } from './columns';

export type Flag = ColumnType<0 | 1, boolean | 0 | 1, boolean | 0 | 1>;

/** Columns every synced table carries. */
export interface SyncedColumns {
  id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface RegionsTable extends SyncedColumns {
  name: string;
}

export interface DistrictsTable extends SyncedColumns {
  region_id: string | null;
  name: string;
  /** Visit rule: at the stage of forming the roadmap, at least once every N days. */
  visit_days_forming: number;
  /** Implementation stage: a visit becomes due after this many days (3 weeks)… */
  visit_days_implementing_due: number;
  /** …and overdue after this many (4 weeks). */
  visit_days_implementing: number;
}

export type SchoolStage = 'forming' | 'implementing';

export interface SchoolsTable extends SyncedColumns {
  district_id: string;
  full_name: string;
  short_name: string;
  kind: string;
  is_participant: Flag;
  cohort_year: number | null;
  risk_group: string | null;
  director_id: string | null;
  stage: SchoolStage;
  address: string | null;
  site_url: string | null;
  notes: string | null;
}

export interface PeopleTable extends SyncedColumns {
  district_id: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  position: string | null;
  organisation_id: string | null;
  phone: string | null;
  email: string | null;
  is_coordinator: Flag;
  is_curator: Flag;
  is_school_coordinator: Flag;
  is_director: Flag;
}

export interface OrdersTable extends SyncedColumns {
  district_id: string;
  number: string;
  date: string;
  issuer: string | null;
  title: string;
}

export interface CuratorAssignmentsTable extends SyncedColumns {
  curator_id: string;
  school_id: string;
  date_from: string;
  date_to: string | null;
  order_id: string | null;
}

/** Versioned reference data published by the region (not an enum). */
export interface RiskFactorsTable extends SyncedColumns {
  year: number;
  code: string;
  title: string;
}

export type RiskLevel = 'high' | 'medium' | 'low';

export interface RiskProfilesTable extends SyncedColumns {
  school_id: string;
  risk_factor_id: string;
  level: RiskLevel;
  activated: Flag;
  verified: Flag;
  verified_by: string | null;
  verified_at: string | null;
}

export type ProgrammeKind = 'concept' | 'midterm' | 'arp';

export interface ProgrammesTable extends SyncedColumns {
  school_id: string;
  kind: ProgrammeKind;
  /** For an АРП: the activated risk factor it answers. */
  risk_factor_id: string | null;
  title: string;
  goal: string | null;
  target_indicators: string | null;
  period_from: string | null;
  period_to: string | null;
}

export interface ProgrammeTasksTable extends SyncedColumns {
  programme_id: string;
  position: number;
  title: string;
}

export type MeasureStatus = 'planned' | 'done' | 'not_done' | 'postponed' | 'cancelled';

export interface MeasuresTable extends SyncedColumns {
  programme_id: string;
  task_id: string | null;
  position: number;
  title: string;
  /** What the user typed in «Сроки», kept verbatim for the date lint. */
  date_text: string;
  /** Parsed from date_text when it is concrete. */
  date_from: string | null;
  date_to: string | null;
  responsible: string | null;
  participants: string | null;
  indicator: string | null;
  expected_result: string | null;
  unplanned: Flag;
  status: MeasureStatus;
}

export type EvidenceVerdict = 'pending' | 'confirmed' | 'rework';

export interface EvidenceTable extends SyncedColumns {
  measure_id: string;
  title: string;
  kind: string;
  file_sha256: string | null;
  file_name: string | null;
  file_size: number | null;
  mime: string | null;
  url: string | null;
  uploaded_by: string | null;
  uploaded_at: string;
  verdict: EvidenceVerdict;
  verdict_comment: string | null;
  verdict_by: string | null;
  verdict_at: string | null;
}

/** Every verdict ever given, with who and when. */
export interface EvidenceVerdictsTable extends SyncedColumns {
  evidence_id: string;
  verdict: EvidenceVerdict;
  comment: string | null;
  by_person_id: string | null;
  at: string;
}

export type CommentTarget = 'programmes' | 'measures' | 'evidence';

export interface CommentsTable extends SyncedColumns {
  target_table: CommentTarget;
  target_id: string;
  author_id: string | null;
  body: string;
}

export interface VisitSchedulesTable extends SyncedColumns {
  curator_id: string;
  school_id: string;
  period_from: string;
  period_to: string;
  stage: SchoolStage;
  approved: Flag;
  approved_by: string | null;
  approved_at: string | null;
}

export interface ScheduledVisitsTable extends SyncedColumns {
  schedule_id: string;
  planned_date: string;
  note: string | null;
}

export type VisitFormat = 'school' | 'online' | 'phone';

export interface VisitsTable extends SyncedColumns {
  curator_id: string;
  school_id: string;
  date: string;
  format: VisitFormat;
  stage: SchoolStage;
  participants: string | null;
  topics: string | null;
  findings: string | null;
  recommendations: string | null;
  next_visit_date: string | null;
  is_draft: Flag;
}

/** Programmes or measures discussed at a visit. */
export interface VisitTopicsTable extends SyncedColumns {
  visit_id: string;
  programme_id: string | null;
  measure_id: string | null;
}

export interface VisitStepsTable extends SyncedColumns {
  visit_id: string;
  text: string;
  due_date: string | null;
  done: Flag;
}

export interface MuniRoadmapSectionsTable extends SyncedColumns {
  district_id: string;
  year: number;
  position: number;
  title: string;
}

export interface MuniRoadmapItemsTable extends SyncedColumns {
  section_id: string;
  position: number;
  description: string;
  period_text: string;
  responsible: string | null;
  indicator: string | null;
}

export interface MuniRoadmapReportsTable extends SyncedColumns {
  item_id: string;
  stage_id: string;
  text: string;
  /** Newline-separated links. */
  links: string | null;
}

export type EventKind = 'meeting' | 'webinar' | 'seminar' | 'imd' | 'conference';

export interface EventsTable extends SyncedColumns {
  district_id: string;
  date: string;
  kind: EventKind;
  title: string;
  organiser: string | null;
}

export interface EventAttendanceTable extends SyncedColumns {
  event_id: string;
  school_id: string | null;
  person_id: string | null;
  attended: Flag;
}

export interface ResultIndicatorsTable extends SyncedColumns {
  school_id: string;
  period: string;
  indicator: string;
  value: number | null;
  target: number | null;
}

/** The project calendar: region reference data. */
export interface CalendarStagesTable extends SyncedColumns {
  year: number;
  code: string;
  title: string;
  date_from: string | null;
  deadline: string;
}

/**
 * The region's yearly table of the production calendar: what the government's decree moves
 * (a weekday made a day off, a Saturday made a working day). Region reference data; the
 * statutory holidays themselves come from the date-holidays data set (core/rules/workingDays.ts).
 */
export type ProductionDayKind = 'day_off' | 'workday';
export interface ProductionCalendarTable extends SyncedColumns {
  year: number;
  date: string;
  kind: ProductionDayKind;
  title: string;
}

/** The district's school breaks (каникулы), set in Настройки: no visit is planned on them. */
export interface SchoolBreaksTable extends SyncedColumns {
  district_id: string;
  date_from: string;
  date_to: string;
  title: string;
}

/** A judgement mark of the expertise (criteria the data cannot decide). */
export interface ExpertiseMarksTable extends SyncedColumns {
  programme_id: string;
  reporting_date: string;
  criterion: string;
  value: Flag;
  comment: string | null;
  by_person_id: string | null;
  at: string;
}

// ---- local, not synced ----

/** Key/value facts of this installation: device id, district id, HLC state, keys. */
export interface MetaTable {
  key: string;
  value: string;
}

/** Attachment blobs known to this store; the bytes live in the data folder by SHA-256. */
export interface BlobsTable {
  sha256: string;
  size: number;
  mime: string | null;
  created_at: string;
}

/** The change log: one row per local or applied remote write, keyed by (device, seq). */
export interface ChangesTable {
  device_id: string;
  device_seq: number;
  hlc: string;
  tbl: string;
  row_id: string;
  /** JSON object of column → value written by this change. */
  data: string;
  /** Set once the hub has stamped this change (its global sequence). */
  server_seq: number | null;
  /** JSON ChangeMeta (db/write.ts): the writer's causal context; null for a first write of a row. */
  meta: string | null;
  /** The account that made the change (a local one: the signed-in session); null before accounts. */
  author: string | null;
}

/** The winning clock of each field, for per-field last-writer-wins. */
export interface FieldClocksTable {
  tbl: string;
  row_id: string;
  col: string;
  hlc: string;
}

/** The losing side of a concurrent edit, kept for the user to see and resolve. */
export interface ConflictsTable {
  id: string;
  tbl: string;
  row_id: string;
  col: string;
  kept_value: string | null;
  kept_hlc: string;
  lost_value: string | null;
  lost_hlc: string;
  created_at: string;
  resolved_at: string | null;
}

/** The winning deletion of a row and the highest field clock its writer had seen (core/sync/apply.ts). */
export interface SyncTombstonesTable {
  tbl: string;
  row_id: string;
  /** The deleted_at value that won. */
  value: string;
  hlc: string;
  seen: string;
}

/** Packages imported or being imported: replay refusal and resume after a crash, chunk by chunk. */
export interface SyncImportsTable {
  package_id: string;
  sender: string;
  chunks_done: number;
  chunks_total: number;
  started_at: string;
  completed_at: string | null;
}

/** Changes kept raw in `changes` because this version cannot apply them yet (a newer table or column). */
export interface SyncDeferredTable {
  device_id: string;
  device_seq: number;
  /** 'table' | 'column' | 'row': what this version lacked. */
  reason: string;
}

/** A change of this laptop the regional server refused (permissions), as its reply reported it. */
export interface SyncRefusalsTable {
  device_seq: number;
  tbl: string;
  row_id: string;
  /** The server's reason, in Russian. */
  reason: string;
  refused_at: string;
}

export interface DB {
  regions: RegionsTable;
  districts: DistrictsTable;
  schools: SchoolsTable;
  people: PeopleTable;
  orders: OrdersTable;
  curator_assignments: CuratorAssignmentsTable;
  risk_factors: RiskFactorsTable;
  risk_profiles: RiskProfilesTable;
  programmes: ProgrammesTable;
  programme_tasks: ProgrammeTasksTable;
  measures: MeasuresTable;
  evidence: EvidenceTable;
  evidence_verdicts: EvidenceVerdictsTable;
  comments: CommentsTable;
  visit_schedules: VisitSchedulesTable;
  scheduled_visits: ScheduledVisitsTable;
  visits: VisitsTable;
  visit_topics: VisitTopicsTable;
  visit_steps: VisitStepsTable;
  muni_roadmap_sections: MuniRoadmapSectionsTable;
  muni_roadmap_items: MuniRoadmapItemsTable;
  muni_roadmap_reports: MuniRoadmapReportsTable;
  events: EventsTable;
  event_attendance: EventAttendanceTable;
  result_indicators: ResultIndicatorsTable;
  calendar_stages: CalendarStagesTable;
  production_calendar: ProductionCalendarTable;
  school_breaks: SchoolBreaksTable;
  expertise_marks: ExpertiseMarksTable;
  meta: MetaTable;
  blobs: BlobsTable;
  changes: ChangesTable;
  field_clocks: FieldClocksTable;
  conflicts: ConflictsTable;
  sync_tombstones: SyncTombstonesTable;
  sync_imports: SyncImportsTable;
  sync_deferred: SyncDeferredTable;
  sync_refusals: SyncRefusalsTable;
}

/**
 * The schema at run time: every table and column of `DB` with its SQL storage class, `?` when
 * nullable. The compiler holds it to `DB` (a missing, extra or mistyped column does not
 * compile) and test/integration/schema.test.ts holds it to what the migrations create, so
 * the interface above and the migrations cannot drift apart.
 */
/** The columns every synced table starts with (the row's id and its trash tombstone). */
const SYNCED_ROW = { id: 'text', created_at: 'text', updated_at: 'text', deleted_at: 'text?' } as const;

export const COLUMNS = {
  regions: { ...SYNCED_ROW, name: 'text' },
  districts: {
    ...SYNCED_ROW,
    region_id: 'text?', name: 'text', visit_days_forming: 'integer', visit_days_implementing_due: 'integer', visit_days_implementing: 'integer',
  },
  schools: {
    ...SYNCED_ROW,
    district_id: 'text', full_name: 'text', short_name: 'text', kind: 'text', is_participant: 'integer', cohort_year: 'integer?', risk_group: 'text?',
    director_id: 'text?', stage: 'text', address: 'text?', site_url: 'text?', notes: 'text?',
  },
  people: {
    ...SYNCED_ROW,
    district_id: 'text', last_name: 'text', first_name: 'text', middle_name: 'text?', position: 'text?', organisation_id: 'text?', phone: 'text?',
    email: 'text?', is_coordinator: 'integer', is_curator: 'integer', is_school_coordinator: 'integer', is_director: 'integer',
  },
  orders: { ...SYNCED_ROW, district_id: 'text', number: 'text', date: 'text', issuer: 'text?', title: 'text' },
  curator_assignments: {
    ...SYNCED_ROW,
    curator_id: 'text', school_id: 'text', date_from: 'text', date_to: 'text?', order_id: 'text?',
  },
  risk_factors: { ...SYNCED_ROW, year: 'integer', code: 'text', title: 'text' },
  risk_profiles: {
    ...SYNCED_ROW,
    school_id: 'text', risk_factor_id: 'text', level: 'text', activated: 'integer', verified: 'integer', verified_by: 'text?', verified_at: 'text?',
  },
  programmes: {
    ...SYNCED_ROW,
    school_id: 'text', kind: 'text', risk_factor_id: 'text?', title: 'text', goal: 'text?', target_indicators: 'text?', period_from: 'text?', period_to: 'text?',
  },
  programme_tasks: { ...SYNCED_ROW, programme_id: 'text', position: 'real', title: 'text' },
  measures: {
    ...SYNCED_ROW,
    programme_id: 'text', task_id: 'text?', position: 'real', title: 'text', date_text: 'text', date_from: 'text?', date_to: 'text?', responsible: 'text?',
    participants: 'text?', indicator: 'text?', expected_result: 'text?', unplanned: 'integer', status: 'text',
  },
  evidence: {
    ...SYNCED_ROW,
    measure_id: 'text', title: 'text', kind: 'text', file_sha256: 'text?', file_name: 'text?', file_size: 'integer?', mime: 'text?', url: 'text?',
    uploaded_by: 'text?', uploaded_at: 'text', verdict: 'text', verdict_comment: 'text?', verdict_by: 'text?', verdict_at: 'text?',
  },
  evidence_verdicts: {
    ...SYNCED_ROW,
    evidence_id: 'text', verdict: 'text', comment: 'text?', by_person_id: 'text?', at: 'text',
  },
  comments: { ...SYNCED_ROW, target_table: 'text', target_id: 'text', author_id: 'text?', body: 'text' },
  visit_schedules: {
    ...SYNCED_ROW,
    curator_id: 'text', school_id: 'text', period_from: 'text', period_to: 'text', stage: 'text', approved: 'integer', approved_by: 'text?', approved_at: 'text?',
  },
  scheduled_visits: { ...SYNCED_ROW, schedule_id: 'text', planned_date: 'text', note: 'text?' },
  visits: {
    ...SYNCED_ROW,
    curator_id: 'text', school_id: 'text', date: 'text', format: 'text', stage: 'text', participants: 'text?', topics: 'text?', findings: 'text?',
    recommendations: 'text?', next_visit_date: 'text?', is_draft: 'integer',
  },
  visit_topics: { ...SYNCED_ROW, visit_id: 'text', programme_id: 'text?', measure_id: 'text?' },
  visit_steps: { ...SYNCED_ROW, visit_id: 'text', text: 'text', due_date: 'text?', done: 'integer' },
  muni_roadmap_sections: { ...SYNCED_ROW, district_id: 'text', year: 'integer', position: 'real', title: 'text' },
  muni_roadmap_items: {
    ...SYNCED_ROW,
    section_id: 'text', position: 'real', description: 'text', period_text: 'text', responsible: 'text?', indicator: 'text?',
  },
  muni_roadmap_reports: { ...SYNCED_ROW, item_id: 'text', stage_id: 'text', text: 'text', links: 'text?' },
  events: { ...SYNCED_ROW, district_id: 'text', date: 'text', kind: 'text', title: 'text', organiser: 'text?' },
  event_attendance: { ...SYNCED_ROW, event_id: 'text', school_id: 'text?', person_id: 'text?', attended: 'integer' },
  result_indicators: {
    ...SYNCED_ROW,
    school_id: 'text', period: 'text', indicator: 'text', value: 'real?', target: 'real?',
  },
  calendar_stages: { ...SYNCED_ROW, year: 'integer', code: 'text', title: 'text', date_from: 'text?', deadline: 'text' },
  production_calendar: { ...SYNCED_ROW, year: 'integer', date: 'text', kind: 'text', title: 'text' },
  school_breaks: { ...SYNCED_ROW, district_id: 'text', date_from: 'text', date_to: 'text', title: 'text' },
  expertise_marks: {
    ...SYNCED_ROW,
    programme_id: 'text', reporting_date: 'text', criterion: 'text', value: 'integer', comment: 'text?', by_person_id: 'text?', at: 'text',
  },
  meta: { key: 'text', value: 'text' },
  blobs: { sha256: 'text', size: 'integer', mime: 'text?', created_at: 'text' },
  changes: { device_id: 'text', device_seq: 'integer', hlc: 'text', tbl: 'text', row_id: 'text', data: 'text', server_seq: 'integer?', meta: 'text?', author: 'text?' },
  field_clocks: { tbl: 'text', row_id: 'text', col: 'text', hlc: 'text' },
  conflicts: {
    id: 'text', tbl: 'text', row_id: 'text', col: 'text', kept_value: 'text?', kept_hlc: 'text', lost_value: 'text?', lost_hlc: 'text', created_at: 'text',
    resolved_at: 'text?',
  },
  sync_tombstones: { tbl: 'text', row_id: 'text', value: 'text', hlc: 'text', seen: 'text' },
  sync_imports: { package_id: 'text', sender: 'text', chunks_done: 'integer', chunks_total: 'integer', started_at: 'text', completed_at: 'text?' },
  sync_deferred: { device_id: 'text', device_seq: 'integer', reason: 'text' },
  sync_refusals: { device_seq: 'integer', tbl: 'text', row_id: 'text', reason: 'text', refused_at: 'text' },
} as const satisfies SchemaColumns<DB>;

/** Tables whose rows travel in sync packages (every write to them is captured). */
export const SYNCED_TABLES = [
  'regions',
  'districts',
  'schools',
  'people',
  'orders',
  'curator_assignments',
  'risk_factors',
  'risk_profiles',
  'programmes',
  'programme_tasks',
  'measures',
  'evidence',
  'evidence_verdicts',
  'comments',
  'visit_schedules',
  'scheduled_visits',
  'visits',
  'visit_topics',
  'visit_steps',
  'muni_roadmap_sections',
  'muni_roadmap_items',
  'muni_roadmap_reports',
  'events',
  'event_attendance',
  'result_indicators',
  'calendar_stages',
  'production_calendar',
  'school_breaks',
  'expertise_marks',
] as const satisfies readonly (keyof DB)[];

export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** Reference data the region publishes; a district device may not change it. */
export const REGION_TABLES = ['regions', 'risk_factors', 'calendar_stages', 'production_calendar'] as const satisfies readonly SyncedTable[];

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowPatch<T extends keyof DB> = Updateable<DB[T]>;
