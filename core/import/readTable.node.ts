/**
 * A sheet of an XLSX workbook or a CSV file as rows of text cells, the way the preview shows
 * them. exceljs reads both (CSV through its fast-csv reader, with every value kept as text so
 * codes and phone numbers keep their leading zeros); a CSV is decoded from UTF-8 (with or
 * without a BOM) or, when it is not valid UTF-8, from Windows-1251, which Excel writes on a
 * Russian Windows. Merged cells give their value to every cell they cover.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../db/errors';
import type { ImportTable } from '../contract/imports';
import { refusalOf, sniffFile } from './files';
import { uploadBytes } from './upload.node';
import { cleanCell } from './normalise';

/** More rows than any district list; a sheet beyond it is not a list of schools or people. */
export const MAX_IMPORT_ROWS = 20_000;
const MAX_IMPORT_COLUMNS = 100;

export async function readTable(fileName: string, base64: string, sheet?: string | null): Promise<ImportTable> {
  const bytes = uploadBytes(fileName, base64);
  const kind = sniffFile(bytes);
  const refusal = refusalOf(kind, fileName, 'table');
  if (refusal) throw new AppError('import_file', refusal);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as its own ArrayBuffer-like Buffer: the bytes are handed over as a fresh ArrayBuffer.
    if (kind === 'xlsx') await workbook.xlsx.load(new Uint8Array(bytes).buffer);
    else {
      const text = decodeText(bytes);
      await workbook.csv.read(Readable.from([text]), { sheetName: 'CSV', map: (v: unknown) => v, parserOptions: { delimiter: delimiterOf(text) } });
    }
  } catch {
    throw new AppError('import_damaged', `Файл «${fileName}» повреждён и не читается как ${kind === 'xlsx' ? 'книга Excel' : 'CSV'}. Откройте его в Excel и сохраните заново.`);
  }
  const sheets = workbook.worksheets.map((w) => w.name);
  const worksheet = sheet ? workbook.getWorksheet(sheet) : workbook.worksheets[0];
  if (!worksheet) throw new AppError('import_sheet', sheet ? `В файле «${fileName}» нет листа «${sheet}».` : `В файле «${fileName}» нет ни одного листа.`);
  return { fileName, sheets, sheet: worksheet.name, rows: rowsOf(worksheet, fileName) };
}

/** UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else Windows-1251. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

/** Excel on a Russian Windows separates CSV fields with «;», other tools with «,» or a tab: the commonest in the first line wins. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [';', ',', '\t'].map((d) => ({ d, n: firstLine.split(d).length }));
  return counts.sort((a, b) => b.n - a.n)[0]!.d;
}

function rowsOf(worksheet: ExcelJS.Worksheet, fileName: string): string[][] {
  if (worksheet.rowCount > MAX_IMPORT_ROWS) {
    throw new AppError('import_rows', `В листе «${worksheet.name}» файла «${fileName}» ${worksheet.rowCount} строк; импорт принимает до ${MAX_IMPORT_ROWS}.`);
  }
  const width = Math.min(worksheet.columnCount, MAX_IMPORT_COLUMNS);
  const rows: string[][] = [];
  for (let r = 1; r <= worksheet.rowCount; r++) {
    const row = worksheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cells.push(cleanCell(textOf(cell.isMerged ? cell.master.value : cell.value)));
    }
    rows.push(cells);
  }
  return rows;
}

/** A cell's value as the user sees it: dates as ДД.ММ.ГГГГ, formulas as their result, rich text and links as their text. */
export function textOf(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (value instanceof Date) {
    // exceljs gives a date cell as midnight UTC of that day.
    const iso = value.toISOString();
    return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
  }
  if ('richText' in value) return value.richText.map((p) => p.text).join('');
  if ('text' in value) return typeof value.text === 'string' ? value.text : textOf(value.text);
  if ('result' in value) return textOf((value.result ?? null) as ExcelJS.CellValue);
  return '';
}
