/**
 * A table as read from a Word or Excel file, before anything knows what its columns
 * mean: rows of cells laid out on the table's grid, merges already resolved.
 *
 * A cell merged over several grid columns (gridSpan, an Excel merge across) holds its
 * text in its first column and leaves the others empty; a cell merged down over
 * several rows (vMerge, an Excel merge down) repeats its text in every row it covers
 * with `mergedFromAbove`, so a task merged over five measure rows reaches each of them.
 */
export interface SourceCell {
  /** Paragraphs and line breaks as «\n»; spaces inside a line collapsed, lines trimmed. */
  text: string;
  /** Hyperlink targets of the cell (Word's links; URLs typed as text are found by the reader of the column). */
  links: string[];
  mergedFromAbove: boolean;
}

export interface SourceTable {
  rows: SourceCell[][];
  /** Rows Word marks as the header repeated on each page (w:tblHeader); Excel has none. */
  headerRows: number;
}

export const emptyCell = (): SourceCell => ({ text: '', links: [], mergedFromAbove: false });

/** Lines trimmed, inner spaces collapsed, empty lines at the ends dropped (Word's habit of a last empty paragraph). */
export function cleanCellText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[\s\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '')
    .replace(/\n{3,}/g, '\n\n');
}
