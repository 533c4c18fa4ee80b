/**
 * What a row is called on screen, in one place: the trash lists rows by it and the undo
 * history names what it takes back with it.
 */
import type { SyncedTable } from '../db/schema';
import { formatDate, orderLabel, personShort } from './format';

export function rowTitle(table: SyncedTable, row: Readonly<Record<string, unknown>>): string {
  const s = (k: string) => (typeof row[k] === 'string' ? (row[k] as string) : '');
  switch (table) {
    case 'schools':
      return s('short_name');
    case 'people':
      return personShort({ last_name: s('last_name'), first_name: s('first_name'), middle_name: s('middle_name') });
    case 'orders':
      return orderLabel({ number: s('number'), date: s('date') });
    case 'curator_assignments':
      return `Закрепление куратора с ${formatDate(s('date_from'))}`;
    case 'visits':
      return `Посещение ${formatDate(s('date'))}`;
    case 'scheduled_visits':
      return formatDate(s('planned_date'));
    case 'muni_roadmap_items':
      return s('description');
    case 'comments':
      return s('body');
    case 'visit_steps':
    case 'muni_roadmap_reports':
      return s('text');
    default:
      return s('title') || s('name');
  }
}
