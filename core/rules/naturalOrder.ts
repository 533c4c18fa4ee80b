/**
 * THE order of every list of coded or numbered names: «СОШ № 2» before «СОШ № 10», «РФ2»
 * before «РФ10», «ё» as «е», case ignored — the way people number schools and risk factors.
 * One key for SQL (the natkey() function registered in db/open.ts) and JavaScript alike, so a
 * list sorted by a query and a report sorted in code come in the same order everywhere.
 */

/** Lower case, «ё» as «е», every number padded to ten digits: keys compare as plain strings. */
export function naturalKey(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').replace(/\d+/g, (d) => d.padStart(10, '0'));
}

export function naturalCompare(a: string, b: string): number {
  const ka = naturalKey(a);
  const kb = naturalKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Sorts a copy by a key in natural order, each key worked out once (stable: equal keys keep their order). */
export function sortNatural<T>(rows: readonly T[], ...keys: ((row: T) => string)[]): T[] {
  const decorated = rows.map((row) => ({ row, k: keys.map((key) => naturalKey(key(row))) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return a.k[i]! < b.k[i]! ? -1 : 1;
    return 0;
  });
  return decorated.map((d) => d.row);
}
