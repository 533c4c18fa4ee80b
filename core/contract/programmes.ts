/**
 * Programmes of a school (концепция, среднесрочная программа, АРП per activated risk
 * factor), their tasks and roadmap measures, evidence with the curator's verdict, and
 * comment threads. See DOMAIN.md, rules 2 and 3.
 */
import { call } from './define';
import { byId, id, optDate, optText, text, url, z } from './common';
import type { CommentTarget, EvidenceVerdict, MeasureStatus, ProgrammeKind, Row } from '../../db/schema';

export const programmeKinds = ['concept', 'midterm', 'arp'] as const satisfies readonly ProgrammeKind[];
export const measureStatuses = ['planned', 'done', 'not_done', 'postponed', 'cancelled'] as const satisfies readonly MeasureStatus[];
export const verdicts = ['pending', 'confirmed', 'rework'] as const satisfies readonly EvidenceVerdict[];
export const commentTargets = ['programmes', 'measures', 'evidence'] as const satisfies readonly CommentTarget[];

/** Kinds of supporting documents seen in the seeds; free text is allowed too. */
export const EVIDENCE_KINDS = [
  'Приказ',
  'Протокол',
  'Аналитическая справка',
  'План',
  'Фото',
  'Сертификат КПК',
  'Отчёт',
  'Программа',
  'Ссылка на страницу сайта',
  'Другое',
] as const;

/** The largest attachment accepted (the core enforces it; the renderer checks before reading). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export const formatFileSize = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} МБ` : `${Math.max(1, Math.round(bytes / 1024))} КБ`;

export const fileTooLargeMessage = (name: string, size: number): string =>
  `Файл «${name}» слишком большой: ${formatFileSize(size)}, а можно не больше ${formatFileSize(MAX_FILE_BYTES)}. Сожмите скан или разделите документ на части.`;

// ---- programmes ----

const programmeFields = {
  title: text(500),
  goal: optText(5000),
  target_indicators: optText(5000),
  period_from: optDate,
  period_to: optDate,
};

export const programmeCreate = z.strictObject({
  school_id: id,
  kind: z.enum(programmeKinds, { message: 'Выберите вид программы' }),
  risk_factor_id: id.nullish().transform((v) => v ?? null),
  ...programmeFields,
});
export type ProgrammeCreate = z.input<typeof programmeCreate>;

export const programmePatch = z.strictObject(programmeFields).partial();
export type ProgrammePatch = z.input<typeof programmePatch>;

export interface ProgrammeSummary extends Row<'programmes'> {
  risk_factor_title: string | null;
  tasks: number;
  measures: number;
  done: number;
  /** Measures whose «Сроки» the date lint flags. */
  vague: number;
  evidence: number;
  evidence_pending: number;
  evidence_rework: number;
}

export interface SchoolProgrammes {
  school: Pick<Row<'schools'>, 'id' | 'short_name' | 'full_name'>;
  programmes: ProgrammeSummary[];
  /** Activated risk factors of the school that have no АРП yet. */
  missingArps: { risk_factor_id: string; title: string; code: string }[];
}

export interface ProgrammeSchoolRow {
  id: string;
  short_name: string;
  programmes: number;
  measures: number;
  vague: number;
  evidence_pending: number;
  missing_arps: number;
}

export interface MeasureRow extends Row<'measures'> {
  evidence: number;
  confirmed: number;
  pending: number;
  rework: number;
  comments: number;
}

export interface ProgrammeDetail {
  programme: Row<'programmes'>;
  school: Pick<Row<'schools'>, 'id' | 'short_name' | 'full_name'>;
  risk_factor_title: string | null;
  tasks: Row<'programme_tasks'>[];
  /** In roadmap order: by task position, then measure position; measures with no task last. */
  measures: MeasureRow[];
  comments: number;
}

// ---- measures ----

const measureFields = {
  title: text(2000),
  date_text: z.string().trim().max(300, { message: 'Не длиннее 300 символов' }),
  responsible: optText(1000),
  participants: optText(1000),
  indicator: optText(3000),
  expected_result: optText(3000),
  unplanned: z.boolean(),
  status: z.enum(measureStatuses, { message: 'Выберите статус из списка' }),
  task_id: id.nullable(),
};

export const measurePatch = z.strictObject(measureFields).partial();
export type MeasurePatch = z.input<typeof measurePatch>;
export type MeasureField = keyof typeof measureFields;

