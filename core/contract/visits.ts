/**
 * Visits (Посещения): the visit journal with drafts, visit schedules with approval, and
 * compliance with the visit-frequency rule (core/rules/visits.ts).
 */
import { call } from './define';
import { byId, id, isoDate, optDate, optText, page, text, z } from './common';
import type { Row, SchoolStage, VisitFormat } from '../../db/schema';
import type { VisitCompliance, VisitStatus } from '../rules/visits';

export const visitFormats = ['school', 'online', 'phone'] as const satisfies readonly VisitFormat[];
export const schoolStages = ['forming', 'implementing'] as const satisfies readonly SchoolStage[];

const pick = (message: string) => z.uuid({ message });
const format = z.enum(visitFormats, { message: 'Выберите формат' });
const stage = z.enum(schoolStages, { message: 'Выберите этап' });

export const visitStepInput = z.strictObject({
  id: id.optional(),
  text: text(1000),
  due_date: optDate,
  done: z.boolean().default(false),
});

export const visitTopicLink = z
  .strictObject({ programme_id: id.nullish().transform((v) => v ?? null), measure_id: id.nullish().transform((v) => v ?? null) })
  .refine((t) => t.programme_id || t.measure_id, { message: 'Выберите программу или мероприятие' });

const visitBody = {
  school_id: pick('Выберите школу'),
  curator_id: pick('Выберите куратора'),
  date: isoDate,
  format,
  stage,
  participants: optText(2000),
  topics: optText(5000),
  findings: optText(5000),
  recommendations: optText(5000),
  next_visit_date: optDate,
  topic_links: z.array(visitTopicLink).max(200).default([]),
  steps: z.array(visitStepInput).max(100, { message: 'Не больше 100 шагов' }).default([]),
};

/** A finished journal entry: the dates must make sense together. */
export const visitInput = z.strictObject({ id: id.optional(), ...visitBody }).superRefine((v, ctx) => {
  if (v.next_visit_date && v.next_visit_date <= v.date) {
    ctx.addIssue({ code: 'custom', path: ['next_visit_date'], message: 'Следующее посещение — позже даты этого посещения' });
  }
  v.steps.forEach((s, i) => {
    if (s.due_date && s.due_date < v.date) ctx.addIssue({ code: 'custom', path: ['steps', i, 'due_date'], message: 'Срок не раньше даты посещения' });
  });
});

/**
 * A draft is whatever was typed so far: only the school and curator are needed to keep it
 * (they place the row); empty steps are dropped, unfinished dates are left out.
 */
export const visitDraftInput = z.strictObject({
  id: id.optional(),
  curator_id: pick('Выберите куратора'),
  school_id: pick('Выберите школу'),
  date: isoDate.optional(),
  format: format.default('school'),
  stage: stage.optional(),
  participants: z.string().max(2000).nullish(),
  topics: z.string().max(5000).nullish(),
  findings: z.string().max(5000).nullish(),
  recommendations: z.string().max(5000).nullish(),
  next_visit_date: optDate,
  topic_links: z.array(visitTopicLink).max(200).default([]),
  steps: z.array(z.strictObject({ id: id.optional(), text: z.string().max(1000), due_date: optDate, done: z.boolean().default(false) })).max(100).default([]),
});

export const visitListQuery = z.strictObject({
  school_id: id.nullish(),
  curator_id: id.nullish(),
  from: optDate,
  to: optDate,
  drafts: z.enum(['include', 'exclude', 'only']).default('include'),
  ...page,
});

export interface VisitListRow {
  id: string;
  date: string;
  format: VisitFormat;
  stage: SchoolStage;
  is_draft: 0 | 1;
  school_id: string;
  school_name: string;
  curator_id: string;
  curator_name: string;
  topics: string | null;
  steps_open: number;
  updated_at: string;
}

export interface VisitTopicRow {
  id: string;
  programme_id: string | null;
  measure_id: string | null;
  title: string;
}

