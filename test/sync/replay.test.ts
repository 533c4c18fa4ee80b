/**
 * Signed device requests cannot be replayed: each carries a nonce the hub accepts once,
 * and a timestamp it accepts only within the window; the laptop's own syncs keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolHttp, syncHttp } from '../../core/sync/client';
import { buildOutgoing } from '../../core/sync/local.node';
import { DEVICE_AUTH_WINDOW_MS } from '../../core/contract/hub';
import { insertRow } from '../../db/write';
import { listen, type RunningHub } from '../../server/http';
import { deviceAuth, makeHub, makeLaptop, type Laptop, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
let district: string;
let laptop: Laptop;

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const school = (name: string) => insertRow(laptop.store, 'schools', { district_id: 'd', full_name: name, short_name: name, kind: 'СОШ', is_participant: true, stage: 'forming' });

beforeAll(async () => {
  th = await makeHub();
  srv = await listen(th.hub, 0);
  district = (await th.hub.createDistrict('Район повторов')).id;
  laptop = makeLaptop('replay');
  await enrolHttp(laptop.store, srv.url, (await th.hub.createCode(district)).code, 'Ноутбук повторов');
});
afterAll(async () => {
  await srv.close();
  await th.close();
});

describe('a captured device request', () => {
  it('GET /api/districts/:id/changes: accepted once, the same header again is refused', async () => {
    const target = `/api/districts/${district}/changes?after=0`;
    const headers = deviceAuth(laptop, 'GET', target);
    expect((await fetch(`${srv.url}${target}`, { headers })).status).toBe(200);
    const replayed = await fetch(`${srv.url}${target}`, { headers });
    expect(replayed.status).toBe(401);
    const e = await errorOf(replayed);
    expect(e.code).toBe('replayed_auth');
    expect(e.message).toMatch(/повтор/);
    // A fresh signature by the same device is accepted.
    expect((await fetch(`${srv.url}${target}`, { headers: deviceAuth(laptop, 'GET', target) })).status).toBe(200);
  });

  it('a push: accepted once, the same bytes and header again are refused and nothing is stored twice', async () => {
    school('Школа повторного пакета');
    const bytes = buildOutgoing(laptop.store, laptop.dataDir);
    const headers = { ...deviceAuth(laptop, 'POST', '/api/sync', bytes), 'content-type': 'application/octet-stream' };
    expect((await fetch(`${srv.url}/api/sync`, { method: 'POST', headers, body: Buffer.from(bytes) })).status).toBe(200);
    const replayed = await fetch(`${srv.url}/api/sync`, { method: 'POST', headers, body: Buffer.from(bytes) });
    expect(replayed.status).toBe(401);
    expect((await errorOf(replayed)).code).toBe('replayed_auth');
  });

  it('a timestamp outside the window is refused before its nonce counts', async () => {
    const target = `/api/districts/${district}/changes?after=0`;
    for (const skew of [-DEVICE_AUTH_WINDOW_MS - 60_000, DEVICE_AUTH_WINDOW_MS + 60_000]) {
      const res = await fetch(`${srv.url}${target}`, { headers: deviceAuth(laptop, 'GET', target, new Uint8Array(0), Date.now() + skew) });
      expect(res.status, String(skew)).toBe(401);
      expect((await errorOf(res)).code).toBe('stale_auth');
    }
  });

  it('a nonce is forgotten once its window has passed (the table does not grow without end)', async () => {
    const expired = Date.now() - 1;
    await th.hub.db.insertInto('request_nonces').values({ device_id: 'old-device', nonce: 'old-nonce-0000000000', expires_at: expired }).execute();
    const target = `/api/districts/${district}/changes?after=0`;
    expect((await fetch(`${srv.url}${target}`, { headers: deviceAuth(laptop, 'GET', target) })).status).toBe(200);
    const left = await th.hub.db.selectFrom('request_nonces').select('nonce').where('expires_at', '<', Date.now()).execute();
    expect(left).toEqual([]);
  });

  it("the laptop's own syncs keep working, one after another", async () => {
    for (let i = 0; i < 3; i++) {
      school(`Школа синхронизации ${i}`);
      await syncHttp({ store: laptop.store, dataDir: laptop.dataDir, emit: () => undefined });
    }
    const stored = await th.hub.db.selectFrom('changes').select('row_id').where('tbl', '=', 'schools').where('data', 'like', '%Школа синхронизации%').execute();
    expect(stored).toHaveLength(3);
  });
});
