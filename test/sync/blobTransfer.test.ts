/**
 * The hub's side of attachments in pieces (server/blobTransfer.ts): a piece joins an upload
 * only at its current end and with its own checksum; the finished file must hash to its
 * name; a download is served only to a district whose changes reference the file. And the
 * laptop's pace: a broken piece makes the next ones shorter, pieces that get through
 * lengthen them again, within bounds.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Of } from '../../core/blobs.node';
import { BLOB_PIECE_MAX } from '../../core/contract/hub';
import { Pace, PIECE_SECONDS } from '../../core/sync/transferPace';
import { BlobTransfers } from '../../server/blobTransfer';
import { makeHub, type TestHub } from './helpers';

let th: TestHub;
let blobs: BlobTransfers;
const bytes = crypto.randomBytes(100_000);
const sha = sha256Of(bytes);
const piece = (offset: number, length: number, total = bytes.length) => {
  const b = bytes.subarray(offset, offset + length);
  return { offset, total, sha256: sha256Of(b), bytes: b };
};

beforeAll(async () => {
  th = await makeHub();
  blobs = new BlobTransfers(th.hub);
});

afterAll(() => th.close());

describe('attachments in resumable pieces, on the hub', () => {
  it('appends whole pieces at the end only, each checked, and completes a file that hashes to its name', () => {
    expect(blobs.status('dev-a', sha)).toEqual({ size: null, received: 0 });
    expect(blobs.receive('dev-a', sha, piece(0, 40_000))).toEqual({ received: 40_000, complete: false });
    // A piece sent again after a lost answer, or one past a gap, is refused with where the upload stands.
    expect(() => blobs.receive('dev-a', sha, piece(0, 40_000))).toThrow(/с байта 40000/);
    expect(() => blobs.receive('dev-a', sha, piece(60_000, 10_000))).toThrow(/с байта 40000/);
    // A piece whose bytes do not match its checksum is refused and not kept.
    expect(() => blobs.receive('dev-a', sha, { ...piece(40_000, 30_000), sha256: sha256Of(Buffer.from('другое')) })).toThrow(/контрольная сумма/);
    expect(blobs.status('dev-a', sha)).toEqual({ size: null, received: 40_000 });
    // Another device's upload of the same file is its own.
    expect(blobs.status('dev-b', sha).received).toBe(0);
    expect(blobs.receive('dev-a', sha, piece(40_000, 60_000))).toEqual({ received: 100_000, complete: true });
    expect(sha256Of(fs.readFileSync(path.join(th.hub.blobDir, sha)))).toBe(sha);
    expect(blobs.status('dev-b', sha)).toEqual({ size: 100_000, received: 0 });
    // Once the hub holds the file, a further piece of it is simply complete.
    expect(blobs.receive('dev-b', sha, piece(0, 10))).toEqual({ received: 100_000, complete: true });
  });

  it('refuses a finished upload that does not hash to its name and starts it over', () => {
    const other = crypto.randomBytes(1000);
    const claimed = sha256Of(Buffer.from('не эти байты'));
    expect(() => blobs.receive('dev-a', claimed, { offset: 0, total: 1000, sha256: sha256Of(other), bytes: other })).toThrow(/не совпадает/);
    expect(blobs.status('dev-a', claimed)).toEqual({ size: null, received: 0 });
    expect(fs.existsSync(path.join(th.hub.blobDir, claimed))).toBe(false);
  });

  it('serves a slice only to a district whose changes reference the file', async () => {
    await expect(blobs.slice('district-x', sha, 0, 10)).rejects.toThrow(/Этого файла на сервере нет/);
    await th.hub.db
      .insertInto('changes')
      .values({ district_id: 'district-x', device_id: 'dev-a', device_seq: 1, hlc: '0000000000a-00000-dev-a', tbl: 'evidence', row_id: crypto.randomUUID(), data: JSON.stringify({ file_sha256: sha }), meta: null, author: null })
      .execute();
    expect(Buffer.from(await blobs.slice('district-x', sha, 99_990, 100)).equals(bytes.subarray(99_990))).toBe(true);
    await expect(blobs.slice('district-y', sha, 0, 10)).rejects.toThrow(/Этого файла на сервере нет/);
  });
});

describe('the pace of pieces', () => {
  it('shortens pieces after a break, lengthens them as pieces get through, within bounds', () => {
    const pace = new Pace();
    pace.measured(64 * 1024, 1000);
    const steady = pace.pieceBytes();
    pace.broke();
    pace.broke();
    expect(pace.pieceBytes()).toBeLessThanOrEqual(steady / 4 + 1);
    for (let i = 0; i < 20; i++) pace.measured(64 * 1024, 1000);
    expect(pace.seconds).toBe(PIECE_SECONDS);
    expect(pace.pieceBytes()).toBeGreaterThan(steady);
    pace.measured(10 * 1024 ** 3, 1);
    expect(pace.pieceBytes()).toBe(BLOB_PIECE_MAX);
    expect(pace.pieceChanges(1)).toBe(5000);
    for (let i = 0; i < 30; i++) pace.broke();
    pace.measured(1, 60_000);
    expect(pace.pieceChanges(10 * 1024 * 1024)).toBe(10);
  });
});
