/**
 * Finding a table's header row by its words, and the small text rules every table
 * import shares: numbering stripped from the start of a cell, URLs found in text,
 * rows compared the way a reader sees them.
 */
import type { SourceCell, SourceTable } from './sourceTable';

/** Lower case, ё → е, one space between words: how header words are compared. */
export const headerWords = (s: string) => s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

/** A column a table import knows: which header words name it. Earlier rules win a column; each field takes one column. */
export interface ColumnRule<F extends string> {
  field: F;
  re: RegExp;
}

export interface HeaderMatch<F extends string> {
  /** Index of the header row in the table. */
  row: number;
  /** Field → grid column. */
  columns: Partial<Record<F, number>>;
}

/** The first row (of the first 10) naming at least `min` known columns including every `required` one. */
export function findHeader<F extends string>(table: SourceTable, rules: readonly ColumnRule<F>[], required: readonly F[], min: number): HeaderMatch<F> | null {
  const limit = Math.min(table.rows.length, 10);
  for (let r = 0; r < limit; r++) {
    const columns = matchColumns(table.rows[r]!, rules);
    const n = Object.keys(columns).length;
    if (n >= min && required.every((f) => columns[f] !== undefined)) return { row: r, columns };
  }
  return null;
}

function matchColumns<F extends string>(row: readonly SourceCell[], rules: readonly ColumnRule<F>[]): Partial<Record<F, number>> {
  const columns: Partial<Record<F, number>> = {};
  row.forEach((cell, i) => {
    const words = headerWords(cell.text);
    // A header cell is a few words; a long text that happens to contain «срок» is data.
    if (!words || words.length > 80) return;
    const rule = rules.find((x) => columns[x.field] === undefined && x.re.test(words));
    if (rule) columns[rule.field] = i;
  });
  return columns;
}

/** Whether a row repeats the header (Word's repeated header after a page break, or one typed again). */
export function isHeaderRepeat(row: readonly SourceCell[], header: readonly SourceCell[]): boolean {
  const filled = header.filter((c) => c.text).length;
  return filled > 0 && row.length === header.length && row.every((c, i) => headerWords(c.text) === headerWords(header[i]!.text));
}

/** «1.», «1.1», «1.2.3», «2)» at the start of a cell, as people number tasks and items by hand; a date («12.05.2022 …») is left alone. */
const NUMBERING = /^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|\d{1,2}\)|[IVX]{1,4}\.)(?=\s)\s*/;

export const stripNumbering = (text: string) => text.replace(NUMBERING, '');

/** The number a cell starts with («1.», «1.1»), or null. */
export const leadingNumber = (text: string): string | null => /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?(?=\s|$)/.exec(text.trim())?.[1] ?? null;

const URL_RE = /https?:\/\/[^\s<>"«»]+[^\s<>"«».,;:!?)\]]/g;

/** URLs typed in the text, in order. */
export const urlsIn = (text: string): string[] => text.match(URL_RE) ?? [];

/** The text with its URLs cut out, split where they were: segment i is the text before URL i. */
export const splitAtUrls = (text: string): string[] => text.split(URL_RE);

export const isEmptyRow = (row: readonly SourceCell[]) => row.every((c) => !c.text && c.links.length === 0);
