/** Reading a dropped or picked file for the core, and handing a stored file back to the user. */
import { fileTooLargeMessage, MAX_FILE_BYTES } from '../../../../core/contract/programmes';
import { t } from '../../i18n/ru';

export interface ReadFile {
  name: string;
  mime: string | null;
  data: string;
  size: number;
}

/** Reads a file as base64; a too-large or unreadable file becomes a Russian message instead. */
export function readFileForUpload(file: File): Promise<{ ok: true; file: ReadFile } | { ok: false; message: string }> {
  if (file.size > MAX_FILE_BYTES) return Promise.resolve({ ok: false, message: fileTooLargeMessage(file.name, file.size) });
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onerror = () => resolve({ ok: false, message: t.programmes.panel.unreadable(file.name) });
    reader.onload = () => {
      const url = String(reader.result ?? '');
      const comma = url.indexOf(',');
      resolve({ ok: true, file: { name: file.name, mime: file.type || null, data: comma >= 0 ? url.slice(comma + 1) : '', size: file.size } });
    };
    reader.readAsDataURL(file);
  });
}

/** A document's title from its file name: «Протокол_педсовета.pdf» → «Протокол педсовета». */
export const titleFromFileName = (name: string): string => name.replace(/\.[^.]+$/, '').replace(/[_]+/g, ' ').trim() || name;

/** A first guess at the kind from the file name; the user can change it. */
export function guessKind(name: string, mime: string | null): string {
  const n = name.toLowerCase();
  if (/приказ/.test(n)) return 'Приказ';
  if (/протокол/.test(n)) return 'Протокол';
  if (/справк|анализ/.test(n)) return 'Аналитическая справка';
  if (/сертификат|удостоверен|кпк/.test(n)) return 'Сертификат КПК';
  if (/план/.test(n)) return 'План';
  if (/отч[её]т/.test(n)) return 'Отчёт';
  if (mime?.startsWith('image/')) return 'Фото';
  return 'Другое';
}

function blobUrl(data: string, mime: string | null): string {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: mime ?? 'application/octet-stream' }));
}

/** Saves a copy through the browser's download. */
export function saveCopy(file: { name: string; mime: string | null; data: string }): void {
  const url = blobUrl(file.data, file.mime);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens the file in a new tab (PDF and images show in the browser; others download). */
export function openFile(file: { name: string; mime: string | null; data: string }): void {
  const url = blobUrl(file.data, file.mime);
  const w = window.open(url, '_blank');
  if (!w) saveCopy(file);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
