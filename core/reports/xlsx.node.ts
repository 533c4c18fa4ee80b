/**
 * Workbook → .xlsx bytes with exceljs: real dates (ДД.ММ.ГГГГ) and percents, frozen header,
 * filters. Written with exceljs' streaming writer: rows are committed as they are added,
 * which keeps the region workbook (15,000 sheets of expertise) fast and small in memory.
 * Printed, a sheet fits the width of A4 (landscape when wide), repeats its header row on
 * every page, and each row is as tall as its wrapped text.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Workbook, XCell } from './model';
import { columnLetter, orientationOf, rowHeight, sheetWidth } from './sheetLayout';

function value(c: XCell): ExcelJS.CellValue {
  if (c === null || typeof c === 'string' || typeof c === 'number') return c;
  if ('date' in c) return c.date ? new Date(`${c.date.slice(0, 10)}T00:00:00Z`) : null;
  return c.percent;
}

/** Excel forbids these in sheet names and caps them at 31 characters. */
export const sheetName = (s: string): string => s.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31);

export async function renderXlsx(wb: Workbook): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  book.creator = '500+ Адресная помощь';
  book.title = wb.title;
  const used = new Set<string>();
  const wrap: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
  const textStyle: Partial<ExcelJS.Style> = { alignment: wrap };
  const dateStyle: Partial<ExcelJS.Style> = { alignment: wrap, numFmt: 'dd.mm.yyyy' };
  const percentStyle: Partial<ExcelJS.Style> = { alignment: wrap, numFmt: '0%' };
  for (const s of wb.sheets) {
    let name = sheetName(s.name);
    for (let i = 2; used.has(name); i++) name = sheetName(`${s.name.slice(0, 27)} (${i})`);
    used.add(name);
    const last = columnLetter(s.columns.length);
    const ws = book.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: 2 }],
      pageSetup: {
        orientation: orientationOf(s.columns),
        paperSize: 9,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printArea: `A1:${last}${2 + s.rows.length}`,
        printTitlesRow: '2:2',
        horizontalCentered: true,
        margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
    });
    ws.columns = s.columns.map((c) => ({ width: c.width }));
    if (s.rows.length > 0) ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: s.columns.length } };
    // The title spans the table and wraps within it, so the print area holds all of it.
    const title = ws.addRow([s.title]);
    title.font = { bold: true, size: 13 };
    title.alignment = wrap;
    title.height = rowHeight([s.title], [{ header: '', width: sheetWidth(s.columns) }], 13 / 11);
    if (s.columns.length > 1) ws.mergeCells(1, 1, 1, s.columns.length);
    title.commit();
    const header = ws.addRow(s.columns.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = wrap;
    header.height = rowHeight(s.columns.map((c) => c.header), s.columns, 1.1);
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    header.commit();
    for (const r of s.rows) {
      const added = ws.addRow(r.map(value));
      added.height = rowHeight(r, s.columns);
      // One shared style object per kind of cell: exceljs keys its style index by object
      // identity, so the region workbook's ~400,000 cells resolve to three styles without
      // hashing each cell's style (setting row.alignment gave every cell its own copy).
      added.eachCell((cell, col) => {
        const c = r[col - 1];
        cell.style = c !== null && typeof c === 'object' ? ('date' in c ? dateStyle : percentStyle) : textStyle;
      });
      added.commit();
    }
    ws.commit();
  }
  await book.commit();
  await done;
  return Buffer.concat(chunks);
}
