/**
 * THE order of every list of coded or numbered names: «СОШ № 2» before «СОШ № 10», «РФ2»
 * before «РФ10», «ё» as «е», case ignored — the way people number schools and risk factors.
 * Screens, reports, documents and the server sort with this one comparison so the same
 * schools come in the same order everywhere.
 */
const NATURAL = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });

export const naturalCompare: (a: string, b: string) => number = NATURAL.compare;

/** Sorts a copy by a key in natural order (stable: equal keys keep their order). */
export function sortNatural<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return [...rows].sort((a, b) => naturalCompare(key(a), key(b)));
}
