/**
 * Attachment storage: each file's bytes live once in `<dataDir>/blobs/<sha256>` (the
 * same content attached twice is stored once), and the local `blobs` table lists what
 * this laptop holds. Evidence rows reference a blob by its SHA-256; sync ships the
 * files of this folder in its packages, so keep the layout.
 *
 * Writes are atomic (temporary file, then rename), so a crash never leaves a half file
 * under a real hash; reads check the hash, so a damaged file is reported, not served.
 *
 * On a laptop whose database is encrypted (`store.dataKey`), files are encrypted too
 * (AES-256-GCM with the data key, sealBlob below) and still named by the SHA-256 of their
 * plain bytes; a plain file from before the encryption stays readable until
 * encryptBlobsInPlace converts it. The hub keeps plain files (no key).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../db/errors';
import { writeFileAtomically } from '../db/files.node';
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

/**
 * An encrypted file: MAGIC, VERSION, a random 12-byte nonce, the 16-byte GCM tag, then the
 * ciphertext. The header up to the nonce is authenticated too.
 */
const MAGIC = Buffer.from('SHNOR500', 'latin1');
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + NONCE_BYTES + TAG_BYTES;

const isSealed = (raw: Buffer): boolean => raw.length >= HEADER_BYTES && raw.subarray(0, MAGIC.length).equals(MAGIC) && raw[MAGIC.length] === VERSION;

/** The bytes of an encrypted attachment file for `bytes`. */
export function sealBlob(bytes: Uint8Array, key: Buffer): Buffer {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const aad = Buffer.concat([MAGIC, Buffer.of(VERSION), nonce]);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([aad, cipher.getAuthTag(), body]);
}

function unseal(raw: Buffer, key: Buffer): Buffer | null {
  const aadEnd = MAGIC.length + 1 + NONCE_BYTES;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(MAGIC.length + 1, aadEnd));
    decipher.setAAD(raw.subarray(0, aadEnd));
    decipher.setAuthTag(raw.subarray(aadEnd, HEADER_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * The plain bytes of a stored file named `sha256`, or null when they do not hash to it (damaged,
 * or encrypted with another key). A plain file (from before the encryption, or the hub's) is
 * taken as it is.
 */
export function decodeBlob(raw: Buffer, sha256: string, key: Buffer | null): Buffer | null {
  if (sha256Of(raw) === sha256) return raw;
  if (!isSealed(raw)) return null;
  if (!key) throw new AppError('file_locked', 'Файл в папке данных зашифрован, а ключ данных не передан: войдите в программу заново.');
  const plain = unseal(raw, key);
  return plain && sha256Of(plain) === sha256 ? plain : null;
}

/** Stores plain `bytes` as the file `file` (encrypted when there is a key), atomically. */
export function writeBlobFile(file: string, bytes: Uint8Array, key: Buffer | null): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomically(file, key ? sealBlob(bytes, key) : bytes);
}

/** How many attachment files were encrypted by encryptBlobsInPlace. */
export interface EncryptBlobsResult {
  encrypted: number;
}

/**
 * Encrypts every plain file of `<dataDir>/blobs` and of the backups' store
 * (`<dataDir>/backups/blobs`) in place, on the upgrade to an encrypted laptop. Each file is
 * replaced by one rename (new file written and synced first), so a crash leaves it plain or
 * encrypted, never lost; run again, it finishes the rest. A backup's file that was a hard link
 * to a live one becomes a link to the encrypted live file again, so it is stored once.
 */
export function encryptBlobsInPlace(dataDir: string, key: Buffer): EncryptBlobsResult {
  const live = path.join(dataDir, BLOBS_DIR);
  let encrypted = 0;
  for (const dir of [live, path.join(dataDir, 'backups', BLOBS_DIR)]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!SHA256.test(name)) continue;
      const file = path.join(dir, name);
      const raw = fs.readFileSync(file);
      if (isSealed(raw)) continue;
      const twin = path.join(live, name);
      if (dir !== live && sameContent(twin, raw, name, key)) placeFile(twin, file);
      else writeFileAtomically(file, sealBlob(raw, key));
      encrypted += 1;
    }
  }
  return { encrypted };
}

/** True when the live file `twin` holds the same plain bytes as `raw` (named `sha256`). */
function sameContent(twin: string, raw: Buffer, sha256: string, key: Buffer): boolean {
  if (sha256Of(raw) !== sha256) return false;
  try {
    return decodeBlob(fs.readFileSync(twin), sha256, key) !== null;
  } catch {
    return false;
  }
}

/** Puts `src` at `dst` (a hard link, or a copy where links are refused) through a temporary name. */
export function placeFile(src: string, dst: string): void {
  const tmp = `${dst}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  try {
    fs.linkSync(src, tmp);
  } catch {
    fs.copyFileSync(src, tmp);
  }
  fs.renameSync(tmp, dst);
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
  if (!holds(file, sha256, store.dataKey)) {
    try {
      writeBlobFile(file, bytes, store.dataKey);
    } catch (e) {
      throw new AppError('file_write', `Не удалось сохранить файл «${fileName}» в папку данных: ${(e as Error).message}`);
    }
  }
  store
    .prepare('INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING')
    .run(sha256, bytes.length, mime, new Date().toISOString());
  return { sha256, size: bytes.length };
}

/** A file already there is kept when it reads back to the same bytes (plain from before, or encrypted). */
function holds(file: string, sha256: string, key: Buffer | null): boolean {
  try {
    return decodeBlob(fs.readFileSync(file), sha256, key) !== null;
  } catch {
    return false;
  }
}

export function hasBlob(dataDir: string, sha256: string): boolean {
  return fs.existsSync(blobPath(dataDir, sha256));
}

/**
 * Reads a stored file (decrypted with `key`, the store's dataKey, when it is encrypted); a
 * missing or damaged file is a clear error and nothing else changes.
 */
export function readBlob(dataDir: string, sha256: string, fileName = 'файл', key: Buffer | null = null): Buffer {
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
  const plain = decodeBlob(bytes, sha256, key);
  if (!plain) {
    throw new AppError('file_damaged', `Файл «${fileName}» в папке данных повреждён (содержимое не совпадает с сохранённым). Запись о документе сохранена: прикрепите файл заново.`);
  }
  return plain;
}
