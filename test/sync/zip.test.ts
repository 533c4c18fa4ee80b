/** The package zip reader (zlib inflate) against fflate's own reader, and on damaged input. */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../core/sync/zip.node';
import { rng } from './helpers';

const r = rng(11);
const noise = (n: number) => Uint8Array.from({ length: n }, () => r.int(256));
const files: Record<string, Uint8Array> = {
  'manifest.json': strToU8(JSON.stringify({ format: 1, описание: 'пакет' })),
  signature: strToU8('c2lnbmF0dXJl'),
  'changes/0000.ndjson': strToU8(Array.from({ length: 3000 }, (_, i) => JSON.stringify({ d: 'x', q: i + 1, v: { full_name: `Школа № ${i}` } })).join('\n')),
  'changes/0001.ndjson': new Uint8Array(),
  [`blobs/${'a'.repeat(64)}`]: noise(50_000),
};
const zipped = zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
const stored = zipSync(files, { level: 0, mtime: new Date('2020-01-01T00:00:00Z') });

describe('readZip', () => {
  it('reads what fflate writes, compressed or stored, exactly as fflate reads it', () => {
    for (const z of [zipped, stored]) {
      const got = readZip(z, 1e9);
      const want = unzipSync(z);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const k of Object.keys(want)) expect(Buffer.from(got[k]!).equals(Buffer.from(want[k]!)), k).toBe(true);
    }
  });

  it('throws on a file cut short at any point', () => {
    for (let i = 0; i < 300; i++) {
      const cut = r.int(zipped.length);
      expect(() => readZip(zipped.subarray(0, cut), 1e9), `cut at ${cut}`).toThrow();
    }
  });

  it('refuses more unpacked bytes than allowed before inflating them', () => {
    expect(() => readZip(zipped, 60_000)).toThrow(/too large/);
  });

  it('refuses an entry that inflates to another size than the directory says', () => {
    const copy = zipped.slice();
    const view = new DataView(copy.buffer);
    // The first central directory entry: its uncompressed size (offset 24) made one byte smaller.
    const eocd = copy.length - 22;
    const cd = view.getUint32(eocd + 16, true);
    view.setUint32(cd + 24, view.getUint32(cd + 24, true) - 1, true);
    expect(() => readZip(copy, 1e9)).toThrow();
  });

  it('keeps a part named "__proto__" as an ordinary (unexpected) part', () => {
    // fflate cannot be given that name, so the same-length name is patched in the bytes.
    const z = zipSync({ 'xxproto__': strToU8('x'), 'manifest.json': strToU8('{}') });
    const name = strToU8('xxproto__');
    for (let i = 0; i + name.length <= z.length; i++) if (name.every((b, k) => z[i + k] === b)) z.set(strToU8('__proto__'), i);
    const got = readZip(z, 1e9);
    expect(Object.keys(got).sort()).toEqual(['__proto__', 'manifest.json']);
  });
});
