/**
 * An empty laptop joins a district through the calls the first-run screen makes
 * (sync.enrol, then sync.now): it leaves the first-run state with the district's data and
 * the shipped reference data, also when the server did not know the district's data id at
 * enrolment; a package file cannot be loaded before enrolment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningHub } from '../../server/http';
import { openTestCore, type TestCore } from '../integration/coreFixture';
import { makeHub, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
const cores: TestCore[] = [];

beforeAll(async () => {
  process.env.SHNOR_SYNC_INTERVAL_MS = '0'; // no background sync: the test drives every exchange
  th = await makeHub();
  srv = await listen(th.hub, 0);
});
afterAll(async () => {
  for (const c of cores) c.close();
  await srv.close();
  await th.close();
});

function laptop(): TestCore {
  const c = openTestCore();
  cores.push(c);
  return c;
}

async function withData(districtId: string): Promise<TestCore> {
  const a = laptop();
  await a.ok('app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
  await a.ok('schools.create', { full_name: 'МАОУ «Средняя общеобразовательная школа № 3»', short_name: 'СОШ № 3', kind: 'СОШ', is_participant: true, stage: 'forming' });
  const { code } = await th.hub.createCode(districtId);
  await a.ok('sync.enrol', { serverUrl: srv.url, code });
  await a.ok('sync.now', {});
  return a;
}

const riskFactors = (c: TestCore) => (c.core.ctx.store.sqlite.prepare('SELECT COUNT(*) AS n FROM risk_factors').get() as { n: number }).n;

describe('joining a district on first run', () => {
  it('an empty laptop enrols, syncs and has the district, its schools and the reference data', async () => {
    const district = await th.hub.createDistrict('Каменск-Уральский ГО');
    const a = await withData(district.id);
    const b = laptop();
    expect((await b.ok('app.info', {})).district).toBeNull();
    const { code } = await th.hub.createCode(district.id);
    const state = await b.ok('sync.enrol', { serverUrl: srv.url, code });
    expect(state.enrolled).toBe(true);
    expect(state.districtName).toBe('Каменск-Уральский ГО');
    const run = await b.ok('sync.now', {});
    expect(run.applied).toBeGreaterThan(0);
    const info = await b.ok('app.info', {});
    expect(info.district?.name).toBe('Каменск-Уральский городской округ');
    const schools = await b.ok('schools.list', {});
    expect(schools.rows.map((r) => r.short_name)).toEqual(['СОШ № 3']);
    expect(riskFactors(b)).toBe(riskFactors(a));
    expect(riskFactors(b)).toBeGreaterThan(0);
  });

  it('takes the district that arrives when the server did not know it at enrolment', async () => {
    const district = await th.hub.createDistrict('Цунтинский район');
    // C enrols while the district on the server has no data yet: nothing to load.
    const c = laptop();
    await c.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(district.id)).code });
    await c.ok('sync.now', {});
    expect((await c.ok('app.info', {})).district).toBeNull();
    // The district is created on another laptop, which then syncs; C's next sync brings it.
    await withData(district.id);
    await c.ok('sync.now', {});
    expect((await c.ok('app.info', {})).district?.name).toBe('Каменск-Уральский городской округ');
    expect(riskFactors(c)).toBeGreaterThan(0);
  });

  it('shows the region the server publishes, on the joined laptop and then on the one that created the district', async () => {
    await th.hub.setRegion('Свердловская область');
    const district = await th.hub.createDistrict('Асбестовский ГО');
    const a = await withData(district.id);
    // The creator's own region row never leaves it; it keeps showing its own until the district is pointed at the hub's.
    expect((await a.ok('app.info', {})).region?.name).toBe('Свердловская область');
    const b = laptop();
    await b.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(district.id)).code });
    await b.ok('sync.now', {});
    const info = await b.ok('app.info', {});
    expect(info.region?.name).toBe('Свердловская область');
    expect(info.district?.region_id).toBe((await th.hub.region())!.id);
    // Renaming the region reaches both laptops; the link B made travels to A.
    await th.hub.setRegion('Свердловская обл.');
    await b.ok('sync.now', {});
    await a.ok('sync.now', {});
    expect((await b.ok('app.info', {})).region?.name).toBe('Свердловская обл.');
    expect((await a.ok('app.info', {})).region?.name).toBe('Свердловская обл.');
  });

  it('refuses a package file before enrolment, saying why, and refuses a wrong code next to the field', async () => {
    const e = laptop();
    const r = await e.call('sync.import', { fileName: 'ответ.shnor', base64: Buffer.from('PK').toString('base64') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/не подключён/);
    const bad = await e.call('sync.enrol', { serverUrl: srv.url, code: 'НЕВЕРНЫЙ-КОД' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('bad_code');
    expect((await e.ok('sync.status', {})).enrolled).toBe(false);
  });
});
