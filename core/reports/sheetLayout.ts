/**
 * How an XLSX sheet lies on paper. Excel and Calc do not grow a row for wrapped text written
 * by a program, so a long comment printed at the default height is cut to its first line:
 * the height is estimated here from the text and the column width. Widths are in Excel's
 * units (characters of the default font); the estimate errs towards more lines, since a
 * little white space is harmless and cut text is not.
 */
import type { XCell, XColumn } from './model';

/** Characters of Calibri 11 per width unit, lowered for wider Cyrillic letters and the cell padding. */
const CHARS_PER_UNIT = 0.85;
/** Points per line of Calibri 11 (Excel's default row is 15 pt). */
const LINE_PT = 15;
/** Excel's largest row height. */
const MAX_ROW_PT = 409;
/** Wider than this (sum of column widths) and a sheet prints in landscape. */
const PORTRAIT_UNITS = 100;

/** Lines a text takes when wrapped greedily at spaces in a column `width` units wide (`scale` > 1 for bold or larger type). */
export function wrappedLines(text: string, width: number, scale = 1): number {
  const capacity = Math.max(1, Math.floor((width * CHARS_PER_UNIT) / scale));
  // One pass over the characters (the region workbook has 30,000 rows): `used` is the
  // current line's length, `word` the length of the word being read.
  let lines = 1;
  let used = 0;
  let word = 0;
  const place = () => {
    if (word === 0) return;
    const need = used === 0 ? word : used + 1 + word;
    if (need <= capacity) used = need;
    else {
      // The word starts a new line (or several, when longer than the line).
      if (used > 0) lines++;
      lines += Math.ceil(word / capacity) - 1;
      used = word % capacity || capacity;
    }
    word = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      place();
      lines++;
      used = 0;
    } else if (c === 32 || c === 9 || c === 13 || c === 160) place();
    else word++;
  }
  place();
  return lines;
}

/** The height in points of a row whose cells wrap, from its tallest cell. */
export function rowHeight(cells: readonly XCell[], columns: readonly XColumn[], scale = 1): number {
  let lines = 1;
  cells.forEach((c, i) => {
    if (typeof c === 'string' && columns[i]) lines = Math.max(lines, wrappedLines(c, columns[i].width, scale));
  });
  return Math.min(MAX_ROW_PT, Math.ceil(lines * LINE_PT * scale) + 2);
}

export const sheetWidth = (columns: readonly XColumn[]): number => columns.reduce((s, c) => s + c.width, 0);

export const orientationOf = (columns: readonly XColumn[]): 'portrait' | 'landscape' => (sheetWidth(columns) > PORTRAIT_UNITS ? 'landscape' : 'portrait');

/** «A», «B» … «Z», «AA» … : the letters of a 1-based column number. */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}
