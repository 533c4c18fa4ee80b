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

/**
 * What a school search means: «школа 32», «№ 32», «сош 32» and «32» look for school number 32
 * (a whole number: not 132 or 320); every other word must be found in the school's name or
 * kind or be the start of the surname of a person linked to the school (its director, a
 * current curator, anyone whose organisation it is). Words such as «школа» and «№» only
 * say that a number follows.
 */
export interface SchoolQuery {
  number: string | null;
  words: string[];
}

const NUMBER_WORDS = new Set(['школа', 'школы', 'шк', 'шк.', '№', 'no', 'номер']);

export function parseSchoolQuery(search: string): SchoolQuery {
  const tokens = fold(search).replace(/№/g, ' № ').split(/\s+/).filter(Boolean);
  const number = tokens.find((t) => /^\d+$/.test(t)) ?? null;
  const words = tokens.filter((t) => t !== number && !(number && NUMBER_WORDS.has(t)));
  return { number, words };
}

/** A GLOB pattern for `number` standing alone in a name padded with spaces (digits are case-free). */
export const wholeNumberGlob = (number: string): string => `*[^0-9]${number}[^0-9]*`;

/** A LIKE pattern for «starts with», with the user's % and _ taken literally. */
export const prefixPattern = (s: string): string => `${fold(s.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
