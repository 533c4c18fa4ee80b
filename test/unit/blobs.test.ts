import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobPath, decodeBase64, MAX_BLOB_BYTES, putBlob, readBlob, sha256Of } from '../../core/blobs.node';
import { AppError } from '../../db/errors';
import { openStore } from '../../db/open';
import type { Store } from '../../db/store';

let store: Store;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-blobs-'));
  store = openStore(':memory:');
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('no error thrown');
};

describe('blobs: files stored once by SHA-256 in <dataDir>/blobs', () => {
  it('stores bytes under their hash and records the blob once', () => {
    const bytes = Buffer.from('Протокол педсовета № 3 от 12.05.2022');
    const a = putBlob(store, dir, bytes, 'text/plain');
    const b = putBlob(store, dir, bytes, 'text/plain');
    expect(a).toEqual(b);
    expect(a.sha256).toBe(sha256Of(bytes));
    expect(fs.readFileSync(path.join(dir, 'blobs', a.sha256))).toEqual(bytes);
    expect(fs.readdirSync(path.join(dir, 'blobs'))).toEqual([a.sha256]);
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 1 });
    expect(readBlob(dir, a.sha256)).toEqual(bytes);
  });

  it('refuses a file over the limit with its size in Russian, writing nothing', () => {
    const e = errorOf(() => putBlob(store, dir, Buffer.alloc(MAX_BLOB_BYTES + 1), null, 'скан.pdf'));
    expect(e.code).toBe('file_too_large');
    expect(e.message).toContain('«скан.pdf» слишком большой');
    expect(e.message).toContain('20,0 МБ');
    expect(fs.existsSync(path.join(dir, 'blobs'))).toBe(false);
  });

  it('refuses an empty file', () => {
    expect(errorOf(() => putBlob(store, dir, Buffer.alloc(0), null)).code).toBe('file_empty');
  });

  it('a vanished file is a clear error naming the file', () => {
    const { sha256 } = putBlob(store, dir, Buffer.from('x'), null);
    fs.rmSync(blobPath(dir, sha256));
    const e = errorOf(() => readBlob(dir, sha256, 'приказ.pdf'));
    expect(e.code).toBe('file_missing');
    expect(e.message).toContain('«приказ.pdf» не найден');
  });

  it('a damaged file is reported, not served', () => {
    const { sha256 } = putBlob(store, dir, Buffer.from('оригинал'), null);
    fs.writeFileSync(blobPath(dir, sha256), 'подмена');
    expect(errorOf(() => readBlob(dir, sha256)).code).toBe('file_damaged');
  });

  it('a damaged file under the right hash is rewritten when the same content is attached again', () => {
    const bytes = Buffer.from('содержимое');
    const { sha256 } = putBlob(store, dir, bytes, null);
    fs.writeFileSync(blobPath(dir, sha256), 'x');
    putBlob(store, dir, bytes, null);
    expect(readBlob(dir, sha256)).toEqual(bytes);
  });

  it('decodes base64 and refuses what is not base64', () => {
    expect(decodeBase64(Buffer.from('abc').toString('base64'), 'a.txt').toString()).toBe('abc');
    expect(errorOf(() => decodeBase64('не base64!', 'a.txt')).code).toBe('file_unreadable');
    expect(errorOf(() => decodeBase64('', 'a.txt')).code).toBe('file_empty');
  });

  it('refuses a path that is not a hash (no escaping the blobs folder)', () => {
    expect(() => blobPath(dir, '../../etc/passwd')).toThrow(AppError);
  });
});
