/**
 * THE visit-frequency rule (DOMAIN.md rule 1, seeds 000/001): how long a curator may leave
 * a school unvisited, by the school's stage. Used by the schools list, the start page,
 * reports and the schedule generator; the thresholds are district settings.
 *
 * Stage «forming» (формирование дорожной карты): at least once every `visit_days_forming`
 * days (7): on day 7 a visit is due, from day 8 it is overdue.
 * Stage «implementing» (реализация): due from `visit_days_implementing_due` (21) days,
 * overdue after `visit_days_implementing` (28).
 *
 * Pure functions only: dates are 'YYYY-MM-DD' strings and «today» is always passed in.
 */
import { getISODay, parseISO } from 'date-fns';
import type { SchoolStage } from '../../db/schema';
import type { WorkingCalendar } from './workingDays';

export interface VisitThresholds {
  visit_days_forming: number;
  visit_days_implementing_due: number;
  visit_days_implementing: number;
}

export const DEFAULT_THRESHOLDS: VisitThresholds = { visit_days_forming: 7, visit_days_implementing_due: 21, visit_days_implementing: 28 };

/** ok: visited recently; due: a visit is needed now; overdue: the threshold is passed; never: no visit at all. */
export type VisitStatus = 'ok' | 'due' | 'overdue' | 'never';

export interface VisitCompliance {
  status: VisitStatus;
  /** Whole calendar days since the last visit; null when never visited. */
  days: number | null;
  /** The day from which the school counts as overdue (the last day a visit is still in time + 1). */
  overdue_from: string | null;
  /** The latest date by which the next visit keeps the school in time. */
  visit_by: string | null;
}

/** Days after the last visit at which a visit becomes due, and after which it is overdue. */
export function stageLimits(stage: SchoolStage, t: VisitThresholds): { due: number; overdue: number } {
  if (stage === 'forming') return { due: t.visit_days_forming, overdue: t.visit_days_forming };
  return { due: Math.min(t.visit_days_implementing_due, t.visit_days_implementing), overdue: t.visit_days_implementing };
}

// Calendar-day arithmetic on 'YYYY-MM-DD' in UTC: exact for whole days (no time zone or DST
// drift) and fast enough to classify thousands of schools per call.
const DAY_MS = 86_400_000;
const dayNumber = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function shiftDate(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

/**
 * The status of one school. `lastVisit` is the date of its latest non-draft visit on or
 * before `today` (drafts and future-dated rows never count — the caller's query filters them).
 */
export function visitCompliance(lastVisit: string | null, stage: SchoolStage, t: VisitThresholds, today: string): VisitCompliance {
  if (!lastVisit) return { status: 'never', days: null, overdue_from: null, visit_by: null };
  const days = Math.max(0, daysBetween(lastVisit, today));
  const { due, overdue } = stageLimits(stage, t);
  const status: VisitStatus = days > overdue ? 'overdue' : days >= due ? 'due' : 'ok';
  return { status, days, overdue_from: shiftDate(lastVisit, overdue + 1), visit_by: shiftDate(lastVisit, overdue) };
}

/** The latest visit that counts, from a school's visit rows (drafts, deleted and future rows ignored). */
export function lastCountingVisit(visits: readonly { date: string; is_draft: 0 | 1 | boolean; deleted_at?: string | null }[], today: string): string | null {
  let last: string | null = null;
  for (const v of visits) {
    if (v.is_draft || v.deleted_at || v.date > today) continue;
    if (!last || v.date > last) last = v.date;
  }
  return last;
}

/** A planned date counts as kept when a journal entry for the school falls within this many days of it, either side. */
export const PLANNED_VISIT_TOLERANCE_DAYS = 3;

export function keepsPlannedDate(visitDate: string, plannedDate: string): boolean {
  return Math.abs(daysBetween(plannedDate, visitDate)) <= PLANNED_VISIT_TOLERANCE_DAYS;
}

/** keepsPlannedDate as an SQL condition; both arguments are SQL expressions (column references). */
export function keepsPlannedDateSql(visitDate: string, plannedDate: string): string {
  const d = PLANNED_VISIT_TOLERANCE_DAYS;
  return `${visitDate} BETWEEN date(${plannedDate}, '-${d} days') AND date(${plannedDate}, '+${d} days')`;
}

/** Order of urgency for lists: never and overdue first, then due, then ok. */
export const STATUS_RANK: Record<VisitStatus, number> = { overdue: 0, never: 1, due: 2, ok: 3 };

/** Needs attention on the start page and in the schools list. */
export const needsVisit = (s: VisitStatus): boolean => s !== 'ok';

/**
 * The planned dates of a schedule for a period. The interval is the stage's «due» threshold
 * (weekly while forming, every 3 weeks while implementing), so following the plan never
 * lets a school become overdue. A date on a non-working day (core/rules/workingDays.ts:
 * weekends, holidays, the production calendar's transfers, school breaks) moves back to the
 * working day before it (moving forward would stretch the interval past the threshold); when
 * that is not after the previous visit, forward to the next working day.
 */
export function planVisitDates(from: string, to: string, stage: SchoolStage, t: VisitThresholds, calendar: WorkingCalendar): string[] {
  if (to < from) return [];
  const step = Math.max(1, stageLimits(stage, t).due);
  const out: string[] = [];
  let anchor = workingDayOnOrAfter(from, calendar);
  while (anchor <= to) {
    out.push(anchor);
    let next = workingDayOnOrBefore(shiftDate(anchor, step), calendar);
    if (next <= anchor) next = workingDayOnOrAfter(shiftDate(anchor, 1), calendar);
    anchor = next;
  }
  return out;
}

// A year with nothing but breaks and holidays is a data error; the search stops there.
const SEARCH_LIMIT = 400;

function workingDayOnOrAfter(iso: string, calendar: WorkingCalendar): string {
  let day = iso;
  for (let i = 0; i < SEARCH_LIMIT && !calendar.isWorking(day); i++) day = shiftDate(day, 1);
  return day;
}

function workingDayOnOrBefore(iso: string, calendar: WorkingCalendar): string {
  let day = iso;
  for (let i = 0; i < SEARCH_LIMIT && !calendar.isWorking(day); i++) day = shiftDate(day, -1);
  return day;
}

/** Monday..Sunday of the week containing `today`. */
export function weekOf(today: string): { from: string; to: string } {
  const d = getISODay(parseISO(today));
  const from = shiftDate(today, 1 - d);
  return { from, to: shiftDate(from, 6) };
}
