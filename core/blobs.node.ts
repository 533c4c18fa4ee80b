/**
 * Attachment storage: each file's bytes live once in `<dataDir>/blobs/<sha256>` (the
 * same content attached twice is stored once), and the local `blobs` table lists what
 * this laptop holds. Evidence rows reference a blob by its SHA-256; sync ships the
 * files of this folder in its packages, so keep the layout.
 *
 * Writes are atomic (temporary file, then rename), so a crash never leaves a half file
 * under a real hash; reads check the hash, so a damaged file is reported, not served.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../db/errors';
import type { Store } from '../db/store';

import { fileTooLargeMessage, formatFileSize, MAX_FILE_BYTES } from './contract/programmes';

/** The largest attachment accepted: school documents are scans and photos, not videos. */
export const MAX_BLOB_BYTES = MAX_FILE_BYTES;

export const BLOBS_DIR = 'blobs';

const SHA256 = /^[0-9a-f]{64}$/;

export const blobPath = (dataDir: string, sha256: string): string => {
  if (!SHA256.test(sha256)) throw new AppError('bad_blob', 'Неверная ссылка на файл.');
  return path.join(dataDir, BLOBS_DIR, sha256);
};

export const sha256Of = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex');

export const formatSize = formatFileSize;

/** Decodes base64 from the renderer, refusing anything that is not base64. */
export function decodeBase64(data: string, fileName: string): Buffer {
  const clean = data.replace(/\s+/g, '');
  if (clean.length === 0) throw new AppError('file_empty', `Файл «${fileName}» пустой: прикреплять нечего.`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new AppError('file_unreadable', `Файл «${fileName}» не удалось прочитать: данные повреждены при передаче. Попробуйте прикрепить его ещё раз.`);
  }
  return Buffer.from(clean, 'base64');
}

export interface StoredBlob {
  sha256: string;
  size: number;
}

/** Stores bytes by their SHA-256 (once) and records the blob; returns its hash and size. */
export function putBlob(store: Store, dataDir: string, bytes: Uint8Array, mime: string | null, fileName = 'файл'): StoredBlob {
  if (bytes.length === 0) throw new AppError('file_empty', `Файл «${fileName}» пустой: прикреплять нечего.`);
  if (bytes.length > MAX_BLOB_BYTES) {
    throw new AppError('file_too_large', fileTooLargeMessage(fileName, bytes.length));
  }
  const sha256 = sha256Of(bytes);
  const file = blobPath(dataDir, sha256);
  const present = fs.existsSync(file) && fs.statSync(file).size === bytes.length;
  if (!present) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw new AppError('file_write', `Не удалось сохранить файл «${fileName}» в папку данных: ${(e as Error).message}`);
    }
  }
  store
    .prepare('INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING')
    .run(sha256, bytes.length, mime, new Date().toISOString());
  return { sha256, size: bytes.length };
}

export function hasBlob(dataDir: string, sha256: string): boolean {
  return fs.existsSync(blobPath(dataDir, sha256));
}

/** Reads a stored file; a missing or damaged file is a clear error and nothing else changes. */
export function readBlob(dataDir: string, sha256: string, fileName = 'файл'): Buffer {
  const file = blobPath(dataDir, sha256);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new AppError(
      'file_missing',
      `Файл «${fileName}» не найден в папке данных (${path.join(BLOBS_DIR, sha256.slice(0, 12))}…). Запись о документе сохранена: прикрепите файл заново или дождитесь синхронизации.`,
    );
  }
  if (sha256Of(bytes) !== sha256) {
    throw new AppError('file_damaged', `Файл «${fileName}» в папке данных повреждён (содержимое не совпадает с сохранённым). Запись о документе сохранена: прикрепите файл заново.`);
  }
  return bytes;
}