export interface VisitCard {
  visit: Row<'visits'>;
  school_name: string;
  curator_name: string;
  topic_links: VisitTopicRow[];
  steps: Row<'visit_steps'>[];
}

export interface PickOption {
  id: string;
  name: string;
}

export interface VisitFormOptions {
  schools: { id: string; name: string; stage: SchoolStage; curator_ids: string[] }[];
  curators: PickOption[];
  coordinators: PickOption[];
}

export interface TopicOptions {
  programmes: { id: string; title: string; kind: Row<'programmes'>['kind'] }[];
  measures: { id: string; title: string; programme_id: string; date_text: string }[];
}

export interface ComplianceRow extends VisitCompliance {
  school_id: string;
  school_name: string;
  stage: SchoolStage;
  last_visit: string | null;
  curator_name: string | null;
  /** The next planned date from an approved or draft schedule, if any. */
  next_planned: string | null;
}

export interface ComplianceList {
  today: string;
  rows: ComplianceRow[];
  counts: Record<VisitStatus, number>;
}

export const complianceQuery = z.strictObject({
  today: optDate,
  curator_id: id.nullish(),
  /** Only schools that need a visit (due, overdue, never visited). */
  attention: z.boolean().default(false),
});

// ---- schedules ----

export interface ScheduleListRow {
  id: string;
  curator_id: string;
  curator_name: string;
  school_id: string;
  school_name: string;
  period_from: string;
  period_to: string;
  stage: SchoolStage;
  approved: 0 | 1;
  approved_at: string | null;
  approved_by_name: string | null;
  planned: number;
}

export interface ScheduleCard {
  schedule: Row<'visit_schedules'>;
  curator_name: string;
  school_name: string;
  approved_by_name: string | null;
  dates: (Row<'scheduled_visits'> & { visited: string | null })[];
}

export const scheduleGenerateInput = z
  .strictObject({
    curator_id: pick('Выберите куратора'),
    school_id: pick('Выберите школу'),
    period_from: isoDate,
    period_to: isoDate,
  })
  .superRefine((v, ctx) => {
    if (v.period_to < v.period_from) ctx.addIssue({ code: 'custom', path: ['period_to'], message: 'Конец периода раньше начала' });
  });

export const visitsContract = {
  'visits.list': call<{ rows: VisitListRow[]; total: number }>()(visitListQuery),
  'visits.get': call<VisitCard>()(byId),
  'visits.save': call<Row<'visits'>>()(visitInput),
  'visits.saveDraft': call<Row<'visits'> | null>()(visitDraftInput),
  'visits.delete': call<null>()(byId),
  'visits.options': call<VisitFormOptions>()(z.strictObject({})),
  'visits.topicOptions': call<TopicOptions>()(z.strictObject({ school_id: id })),
  'visits.compliance': call<ComplianceList>()(complianceQuery),

  'visitSchedules.list': call<ScheduleListRow[]>()(z.strictObject({ curator_id: id.nullish(), school_id: id.nullish() })),
  'visitSchedules.get': call<ScheduleCard>()(byId),
  'visitSchedules.generate': call<Row<'visit_schedules'>>()(scheduleGenerateInput),
  'visitSchedules.addDate': call<Row<'scheduled_visits'>>()(z.strictObject({ schedule_id: id, planned_date: isoDate, note: optText(500) })),
  'visitSchedules.moveDate': call<Row<'scheduled_visits'>>()(z.strictObject({ id, planned_date: isoDate, note: optText(500) })),
  'visitSchedules.removeDate': call<null>()(byId),
  'visitSchedules.restoreDate': call<null>()(byId),
  'visitSchedules.approve': call<Row<'visit_schedules'>>()(byId),
  'visitSchedules.reopen': call<Row<'visit_schedules'>>()(byId),
  'visitSchedules.delete': call<null>()(byId),
  'visitSchedules.restore': call<null>()(byId),
};
