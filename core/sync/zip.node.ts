/**
 * Reads the zip files fflate's zipSync writes (packages), inflating with Node's zlib: on a
 * 100,000-change package fflate's JavaScript inflate took longer than verifying the whole
 * package. Strict: any malformed structure throws (the caller refuses the package whole).
 * The limit on the declared unpacked size guards against zip bombs; each entry must
 * inflate to exactly its declared size.
 */
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function readZip(data: Uint8Array, maxUnzippedBytes: number): Record<string, Uint8Array> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  let e = data.length - 22;
  for (; ; --e) {
    if (e < 0 || data.length - e > 22 + 0xffff) throw new Error('zip: no end of central directory');
    if (u32(e) === EOCD) break;
  }
  const count = u16(e + 10);
  let at = u32(e + 16);
  // Object without a prototype: a part named "__proto__" is just an unexpected part.
  const files = Object.create(null) as Record<string, Uint8Array>;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL) throw new Error('zip: bad central directory entry');
    const method = u16(at + 10);
    const size = u32(at + 20);
    const originalSize = u32(at + 24);
    const nameLength = u16(at + 28);
    const local = u32(at + 42);
    const name = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (u32(local) !== LOCAL) throw new Error('zip: bad local header');
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + size > data.length) throw new Error('zip: entry past the end');
    total += originalSize;
    if (total > maxUnzippedBytes) throw new Error('zip: too large unpacked');
    const raw = data.subarray(start, start + size);
    let out: Uint8Array;
    if (method === 0) out = raw.slice();
    // One output buffer of the declared size: zlib's default 16 KB pieces would be concatenated (copied) again.
    else if (method === 8) out = inflateRawSync(raw, { maxOutputLength: Math.max(1, originalSize), chunkSize: Math.max(64, originalSize) });
    else throw new Error(`zip: unknown compression ${method}`);
    if (out.length !== originalSize) throw new Error('zip: size differs from the directory');
    files[name] = out;
  }
  return files;
}
