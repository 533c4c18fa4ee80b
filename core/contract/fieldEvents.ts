/**
 * Events (совещания, вебинары, семинары, ИМД, конференции) with attendance, the project
 * calendar (core/rules/calendar.ts) and the start page summary.
 */
import { call } from './define';
import { byId, id, isoDate, optDate, optText, text, year, z } from './common';
import type { EventKind, Row } from '../../db/schema';
import type { DeadlineState } from '../rules/calendar';
import type { ComplianceRow } from './visits';
import type { VisitStatus } from '../rules/visits';

export const eventKinds = ['meeting', 'webinar', 'seminar', 'imd', 'conference'] as const satisfies readonly EventKind[];

export const attendanceInput = z
  .strictObject({
    school_id: id.nullish().transform((v) => v ?? null),
    person_id: id.nullish().transform((v) => v ?? null),
    attended: z.boolean().default(true),
  })
  .refine((a) => a.school_id || a.person_id, { message: 'Укажите школу или участника' });

export const eventInput = z.strictObject({
  id: id.optional(),
  date: isoDate,
  kind: z.enum(eventKinds, { message: 'Выберите вид мероприятия' }),
  title: text(500),
  organiser: optText(300),
  attendance: z.array(attendanceInput).max(2000).default([]),
});

export interface EventListRow extends Row<'events'> {
  schools: number;
  people: number;
}

export interface EventCard {
  event: Row<'events'>;
  attendance: (Row<'event_attendance'> & { school_name: string | null; person_name: string | null })[];
}

export interface CalendarRow extends Row<'calendar_stages'> {
  state: DeadlineState;
}

/** One line of «сроки» on the start page. */
export interface AgendaItem {
  kind: 'stage' | 'step' | 'planned';
  id: string;
  title: string;
  /** School (and curator) the item belongs to, when it has one. */
  context: string | null;
  /** The visit or schedule to open. */
  link: string | null;
  deadline: string;
  state: DeadlineState;
}

export interface WeekPlanRow {
  id: string;
  schedule_id: string;
  planned_date: string;
  school_id: string;
  school_name: string;
  curator_name: string;
  /** Date of a logged visit to that school in the same week, if any. */
  visited: string | null;
}

export interface StartSummary {
  today: string;
  week: { from: string; to: string };
  counts: Record<VisitStatus, number> & { participants: number; drafts: number; visitsThisMonth: number };
  attention: ComplianceRow[];
  weekPlan: WeekPlanRow[];
  deadlines: AgendaItem[];
  events: Row<'events'>[];
}

export const eventsContract = {
  'events.list': call<EventListRow[]>()(z.strictObject({ from: optDate, to: optDate, kind: z.enum(eventKinds).nullish() })),
  'events.get': call<EventCard>()(byId),
  'events.save': call<Row<'events'>>()(eventInput),
  'events.delete': call<null>()(byId),
  'calendar.list': call<CalendarRow[]>()(z.strictObject({ year, today: optDate })),
  'start.summary': call<StartSummary>()(z.strictObject({ today: optDate, curator_id: id.nullish() })),
};
