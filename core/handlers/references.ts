/**
 * A row's references to other rows, checked the same way when it is created and when it is
 * updated: each named row must exist and not be in the trash. A failed check names the form's
 * field, so the message appears next to it.
 */
import { AppError } from '../../db/errors';
import type { Store } from '../../db/store';
import { getRow } from '../../db/write';

type Target = 'schools' | 'people' | 'orders';

const MISSING: Record<Target, string> = {
  schools: 'Такой школы нет или она удалена',
  people: 'Такого человека нет или он удалён',
  orders: 'Такого приказа нет или он удалён',
};

/** Each [field, table, id]: an id that is null or undefined names nothing and passes. */
export function requireReferences(store: Store, refs: readonly (readonly [field: string, table: Target, id: string | null | undefined])[]): void {
  const fields: Record<string, string> = {};
  for (const [field, table, id] of refs) {
    if (!id) continue;
    const row = getRow(store, table, id);
    if (!row || row.deleted_at) fields[field] = MISSING[table];
  }
  if (Object.keys(fields).length) throw new AppError('validation', 'Проверьте выделенные поля', fields);
}
