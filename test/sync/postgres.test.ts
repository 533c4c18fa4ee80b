/**
 * The hub on a real PostgreSQL (a throwaway cluster): the same flows as on SQLite —
 * enrolment, sync between two laptops, district isolation, replay refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncRefusal } from '../../core/sync/package.node';
import { insertRow, updateRow } from '../../db/write';
import { HubError } from '../../server/hub';
import { buildOutgoing } from '../../core/sync/local.node';
import { enrol, exchange, importInto, makeHub, makeLaptop, snapshot, syncFully, type TestHub } from './helpers';
import { startPostgres, type PgCluster } from './pgcluster';

let pg: PgCluster;
let th: TestHub;

beforeAll(async () => {
  pg = await startPostgres();
  th = await makeHub(pg.url);
}, 120_000);
afterAll(async () => {
  await th?.close();
  pg?.stop();
});

describe('hub on PostgreSQL', () => {
  it('uses PostgreSQL', () => expect(th.storage.dialect).toBe('postgres'));

  it('syncs two laptops, keeps districts apart, refuses a replayed package', async () => {
    const dA = await th.hub.createDistrict('Район А');
    const dB = await th.hub.createDistrict('Район Б');
    const a = makeLaptop('a');
    const b = makeLaptop('b');
    const other = makeLaptop('other');
    await enrol(th.hub, a, dA.id);
    await enrol(th.hub, b, dA.id);
    await enrol(th.hub, other, dB.id);
    const s = insertRow(a.store, 'schools', { district_id: 'd', full_name: 'Школа', short_name: 'Ш', kind: 'СОШ', is_participant: true, stage: 'forming' });
    for (let i = 0; i < 1200; i++) insertRow(a.store, 'people', { district_id: 'd', last_name: `Фамилия ${i}`, first_name: 'И', is_coordinator: false, is_curator: false, is_school_coordinator: false, is_director: false });
    await syncFully(th.hub, a);
    await syncFully(th.hub, b);
    updateRow(b.store, 'schools', s.id, { notes: 'правка Б' });
    updateRow(a.store, 'schools', s.id, { notes: 'правка А' });
    await syncFully(th.hub, b);
    await syncFully(th.hub, a);
    await syncFully(th.hub, b);
    expect(snapshot(a.store, ['schools', 'people'])).toEqual(snapshot(b.store, ['schools', 'people']));
    expect((b.store.sqlite.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n).toBe(1200);
    await syncFully(th.hub, other);
    expect((other.store.sqlite.prepare('SELECT COUNT(*) AS n FROM schools').get() as { n: number }).n).toBe(0);

    const pkg = buildOutgoing(a.store, a.dataDir);
    await th.hub.push(pkg);
    await expect(th.hub.push(pkg)).rejects.toBeInstanceOf(HubError);
    const reply = await exchange(th.hub, b);
    importInto(b, reply);
    expect(() => importInto(b, reply)).toThrow(SyncRefusal);
  }, 60_000);
});
