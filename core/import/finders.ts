/** Finding the district's schools and people by the names a file gives them. */
import type { Row } from '../../db/schema';
import { nameKey } from './normalise';
import { fioKey, initialsKey, isInitials, type Fio } from './values';

/** A school by its full or short name (full names win where the two collide). */
export function schoolFinder(schools: readonly Row<'schools'>[]): (name: string) => Row<'schools'> | undefined {
  const byName = new Map<string, Row<'schools'>>();
  for (const s of schools) if (!byName.has(nameKey(s.short_name))) byName.set(nameKey(s.short_name), s);
  for (const s of schools) byName.set(nameKey(s.full_name), s);
  return (name) => byName.get(nameKey(name));
}

/** A person by the full ФИО, or by surname and initials when the file gives initials and exactly one person fits. */
export function personFinder(people: readonly Row<'people'>[]): (fio: Fio) => Row<'people'> | undefined {
  const byFull = new Map<string, Row<'people'>>();
  const byInitials = new Map<string, Row<'people'>[]>();
  for (const p of people) {
    byFull.set(fioKey(p), p);
    const k = initialsKey(p);
    byInitials.set(k, [...(byInitials.get(k) ?? []), p]);
  }
  return (fio) => {
    const exact = byFull.get(fioKey(fio));
    if (exact || !isInitials(fio)) return exact;
    const candidates = byInitials.get(initialsKey(fio)) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  };
}
