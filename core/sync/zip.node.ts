/**
 * Reads the zip files fflate's zipSync writes (packages), inflating with Node's zlib: on a
 * 100,000-change package fflate's JavaScript inflate took longer than verifying the whole
 * package. Strict: any malformed structure throws (the caller refuses the package whole).
 *
 * Bounded, without trusting the headers: each entry may declare at most its limit and all of
 * them together at most the total, and inflating stops the moment an entry's output passes
 * what it declared (zlib's maxOutputLength aborts mid-stream), so a zip bomb costs at most the
 * limits however it lies. An entry must inflate to exactly its declared size.
 *
 * listZip reads the directory (cheap, on the caller's thread); inflateEntry does the costly
 * part, which core/sync/inflate.node.ts runs in a worker for the hub.
 */
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** zlib's output pieces: one piece of the declared size up to this (no second copy), larger entries in pieces. */
const MAX_PIECE = 8 * 1024 * 1024;

export interface ZipLimits {
  /** The most one entry, by its name, may inflate to. */
  entry: (name: string) => number;
  /** The most all entries together may inflate to. */
  total: number;
}

/** Inflating would pass a limit: the file is a zip bomb or not what it claims. */
export class ZipLimitError extends Error {}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** The entry's bytes as stored in the file. */
  raw: Uint8Array;
  /** The unpacked size the directory declares (within the limits). */
  size: number;
}

/** The entries of a zip file, checked against the limits before anything is inflated. */
export function listZip(data: Uint8Array, limits: ZipLimits): ZipEntry[] {
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
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL) throw new Error('zip: bad central directory entry');
    const method = u16(at + 10);
    const stored = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const local = u32(at + 42);
    const name = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (seen.has(name)) throw new Error('zip: an entry named twice');
    seen.add(name);
    if (u32(local) !== LOCAL) throw new Error('zip: bad local header');
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + stored > data.length) throw new Error('zip: entry past the end');
    if (method !== 0 && method !== 8) throw new Error(`zip: unknown compression ${method}`);
    if (method === 0 && stored !== size) throw new Error('zip: size differs from the directory');
    total += size;
    if (size > limits.entry(name)) throw new ZipLimitError('zip: entry too large unpacked');
    if (total > limits.total) throw new ZipLimitError('zip: too large unpacked');
    entries.push({ name, method, raw: data.subarray(start, start + stored), size });
  }
  return entries;
}

/** zlib's options for an entry: output stops past its declared size. */
export const inflateOptions = (entry: Pick<ZipEntry, 'size'>): { maxOutputLength: number; chunkSize: number } => ({
  maxOutputLength: Math.max(1, entry.size),
  chunkSize: Math.min(Math.max(64, entry.size), MAX_PIECE),
});

/** An entry's inflated bytes, or zlib's error, judged: exactly the declared size or a throw. */
export function settleInflated(entry: ZipEntry, out: Uint8Array | { code?: string; message?: string }): Uint8Array {
  if (!(out instanceof Uint8Array)) {
    // Past its declared size: the directory lies (a bomb) or the data is damaged, either way not a package.
    if (out.code === 'ERR_BUFFER_TOO_LARGE') throw new Error('zip: entry inflates past its declared size');
    throw new Error(`zip: ${out.message ?? 'inflate failed'}`);
  }
  if (out.length !== entry.size) throw new Error('zip: size differs from the directory');
  return out;
}

/** One entry's bytes; never more than it declared. */
export function inflateEntry(entry: ZipEntry): Uint8Array {
  if (entry.method === 0) return settleInflated(entry, entry.raw.slice());
  let out: Uint8Array | { code?: string; message?: string };
  try {
    out = inflateRawSync(entry.raw, inflateOptions(entry));
  } catch (e) {
    out = e as { code?: string; message?: string };
  }
  return settleInflated(entry, out);
}

/** Object without a prototype: a part named "__proto__" is just an unexpected part. */
export function filesOf(entries: readonly ZipEntry[], contents: readonly Uint8Array[]): Record<string, Uint8Array> {
  const files = Object.create(null) as Record<string, Uint8Array>;
  entries.forEach((e, i) => (files[e.name] = contents[i]!));
  return files;
}

/** Every entry, inflated on this thread. A number bounds each entry and the total alike. */
export function readZip(data: Uint8Array, limits: ZipLimits | number): Record<string, Uint8Array> {
  const bounds = typeof limits === 'number' ? { entry: () => limits, total: limits } : limits;
  const entries = listZip(data, bounds);
  return filesOf(entries, entries.map(inflateEntry));
}
