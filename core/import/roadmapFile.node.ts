/**
 * The tables of a roadmap file — a Word document or an Excel workbook, told apart by
 * their bytes (files.ts) — refused whole, with a Russian sentence, when the file is
 * empty, too big, protected by a password, of an old or another kind, or damaged.
 */
import { AppError } from '../../db/errors';
import { docxParts, docxTables } from './docxTables';
import { refusalOf, sniffFile } from './files';
import { uploadBytes } from './upload.node';
import type { SourceTable } from './sourceTable';
import { xlsxTables } from './xlsxTables.node';

const damaged = (fileName: string) =>
  new AppError('import_damaged', `Файл «${fileName}» повреждён и не читается как документ Word. Откройте его в Word и сохраните заново.`);

export async function roadmapFileTables(fileName: string, base64: string): Promise<SourceTable[]> {
  const bytes = uploadBytes(fileName, base64);
  const kind = sniffFile(bytes);
  const refusal = refusalOf(kind, fileName, 'document');
  if (refusal) throw new AppError('import_file', refusal);
  if (kind === 'xlsx') {
    const tables = await xlsxTables(fileName, bytes);
    // Any zip that is not a Word document is tried as a workbook; one without sheets is neither.
    if (tables.length === 0) throw new AppError('import_file', refusalOf('other', fileName, 'document')!);
    return tables;
  }
  let parts;
  try {
    parts = docxParts(bytes);
    if (!parts) throw damaged(fileName);
    return docxTables(parts);
  } catch (e) {
    throw e instanceof AppError ? e : damaged(fileName);
  }
}

/** The refusal for a file whose tables have no header an import knows. */
export const noHeader = (fileName: string, what: string, hint: string) =>
  new AppError('import_no_header', `В файле «${fileName}» не найдена таблица ${what}: ни в одной таблице нет строки заголовка со словами ${hint}. Проверьте, что таблица начинается с заголовка, или выберите другой файл.`);
