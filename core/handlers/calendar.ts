/** The district's school breaks (Настройки → Каникулы), one input of the working calendar (core/workingCalendar.ts). */
import { AppError } from '../../db/errors';
import { qb } from '../../db/store';
import { getRow, insertRow, softDelete, updateRow } from '../../db/write';
import type { calendarContract } from '../contract/calendar';
import { currentDistrictId } from './app';
import type { Handlers } from './types';

export const calendarHandlers: Handlers<typeof calendarContract> = {
  'schoolBreaks.list': (_input, { store }) =>
    store.all(qb.selectFrom('school_breaks').selectAll().where('district_id', '=', currentDistrictId(store)).where('deleted_at', 'is', null).orderBy('date_from')),

  'schoolBreaks.save': ({ id, ...fields }, { store }) =>
    store.tx(() => {
      if (!id) return insertRow(store, 'school_breaks', { ...fields, district_id: currentDistrictId(store) });
      const row = getRow(store, 'school_breaks', id);
      if (!row || row.deleted_at) throw new AppError('not_found', 'Эти каникулы удалены: обновите список.');
      return updateRow(store, 'school_breaks', id, fields);
    }),

  'schoolBreaks.remove': ({ id }, { store }) =>
    store.tx(() => {
      softDelete(store, 'school_breaks', id);
      return null;
    }),
};
