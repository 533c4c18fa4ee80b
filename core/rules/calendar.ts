/**
 * THE deadline rule of the project calendar and of anything else with a due date shown on
 * the start page (calendar stages, agreed next steps of visits, planned visits).
 *
 * - late: the deadline has passed and the item is not done;
 * - due: the deadline is within the horizon (30 days by default), today included;
 * - open: the item's window has started but its deadline is further than the horizon;
 * - upcoming: nothing to do yet;
 * - done: marked done (only items that can be marked: steps, visits).
 *
 * Calendar stages are the region's reference data and carry no «done» mark on a district
 * laptop; a stage whose deadline passed more than `lateWindow` days ago is history
 * ('past'), not a permanent alarm on the start page.
 */
import { differenceInCalendarDays, parseISO } from 'date-fns';

export type DeadlineStatus = 'late' | 'due' | 'open' | 'upcoming' | 'done' | 'past';

export interface DeadlineOptions {
  /** Days ahead that count as «due soon». */
  horizon?: number;
  /** For items without a done mark: how many days after the deadline they still show as late. */
  lateWindow?: number | null;
}

export const CALENDAR_HORIZON = 30;

export interface DeadlineItem {
  date_from?: string | null;
  deadline: string;
  done?: boolean;
}

export interface DeadlineState {
  status: DeadlineStatus;
  /** Days until the deadline (negative when passed). */
  days_left: number;
}

export function deadlineState(item: DeadlineItem, today: string, options: DeadlineOptions = {}): DeadlineState {
  const horizon = options.horizon ?? CALENDAR_HORIZON;
  const daysLeft = differenceInCalendarDays(parseISO(item.deadline), parseISO(today));
  if (item.done) return { status: 'done', days_left: daysLeft };
  if (daysLeft < 0) {
    const window = options.lateWindow ?? null;
    return { status: window != null && -daysLeft > window ? 'past' : 'late', days_left: daysLeft };
  }
  if (daysLeft <= horizon) return { status: 'due', days_left: daysLeft };
  if (item.date_from && item.date_from <= today) return { status: 'open', days_left: daysLeft };
  return { status: 'upcoming', days_left: daysLeft };
}

/** Calendar stages: late only for a month after the deadline (no done mark on a district laptop). */
export const stageState = (stage: DeadlineItem, today: string, horizon = CALENDAR_HORIZON): DeadlineState =>
  deadlineState(stage, today, { horizon, lateWindow: horizon });

/** What the start page lists: late first (oldest first), then due (soonest first). */
export function agendaOrder<T extends { state: DeadlineState }>(items: readonly T[]): T[] {
  const rank = (s: DeadlineStatus) => (s === 'late' ? 0 : s === 'due' ? 1 : s === 'open' ? 2 : 3);
  return [...items].sort((a, b) => rank(a.state.status) - rank(b.state.status) || a.state.days_left - b.state.days_left);
}
