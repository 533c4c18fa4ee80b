/**
 * Every sheet of an Excel workbook as a SourceTable (see sourceTable.ts), read with
 * exceljs like the list imports (readTable.node.ts). Unlike a list, a roadmap needs to
 * know how cells are merged: a cell merged down from the row above (a task over its
 * measures) repeats the master's text with `mergedFromAbove`; one merged across (a
 * section title over the row) keeps its text in its first column only. Hyperlinks of
 * cells are kept for «Подтверждающие документы».
 */
import ExcelJS from 'exceljs';
import { AppError } from '../../db/errors';
import { textOf } from './readTable.node';
import { cleanCellText, emptyCell, type SourceCell, type SourceTable } from './sourceTable';

/** A sheet larger than this is not a roadmap. */
const MAX_ROWS = 5000;
const MAX_COLUMNS = 40;

function cellOf(cell: ExcelJS.Cell): SourceCell {
  const master = cell.isMerged ? cell.master : cell;
  if (master !== cell) {
    const sameRow = Number(master.row) === Number(cell.row);
    if (sameRow) return emptyCell();
  }
  const value = master.value;
  const link = value && typeof value === 'object' && 'hyperlink' in value && typeof value.hyperlink === 'string' ? [value.hyperlink] : [];
  return { text: cleanCellText(textOf(value)), links: link, mergedFromAbove: master !== cell };
}

export async function xlsxTables(fileName: string, bytes: Uint8Array): Promise<SourceTable[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // As in readTable.node.ts: exceljs takes the bytes as a fresh ArrayBuffer.
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch {
    throw new AppError('import_damaged', `Файл «${fileName}» повреждён и не читается как книга Excel. Откройте его в Excel и сохраните заново.`);
  }
  return workbook.worksheets.map((sheet) => {
    const height = Math.min(sheet.rowCount, MAX_ROWS);
    const width = Math.min(sheet.columnCount, MAX_COLUMNS);
    const rows: SourceCell[][] = [];
    for (let r = 1; r <= height; r++) {
      const row = sheet.getRow(r);
      rows.push(Array.from({ length: width }, (_, c) => cellOf(row.getCell(c + 1))));
    }
    return { rows, headerRows: 0 };
  });
}
