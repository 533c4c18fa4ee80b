/**
 * What a report says, independent of the file it goes into: one model rendered to DOCX
 * (docx), to a print-friendly HTML page (print / PDF from the window) and, for tabular
 * reports, to XLSX (exceljs). Builders fill the model from the data once; renderers never
 * query anything.
 */

export type Align = 'left' | 'center' | 'right';

export type Block =
  | { type: 'heading'; text: string; level: 1 | 2 | 3 }
  | { type: 'paragraph'; text: string; align?: Align; bold?: boolean; italic?: boolean; small?: boolean }
  | { type: 'table'; columns: TableColumn[]; rows: TableRow[] };

export interface TableColumn {
  title: string;
  /** Relative width (the renderers scale them to the page). */
  width: number;
}

/** A data row (one string per column; «\n» starts a new line in the cell) or a section row across the whole table. */
export type TableRow = { cells: string[] } | { section: string };

export interface ReportDoc {
  /** The title in the document and in the window when printing. */
  title: string;
  orientation: 'portrait' | 'landscape';
  blocks: Block[];
}

export type XCell = string | number | null | { date: string } | { percent: number };

export interface XColumn {
  header: string;
  width: number;
}

export interface XSheet {
  name: string;
  /** A title line above the table. */
  title: string;
  columns: XColumn[];
  rows: XCell[][];
}

export interface Workbook {
  title: string;
  sheets: XSheet[];
}

export const h = (text: string, level: 1 | 2 | 3 = 2): Block => ({ type: 'heading', text, level });
export const p = (text: string, opts: Omit<Extract<Block, { type: 'paragraph' }>, 'type' | 'text'> = {}): Block => ({ type: 'paragraph', text, ...opts });
export const table = (columns: [string, number][], rows: TableRow[]): Block => ({ type: 'table', columns: columns.map(([title, width]) => ({ title, width })), rows });
export const row = (...cells: (string | number | null | undefined)[]): TableRow => ({ cells: cells.map((c) => (c === null || c === undefined ? '' : String(c))) });

/** Words longer than this may break anywhere (links); shorter ones (dates, names) keep their column wide enough. */
const LONGEST_KEPT_WORD = 16;

/**
 * A column's share of the printed page. Excel widths suit a sheet scaled to fit, but on A4
 * in 10 pt the long text columns would squeeze dates and names into broken pieces
 * («30.08.2 026»): a column gets the room of its longest word, and half its Excel width.
 */
function printWidth(column: XColumn, cells: readonly string[]): number {
  let longest = 0;
  for (const text of [column.header, ...cells]) for (const word of text.split(/\s+/)) longest = Math.max(longest, Math.min(word.length, LONGEST_KEPT_WORD));
  return Math.max(longest * 1.2 + 2, column.width / 2);
}

/** A workbook sheet shown as a document (for printing an XLSX report). */
export function workbookAsDoc(wb: Workbook): ReportDoc {
  const cellText = (c: XCell): string => {
    if (c === null) return '';
    if (typeof c === 'number') return c.toLocaleString('ru-RU');
    if (typeof c === 'string') return c;
    if ('date' in c) return c.date ? `${c.date.slice(8, 10)}.${c.date.slice(5, 7)}.${c.date.slice(0, 4)}` : '';
    return `${Math.round(c.percent * 100)}%`;
  };
  const blocks: Block[] = [h(wb.title, 1)];
  for (const s of wb.sheets) {
    const rows = s.rows.map((r) => r.map(cellText));
    blocks.push(h(s.title, 2));
    blocks.push({ type: 'table', columns: s.columns.map((c, i) => ({ title: c.header, width: printWidth(c, rows.map((r) => r[i] ?? '')) })), rows: rows.map((cells) => ({ cells })) });
  }
  return { title: wb.title, orientation: 'landscape', blocks };
}
