/**
 * The working calendar of a district as stored (core/rules/workingDays.ts holds the rule):
 * the region's production-calendar transfers and the district's school breaks.
 */
import { AppError } from '../db/errors';
import { qb, type Store } from '../db/store';
import { formatDate } from './format';
import { describeNonWorking, workingCalendar, type WorkingCalendar } from './rules/workingDays';

export function workingCalendarOf(store: Store, districtId: string): WorkingCalendar {
  const transfers = store.all(qb.selectFrom('production_calendar').select(['date', 'kind', 'title']).where('deleted_at', 'is', null));
  const breaks = store.all(
    qb.selectFrom('school_breaks').select(['date_from', 'date_to', 'title']).where('district_id', '=', districtId).where('deleted_at', 'is', null),
  );
  return workingCalendar(transfers, breaks);
}

/** Refuses a planned visit on a non-working day, naming the day and why, next to the date field. */
export function requireWorkingDay(calendar: WorkingCalendar, date: string, field: string): void {
  const reason = calendar.whyNotWorking(date);
  if (reason) {
    throw new AppError('validation', 'Проверьте выделенные поля', {
      [field]: `${formatDate(date)} — нерабочий день (${describeNonWorking(reason)}): выберите рабочий день`,
    });
  }
}
