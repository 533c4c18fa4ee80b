/** A picked file as the import calls take it: size checked before anything is read. */
import { MAX_IMPORT_BYTES, tooBigMessage } from '../../../../core/contract/imports';
import { t } from '../../i18n/ru';
import { fileBase64 } from '../sync/FileEnrol';

export interface PickedFile {
  fileName: string;
  base64: string;
}

export async function readImportFile(file: File): Promise<{ ok: true; file: PickedFile } | { ok: false; message: string }> {
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, message: tooBigMessage(file.name, file.size) };
  try {
    return { ok: true, file: { fileName: file.name, base64: await fileBase64(file) } };
  } catch {
    return { ok: false, message: t.imports.unreadable(file.name) };
  }
}
