/**
 * Mass deletion on the regional server: a pushed package that tombstones more than the
 * laptops' threshold of the district's live rows is refused with a Russian message and
 * nothing stored, unless the user confirmed it (the laptop's confirm flow sets the flag);
 * a few deletions pass. The package file path asks on export with the same rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASS_DELETE_MIN } from '../../core/rules/massDelete';
import { buildOutgoing } from '../../core/sync/local.node';
import { listen, type RunningHub } from '../../server/http';
import { HubError } from '../../server/hub';
import { openTestCore, type TestCore } from '../integration/coreFixture';
import { makeHub, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
const cores: TestCore[] = [];

beforeAll(async () => {
  process.env.SHNOR_SYNC_INTERVAL_MS = '0';
  th = await makeHub();
  srv = await listen(th.hub, 0);
});
afterAll(async () => {
  for (const c of cores) c.close();
  await srv.close();
  await th.close();
});

async function laptopWithSchools(districtId: string, n: number): Promise<{ core: TestCore; ids: string[] }> {
  const core = openTestCore();
  cores.push(core);
  await core.ok('app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    ids.push((await core.ok('schools.create', { full_name: `МАОУ «СОШ № ${i}»`, short_name: `СОШ № ${i}`, kind: 'СОШ', is_participant: true, stage: 'forming' })).id);
  }
  await core.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(districtId)).code });
  await core.ok('sync.now', {});
  return { core, ids };
}

const hubCounts = async () => ({
  changes: Number((await th.hub.db.selectFrom('changes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  packages: Number((await th.hub.db.selectFrom('packages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
});

describe('the server refuses a mass deletion unless confirmed', () => {
  it('refuses a push deleting most of the district, stores nothing, then accepts it once the user confirms', async () => {
    const district = await th.hub.createDistrict('Каменск-Уральский ГО');
    const { core: a, ids } = await laptopWithSchools(district.id, 20);
    const store = a.core.ctx.store;
    for (const id of ids.slice(0, 15)) await a.ok('schools.delete', { id });

    // In-process: the hub's own refusal.
    const before = await hubCounts();
    const e = await th.hub.push(buildOutgoing(store, a.dir)).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(HubError);
    expect((e as HubError).code).toBe('mass_delete');
    expect((e as HubError).message).toMatch(/удаляет много записей сразу \(15 из 20\)/);
    expect(await hubCounts()).toEqual(before);

    // Through the app, as the Синхронизация screen does: refused, then confirmed.
    const refused = await a.call('sync.now', {});
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('mass_delete');
    expect(await hubCounts()).toEqual(before);
    expect((await a.ok('sync.status', {})).pending).toBe(15);
    await a.ok('sync.now', { confirmMassDelete: true });
    expect((await a.ok('sync.status', {})).pending).toBe(0);
    expect((await hubCounts()).changes).toBe(before.changes + 15);
  });

  it('lets a few deletions through without asking', async () => {
    const district = await th.hub.createDistrict('Цунтинский район');
    const { core: a, ids } = await laptopWithSchools(district.id, 20);
    for (const id of ids.slice(0, MASS_DELETE_MIN - 1)) await a.ok('schools.delete', { id });
    await a.ok('sync.now', {});
    expect((await a.ok('sync.status', {})).pending).toBe(0);
  });

  it('asks before exporting a package file that deletes most of the district, and flags the confirmed file', async () => {
    const district = await th.hub.createDistrict('Камышловский ГО');
    const { core: a, ids } = await laptopWithSchools(district.id, 12);
    for (const id of ids.slice(0, 11)) await a.ok('schools.delete', { id });
    const r = await a.call('sync.export', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'mass_delete', message: expect.stringMatching(/11 из 12.*выгрузите пакет снова/) });
    const file = await a.ok('sync.export', { confirmMassDelete: true });
    const reply = await th.hub.push(new Uint8Array(Buffer.from(file.base64, 'base64')));
    await a.ok('sync.import', { base64: Buffer.from(reply).toString('base64') });
    expect((await a.ok('sync.status', {})).pending).toBe(0);
  });
});
