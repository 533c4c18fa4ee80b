/**
 * What kind of file the user picked, told from its first bytes rather than its name, and why
 * an import refuses it: one Russian sentence saying why and what to do; nothing is read from it.
 */

export type FileKind = 'xlsx' | 'docx' | 'csv' | 'encrypted' | 'legacy' | 'other';

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);
/** Whether the bytes hold the given sequence anywhere (a plain scan: files are at most MAX_IMPORT_BYTES). */
function containsBytes(bytes: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  for (let i = bytes.indexOf(first!); i >= 0 && i <= bytes.length - needle.length; i = bytes.indexOf(first!, i + 1)) {
    if (needle.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
}
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf16 = (s: string) => Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0), 0]));
const contains = (bytes: Uint8Array, text: string): boolean => containsBytes(bytes, ascii(text));

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** The OLE compound file: Excel/Word 97–2003, and also the wrapper of a password-protected XLSX or DOCX. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function sniffFile(bytes: Uint8Array): FileKind {
  if (startsWith(bytes, ZIP)) {
    // Part names are stored uncompressed in a zip's headers; any other zip is tried as a workbook,
    // so a damaged one is reported as damaged.
    return contains(bytes, 'word/document.xml') ? 'docx' : 'xlsx';
  }
  if (startsWith(bytes, OLE)) {
    // An encrypted OOXML package keeps its parts in a stream named «EncryptedPackage» (UTF-16 in the directory).
    return containsBytes(bytes, utf16('EncryptedPackage')) ? 'encrypted' : 'legacy';
  }
  const head = bytes.subarray(0, 4096);
  return head.includes(0) || contains(head, '%PDF') ? 'other' : 'csv';
}


/** Why a file of this kind cannot be read as the import expects (`wanted`: what it reads). */
export function refusalOf(kind: FileKind, fileName: string, wanted: 'table' | 'document'): string | null {
  switch (kind) {
    case 'encrypted':
      return `Файл «${fileName}» защищён паролем. Откройте его, снимите пароль (Файл → Сведения → Защита) и сохраните заново.`;
    case 'legacy':
      return `Файл «${fileName}» в старом формате Office 97–2003 (.xls или .doc). Откройте его и сохраните как ${wanted === 'table' ? '«Книга Excel (.xlsx)»' : '«Документ Word (.docx)»'}.`;
    case 'other':
      return `Файл «${fileName}» — не ${wanted === 'table' ? 'таблица Excel (.xlsx) и не CSV' : 'документ Word (.docx) и не таблица Excel (.xlsx)'}. Выберите другой файл.`;
    case 'docx':
      return wanted === 'table' ? `Файл «${fileName}» — документ Word; список загружается из таблицы Excel (.xlsx) или CSV.` : null;
    case 'csv':
      return wanted === 'document' ? `Файл «${fileName}» — не документ Word (.docx) и не таблица Excel (.xlsx). Выберите другой файл.` : null;
    case 'xlsx':
      return null;
  }
}
