/**
 * Attachments over HTTP in resumable pieces, on the hub (the routes are in
 * core/contract/hub.ts; the laptop's side is core/sync/transferBlobs.node.ts). An upload is
 * kept per device in `<blobs>/.partial/<device>.<sha256>` and grows only by whole pieces at
 * its current end whose SHA-256 matches the one the request names, so a broken connection
 * loses at most the piece in flight; the finished file must hash to its name before it joins
 * the hub's attachments. Downloads are slices of a file the hub holds, served only to a device
 * of a district whose changes reference it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MAX_BLOB_BYTES, sha256Of } from '../core/blobs.node';
import { fsyncPath } from '../db/files.node';
import { HubError, REGION_STREAM, type Hub } from './hub';

export class BlobTransfers {
  /** `<district>:<sha>` pairs already found referenced, so each piece of a download does not search the changes again. */
  private readonly referenced = new Set<string>();

  constructor(private readonly hub: Hub) {}

  private get dir(): string {
    return this.hub.blobDir;
  }

  private partialOf(deviceId: string, sha: string): string {
    return path.join(this.dir, '.partial', `${deviceId}.${sha}`);
  }

  status(deviceId: string, sha: string): { size: number | null; received: number } {
    return { size: sizeOf(path.join(this.dir, sha)), received: sizeOf(this.partialOf(deviceId, sha)) ?? 0 };
  }

  /** Appends one piece at `offset`; completes the file when it reaches `total`. */
  receive(deviceId: string, sha: string, piece: { offset: number; total: number; sha256: string; bytes: Uint8Array }): { received: number; complete: boolean } {
    const whole = sizeOf(path.join(this.dir, sha));
    if (whole !== null) return { received: whole, complete: true };
    if (piece.total > MAX_BLOB_BYTES) throw new HubError(413, 'blob_too_large', 'Файл больше допустимого размера вложения: не принят.');
    if (piece.offset + piece.bytes.length > piece.total) throw new HubError(400, 'piece_past_end', 'Часть файла выходит за его объявленный размер: не принята.');
    if (sha256Of(piece.bytes) !== piece.sha256) throw new HubError(400, 'piece_checksum', 'Часть файла повреждена при передаче (контрольная сумма не совпала): отправьте её снова.');
    const file = this.partialOf(deviceId, sha);
    const have = sizeOf(file) ?? 0;
    if (have !== piece.offset) throw new HubError(409, 'piece_offset', `Сервер ожидает продолжение файла с байта ${have}, а не ${piece.offset}: запросите состояние и продолжите.`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, piece.bytes);
    const received = have + piece.bytes.length;
    if (received < piece.total) return { received, complete: false };
    const bytes = fs.readFileSync(file);
    if (sha256Of(bytes) !== sha) {
      fs.rmSync(file, { force: true });
      throw new HubError(400, 'blob_checksum', 'Собранный файл не совпадает со своей контрольной суммой: загрузка начнётся заново.');
    }
    fsyncPath(file);
    fs.renameSync(file, path.join(this.dir, sha));
    return { received, complete: true };
  }

  /** Bytes [offset, offset + length) of a file the device's district references. */
  async slice(districtId: string, sha: string, offset: number, length: number): Promise<Uint8Array> {
    const file = path.join(this.dir, sha);
    const size = sizeOf(file);
    if (size === null || !(await this.isReferenced(districtId, sha))) throw new HubError(404, 'no_blob', 'Этого файла на сервере нет: его ещё не передал ноутбук, который его прикрепил.');
    if (offset >= size) throw new HubError(416, 'piece_offset', 'Запрошенная часть файла за его концом.');
    const out = Buffer.alloc(Math.min(length, size - offset));
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, out, 0, out.length, offset);
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  private async isReferenced(districtId: string, sha: string): Promise<boolean> {
    const key = `${districtId}:${sha}`;
    if (this.referenced.has(key)) return true;
    // The hash is hex (checked by the route), so it is safe inside the pattern.
    const row = await this.hub.db
      .selectFrom('changes')
      .select('server_seq')
      .where('district_id', 'in', [districtId, REGION_STREAM])
      .where('data', 'like', `%${sha}%`)
      .limit(1)
      .executeTakeFirst();
    if (row) this.referenced.add(key);
    return !!row;
  }
}

function sizeOf(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}
