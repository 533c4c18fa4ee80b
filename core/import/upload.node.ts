import { AppError } from '../../db/errors';
import { MAX_IMPORT_BYTES, tooBigMessage } from '../contract/imports';

/** The file's bytes from the renderer's base64, refused when empty or too big, before anything reads them. */
export function uploadBytes(fileName: string, base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new AppError('import_empty', `Файл «${fileName}» пустой.`);
  if (bytes.length > MAX_IMPORT_BYTES) throw new AppError('import_too_big', tooBigMessage(fileName, bytes.length));
  return bytes;
}
