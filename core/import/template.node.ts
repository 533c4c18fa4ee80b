/** The template a district fills in: one sheet with the columns an import of that kind reads. */
import ExcelJS from 'exceljs';
import type { ImportKind } from '../contract/imports';
import { IMPORT_SPECS } from './planImport';

const SHEET: Record<ImportKind, string> = { schools: 'Школы', people: 'Люди', assignments: 'Закрепления' };

export async function importTemplate(kind: ImportKind): Promise<{ fileName: string; base64: string }> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET[kind], { views: [{ state: 'frozen', ySplit: 1 }] });
  const fields = IMPORT_SPECS[kind].fields;
  sheet.columns = fields.map((f) => ({ header: f.label, key: f.key, width: Math.max(14, f.label.length + 4) }));
  sheet.getRow(1).font = { bold: true };
  const bytes = await workbook.xlsx.writeBuffer();
  return { fileName: `Шаблон — ${SHEET[kind].toLowerCase()}.xlsx`, base64: Buffer.from(bytes).toString('base64') };
}
