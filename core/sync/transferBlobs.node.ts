/**
 * Attachments over HTTP in resumable pieces (the hub's side: server/blobTransfer.ts). Before
 * its changes go, each file they reference is uploaded from where the hub's copy stops; after
 * the changes came, each file the district's rows reference and this laptop lacks is
 * downloaded from where the laptop's copy stops. A download is kept piece by piece in
 * `<data>/transfers/<sha256>/<offset>-<length>-<piece sha256>` (encrypted with the data key like any
 * attachment), so a restart resumes it too; the finished file must hash to its name.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../db/errors';
import { COLUMNS, SYNCED_TABLES } from '../../db/schema';
import type { Store } from '../../db/store';
import { blobPath, decodeBlob, sha256Of, writeBlobFile } from '../blobs.node';
import { hubRoutes } from '../contract/hub';
import type { Pace } from './transferPace';

/** The hub as the transfer uses it: signed requests (a network failure throws AppError 'offline') and sealing to and from it. */
export interface HubLink {
  send(method: 'GET' | 'POST', path: string, body: Uint8Array, timeoutMs: number): Promise<Response>;
  /** The answer parsed with the route's schema, or the hub's refusal thrown as an AppError. */
  answer<T>(res: Response, schema: z.ZodType<T>): Promise<T>;
  refused(res: Response): Promise<never>;
  seal(bytes: Uint8Array): Uint8Array;
  open(bytes: Uint8Array): Uint8Array;
  /** Runs one piece, again while the link breaks. */
  piece<T>(run: () => Promise<T>): Promise<T>;
  /** Bytes of a piece that arrived whole, for the progress. */
  moved(bytes: number): void;
}

const SHA_COLUMN = /sha256$/;

/** Attachments the district's rows (live or in the trash) reference and this laptop does not hold. */
export function missingBlobs(store: Store, dataDir: string): string[] {
  const out = new Set<string>();
  for (const table of SYNCED_TABLES) {
    for (const column of Object.keys(COLUMNS[table]).filter((c) => SHA_COLUMN.test(c))) {
      // Names from the schema's own constant, not from input.
      const rows = store.prepare(`SELECT DISTINCT "${column}" AS sha FROM "${table}" WHERE "${column}" IS NOT NULL`).all() as { sha: string }[];
      for (const { sha } of rows) if (/^[0-9a-f]{64}$/.test(sha) && !fs.existsSync(blobPath(dataDir, sha))) out.add(sha);
    }
  }
  return [...out];
}

const blobUrl = (district: string, sha: string, what: 'status' | 'pieces'): string => `/api/districts/${encodeURIComponent(district)}/blobs/${sha}/${what}`;

async function status(link: HubLink, district: string, sha: string, pace: Pace) {
  return link.piece(async () => link.answer(await link.send('GET', blobUrl(district, sha, 'status'), new Uint8Array(0), pace.timeoutMs(0)), hubRoutes.blobStatus.reply));
}

/** Sends the file from where the hub's copy stops; a piece refused for its offset asks the hub again. */
export async function uploadBlob(link: HubLink, district: string, sha: string, bytes: Uint8Array, pace: Pace): Promise<void> {
  const first = await status(link, district, sha, pace);
  if (first.size !== null) return;
  let offset = first.received;
  while (offset < bytes.length) {
    offset = await link.piece(async () => {
      const piece = bytes.subarray(offset, offset + pace.pieceBytes());
      const query = `?offset=${offset}&total=${bytes.length}&sha256=${sha256Of(piece)}`;
      const body = link.seal(piece);
      const t0 = performance.now();
      const res = await link.send('POST', blobUrl(district, sha, 'pieces') + query, body, pace.timeoutMs(body.length));
      if (res.status === 409) return (await status(link, district, sha, pace)).received;
      const r = await link.answer(res, hubRoutes.blobUpload.reply);
      pace.measured(body.length, performance.now() - t0);
      link.moved(piece.length);
      return r.complete ? bytes.length : r.received;
    });
  }
}

/** Fetches the file from where this laptop's pieces stop; false when the hub does not hold it (yet). */
export async function downloadBlob(link: HubLink, store: Store, dataDir: string, district: string, sha: string, pace: Pace): Promise<boolean> {
  const { size } = await status(link, district, sha, pace);
  if (size === null) return false;
  const dir = path.join(dataDir, 'transfers', sha);
  const pieces = storedPieces(dir);
  let offset = pieces.reduce((end, p) => (p.offset === end ? end + p.length : end), 0);
  while (offset < size) {
    offset = await link.piece(async () => {
      const length = Math.min(pace.pieceBytes(), size - offset);
      const t0 = performance.now();
      const res = await link.send('GET', `${blobUrl(district, sha, 'pieces')}?offset=${offset}&length=${length}`, new Uint8Array(0), pace.timeoutMs(length));
      if (!res.ok) await link.refused(res);
      const raw = new Uint8Array(await res.arrayBuffer());
      pace.measured(raw.length, performance.now() - t0);
      const piece = link.open(raw);
      writeBlobFile(path.join(dir, `${offset}-${piece.length}-${sha256Of(piece)}`), piece, store.dataKey);
      link.moved(piece.length);
      return offset + piece.length;
    });
  }
  const parts = storedPieces(dir).map((p) => decodeBlob(fs.readFileSync(path.join(dir, p.name)), p.sha, store.dataKey));
  fs.rmSync(dir, { recursive: true, force: true });
  const read = parts.filter((p): p is Buffer => p !== null);
  const whole = read.length === parts.length ? Buffer.concat(read) : null;
  if (!whole || whole.length !== size || sha256Of(whole) !== sha) {
    throw new AppError('blob_checksum', 'Файл вложения, полученный с сервера, не совпал со своей контрольной суммой: он будет загружен заново при следующей синхронизации.');
  }
  writeBlobFile(blobPath(dataDir, sha), whole, store.dataKey);
  return true;
}

interface StoredPiece {
  name: string;
  offset: number;
  length: number;
  sha: string;
}

/** The pieces kept so far (`<offset>-<length>-<sha256>`), in order of offset. */
function storedPieces(dir: string): StoredPiece[] {
  if (!fs.existsSync(dir)) return [];
  const out: StoredPiece[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = /^(\d+)-(\d+)-([0-9a-f]{64})$/.exec(name);
    if (m) out.push({ name, offset: Number(m[1]), length: Number(m[2]), sha: m[3]! });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
