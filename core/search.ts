import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** The same folding the `fold()` SQL function applies (see db/open.ts). */
export const fold = (s: string): string => s.toLowerCase().replace(/ё/g, 'е');

/** A LIKE pattern for «contains», with the user's % and _ taken literally. */
export const containsPattern = (s: string): string => `%${fold(s.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** fold(column) LIKE pattern, for case-insensitive Cyrillic search. */
export function foldedLike(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`fold(${sql.ref(column)}) LIKE ${pattern} ESCAPE '\\'`;
}

/** Natural order of names with numbers («№ 2» before «№ 15»), by the `natkey()` SQL function (db/open.ts). */
export function naturally(column: string): RawBuilder<string> {
  return sql<string>`natkey(${sql.ref(column)})`;
}
