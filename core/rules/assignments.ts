/**
 * THE current-assignment rule: a curator's assignment to a school is current on a day while
 * it is not deleted and has not ended before that day (no end date = open-ended). One rule,
 * two forms that a test holds equal: a predicate for rows in hand (the person card) and an
 * SQL condition for queries (people list, schools list, visit options, compliance).
 */

export interface AssignmentDates {
  date_to: string | null;
  deleted_at?: string | null;
}

export function isCurrentAssignment(a: AssignmentDates, day: string): boolean {
  return !a.deleted_at && (a.date_to === null || a.date_to >= day);
}

export interface AssignmentSpan extends AssignmentDates {
  date_from: string;
}

/**
 * Whether the assignment covers `day` itself: current on it (the rule above) and already
 * begun. A curator acts for a school only on such days (core/rules/permissions.ts); lists
 * keep showing an assignment that starts later as current, since its order is already issued.
 */
export function coversDay(a: AssignmentSpan, day: string): boolean {
  return a.date_from <= day && isCurrentAssignment(a, day);
}

export interface CuratorSpan extends AssignmentSpan {
  curator_id: string;
}

/**
 * Whether two assignments' days overlap. The end date is the handover day: an assignment that
 * ends on the day the other begins does not overlap it (the curators hand over that day).
 */
export function spansOverlap(a: AssignmentSpan, b: AssignmentSpan): boolean {
  return (a.date_to === null || a.date_to > b.date_from) && (b.date_to === null || b.date_to > a.date_from);
}

/** Another curator's live assignments to the same school that overlap `span` (the school is the caller's filter). */
export function overlappingAssignments<T extends CuratorSpan>(span: CuratorSpan, others: readonly T[]): T[] {
  return others.filter((o) => !o.deleted_at && o.curator_id !== span.curator_id && spansOverlap(o, span));
}

/** An overlapping assignment can be ended on the new one's start date only when it began before it. */
export const canEndOn = (a: AssignmentSpan, day: string): boolean => a.date_from < day;

/**
 * The same rule as an SQL condition on `curator_assignments` aliased `alias`. `day` is an SQL
 * expression: a named parameter such as '@today', or a checked literal from sqlDate().
 */
export function currentAssignmentSql(alias: string, day: string): string {
  return `(${alias}.deleted_at IS NULL AND (${alias}.date_to IS NULL OR ${alias}.date_to >= ${day}))`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as an SQL literal; only 'YYYY-MM-DD' passes, so it is safe to inline. */
export function sqlDate(iso: string): string {
  if (!ISO_DATE.test(iso)) throw new Error(`not a calendar date: ${iso.slice(0, 40)}`);
  return `'${iso}'`;
}