export const measureCreate = z.strictObject({
  programme_id: id,
  /** Insert right after this measure (keyboard «add a row under»); else at the end of the task. */
  after_id: id.nullish(),
  ...measureFields,
  title: z.string().trim().max(2000).default(''),
  date_text: measureFields.date_text.default(''),
  unplanned: z.boolean().default(false),
  status: measureFields.status.default('planned'),
});
export type MeasureCreate = z.input<typeof measureCreate>;

export const measureQuery = z.strictObject({
  status: z.enum(measureStatuses).nullish(),
  due_from: optDate,
  due_to: optDate,
  school_id: id.nullish(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type MeasureQuery = z.input<typeof measureQuery>;

/** A measure in the region-wide list by status and due date. */
export type MeasureDueRow = Pick<Row<'measures'>, 'id' | 'title' | 'date_text' | 'date_to' | 'status' | 'programme_id'> & {
  programme_title: string;
  school_id: string;
  school_name: string;
};

// ---- evidence ----

/** A file as the renderer read it: bytes in base64. */
export const fileUpload = z.strictObject({
  name: text(300),
  mime: z.string().max(200).nullish().transform((v) => v || null),
  data: z.string({ message: 'Файл не прочитан' }),
});

const evidenceFields = {
  title: text(1000),
  kind: text(200),
  url,
};

export const evidenceAdd = z
  .strictObject({
    measure_id: id,
    ...evidenceFields,
    file: fileUpload.nullish(),
  })
  .refine((v) => !!v.file || !!v.url, { message: 'Прикрепите файл или укажите ссылку', path: ['url'] });
export type EvidenceAdd = z.input<typeof evidenceAdd>;

export const evidencePatch = z.strictObject(evidenceFields).partial();

export interface VerdictRow extends Row<'evidence_verdicts'> {
  by_name: string | null;
}

export interface EvidenceRow extends Row<'evidence'> {
  uploaded_by_name: string | null;
  verdict_by_name: string | null;
  /** Whether the file's bytes are on this laptop (false: not yet synced or vanished). */
  file_present: boolean;
  history: VerdictRow[];
  comments: number;
}

export interface FileDownload {
  name: string;
  mime: string | null;
  size: number;
  data: string;
}

// ---- comments ----

export interface CommentRow extends Row<'comments'> {
  author_name: string | null;
}

const commentTarget = z.strictObject({ target_table: z.enum(commentTargets), target_id: id });

export const programmesContract = {
  'programmes.schools': call<ProgrammeSchoolRow[]>()(z.strictObject({})),
  'programmes.forSchool': call<SchoolProgrammes>()(z.strictObject({ school_id: id })),
  'programmes.get': call<ProgrammeDetail>()(byId),
  'programmes.create': call<Row<'programmes'>>()(programmeCreate),
  'programmes.createMissingArps': call<Row<'programmes'>[]>()(z.strictObject({ school_id: id })),
  'programmes.update': call<Row<'programmes'>>()(z.strictObject({ id, patch: programmePatch })),
  'programmes.delete': call<null>()(byId),

  'programmeTasks.create': call<Row<'programme_tasks'>>()(z.strictObject({ programme_id: id, title: text(2000) })),
  'programmeTasks.update': call<Row<'programme_tasks'>>()(z.strictObject({ id, title: text(2000) })),
  'programmeTasks.delete': call<null>()(byId),

  'measures.create': call<Row<'measures'>>()(measureCreate),
  'measures.update': call<Row<'measures'>>()(z.strictObject({ id, patch: measurePatch })),
  'measures.delete': call<null>()(byId),
  'measures.byStatusDue': call<MeasureDueRow[]>()(measureQuery),

  'evidence.list': call<EvidenceRow[]>()(z.strictObject({ measure_id: id })),
  'evidence.add': call<Row<'evidence'>>()(evidenceAdd),
  'evidence.update': call<Row<'evidence'>>()(z.strictObject({ id, patch: evidencePatch })),
  'evidence.delete': call<null>()(byId),
  'evidence.download': call<FileDownload>()(byId),
  'evidence.setVerdict': call<Row<'evidence'>>()(
    z.strictObject({
      id,
      verdict: z.enum(verdicts),
      comment: optText(3000),
    }),
  ),

  'comments.list': call<CommentRow[]>()(commentTarget),
  'comments.add': call<Row<'comments'>>()(commentTarget.extend({ body: text(5000) })),
};
