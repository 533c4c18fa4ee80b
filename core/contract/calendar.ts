/** The district's school breaks (каникулы): Настройки → Каникулы; visit schedules avoid them. */
import { call } from './define';
import { byId, id, isoDate, text, z } from './common';
import type { Row } from '../../db/schema';

export const schoolBreakInput = z
  .strictObject({
    id: id.optional(),
    title: text(200),
    date_from: isoDate,
    date_to: isoDate,
  })
  .refine((b) => b.date_from <= b.date_to, { message: 'Каникулы не могут закончиться раньше, чем начались', path: ['date_to'] });

export const calendarContract = {
  'schoolBreaks.list': call<Row<'school_breaks'>[]>()(z.strictObject({})),
  'schoolBreaks.save': call<Row<'school_breaks'>>()(schoolBreakInput),
  'schoolBreaks.remove': call<null>()(byId),
};
