/** Workbook → .xlsx bytes with exceljs: real dates (ДД.ММ.ГГГГ) and percents, frozen header, filters. */
import ExcelJS from 'exceljs';
import type { Workbook, XCell } from './model';

function value(c: XCell): ExcelJS.CellValue {
  if (c === null || typeof c === 'string' || typeof c === 'number') return c;
  if ('date' in c) return c.date ? new Date(`${c.date.slice(0, 10)}T00:00:00Z`) : null;
  return c.percent;
}

/** Excel forbids these in sheet names and caps them at 31 characters. */
export const sheetName = (s: string): string => s.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31);

export async function renderXlsx(wb: Workbook): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '500+ Адресная помощь';
  book.title = wb.title;
  const used = new Set<string>();
  for (const s of wb.sheets) {
    let name = sheetName(s.name);
    for (let i = 2; used.has(name); i++) name = sheetName(`${s.name.slice(0, 27)} (${i})`);
    used.add(name);
    const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = s.columns.map((c) => ({ width: c.width }));
    const title = ws.addRow([s.title]);
    title.font = { bold: true, size: 13 };
    const header = ws.addRow(s.columns.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'top' };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    for (const r of s.rows) {
      const added = ws.addRow(r.map(value));
      added.alignment = { wrapText: true, vertical: 'top' };
      r.forEach((c, i) => {
        if (c !== null && typeof c === 'object') added.getCell(i + 1).numFmt = 'date' in c ? 'dd.mm.yyyy' : '0%';
      });
    }
    if (s.rows.length > 0) ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: s.columns.length } };
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
