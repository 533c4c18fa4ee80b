/**
 * A backlog over a weak link that breaks: a proxy in front of the hub carries 16 KB/s and cuts
 * every connection every 2–5 s. The exchange goes in acknowledged pieces sized to the link,
 * attachments in resumable pieces, so everything arrives, exactly once, and little is sent
 * twice. Sizes keep the file under a minute: at 16 KB/s 1,000 changes and a 64 KB file (30,000
 * changes and 20 MB would take over 20 minutes at that rate), and a 20 MB file through the same
 * breaking proxy at 4 MB/s. `npm run bench` delivers the full 30,000-change backlog at 24 KB/s
 * («backlog 30k slow link»).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlob } from '../../core/blobs.node';
import { enrolHttp } from '../../core/sync/client';
import { META, pendingCount } from '../../core/sync/local.node';
import { replicaOf, setMeta } from '../../db/replica';
import { listen, type RunningHub } from '../../server/http';
import { makeBacklog, syncUntilDone } from './backlog';
import { makeHub, makeLaptop, type Laptop, type TestHub } from './helpers';
import { throttledProxy } from './throttledProxy';

let th: TestHub;
let srv: RunningHub;

beforeAll(async () => {
  th = await makeHub();
  srv = await listen(th.hub, 0);
});

afterAll(async () => {
  await srv.close();
  await th.close();
});

/** A laptop enrolled on the hub directly, then pointed at the proxy (a code is one-time; the link under test is the exchange). */
async function laptopBehind(name: string, district: string, proxyUrl: string): Promise<Laptop> {
  const l = makeLaptop(name);
  const { code } = await th.hub.createCode(district);
  await enrolHttp(l.store, srv.url, code, name);
  setMeta(l.store, META.server, proxyUrl);
  return l;
}

const count = (l: Laptop, sql: string, ...args: unknown[]): number => (l.store.sqlite.prepare(sql).get(...args) as { n: number }).n;

async function deliver(changes: number, fileBytes: number, bytesPerSecond: number) {
  const proxy = await throttledProxy(srv.url, { bytesPerSecond, dropEveryMs: [2000, 5000] });
  try {
    const district = (await th.hub.createDistrict(`Медленная связь ${changes}`)).id;
    const sender = await laptopBehind(`a${changes}`, district, proxy.url);
    const receiver = await laptopBehind(`b${changes}`, district, proxy.url);
    const sha = makeBacklog(sender, changes, fileBytes)!;
    const ownChanges = pendingCount(sender.store);

    const sendRuns = await syncUntilDone(sender);
    const up = proxy.up;
    const receiveRuns = await syncUntilDone(receiver);

    const device = replicaOf(sender.store).deviceId;
    // The hub holds every change of the sender once.
    const onHub = await th.hub.db.selectFrom('changes').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('device_seq').distinct().as('distinct')]).where('device_id', '=', device).executeTakeFirstOrThrow();
    expect(Number(onHub.n)).toBe(ownChanges);
    expect(Number(onHub.distinct)).toBe(ownChanges);
    // The receiver has every row once and the file byte for byte.
    expect(count(receiver, 'SELECT COUNT(*) AS n FROM people')).toBe(changes);
    expect(count(receiver, 'SELECT COUNT(*) AS n FROM changes WHERE device_id = ?', device)).toBe(ownChanges);
    expect(readBlob(receiver.dataDir, sha, 'скан.pdf', receiver.store.dataKey).equals(readBlob(sender.dataDir, sha, 'скан.pdf', sender.store.dataKey))).toBe(true);
    expect(fs.readdirSync(th.hub.blobDir).filter((n) => n === sha)).toHaveLength(1);
    // The link broke while it carried the backlog, and what went up was not sent over again from the start.
    expect(proxy.drops).toBeGreaterThan(0);
    expect(up).toBeLessThan(1.5 * (fileBytes + changes * 120) + 200_000);
    for (const l of [sender, receiver]) l.store.close();
    return { sendRuns, receiveRuns, drops: proxy.drops };
  } finally {
    await proxy.close();
  }
}

describe('a backlog over a link that breaks every few seconds', () => {
  it('16 KB/s: 1,000 changes and a 64 KB attachment arrive exactly once', async () => {
    const r = await deliver(1_000, 64 * 1024, 16 * 1024);
    expect(r.sendRuns + r.receiveRuns).toBeLessThanOrEqual(4);
  }, 120_000);

  it('4 MB/s: a 20 MB attachment arrives exactly once, resumed piece by piece', async () => {
    await deliver(100, 20 * 1024 * 1024, 4 * 1024 * 1024);
  }, 120_000);
});
