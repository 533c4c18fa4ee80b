/**
 * Accounts across laptops, over the real HTTP hub, through the calls the screens make: the
 * region's code binds the coordinator's laptop; the coordinator issues a code for a curator;
 * the curator's new laptop joins with it, sets a password, sets a verdict at their own school;
 * the coordinator's laptop shows the verdict signed by that curator. A shared laptop takes a
 * second account with a code; a code is one-time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningHub } from '../../server/http';
import type { CoreOptions, LocalCore } from '../../main/app';
import { openTestCore } from '../integration/coreFixture';
import { DEMO_PASSWORDS } from '../../core/accounts/demoAccounts.node';
import { qb } from '../../db/store';
import { replicaOf } from '../../db/replica';
import { makeHub, tempDir, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
const cores: LocalCore[] = [];

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

function laptop(options: CoreOptions = {}) {
  const app = openTestCore(tempDir('shnor-acc-'), options);
  cores.push(app.core);
  return app;
}

/** What the hub refused of this laptop's changes (kept locally, shown under Синхронизация). */
const refusals = (core: LocalCore) => core.ctx.store.all(qb.selectFrom('sync_refusals').select(['tbl', 'reason']));

describe('accounts across laptops', () => {
  it('a curator signs in on a new laptop with the coordinator’s code; their verdict reaches the coordinator signed by them', async () => {
    const district = await th.hub.createDistrict('Каменск-Уральский ГО');
    const a = laptop({ demo: true, demoAccounts: true });
    const coordinator = (await a.ok('auth.state', {})).accounts.find((x) => x.role === 'coordinator')!;
    await a.ok('auth.signIn', { accountId: coordinator.id, password: DEMO_PASSWORDS.coordinator });
    await a.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(district.id)).code });
    await a.ok('sync.now', {});
    expect(refusals(a.core)).toEqual([]);

    // A curator with a current assignment and a programme with a document at that school.
    const store = a.core.ctx.store;
    const target = store.first(
      qb
        .selectFrom('evidence as e')
        .innerJoin('measures as m', 'm.id', 'e.measure_id')
        .innerJoin('programmes as p', 'p.id', 'm.programme_id')
        .innerJoin('curator_assignments as ca', 'ca.school_id', 'p.school_id')
        .select(['e.id as evidenceId', 'ca.curator_id as curatorId', 'p.school_id as schoolId'])
        .where('ca.deleted_at', 'is', null)
        .where('ca.date_to', 'is', null)
        .where('e.deleted_at', 'is', null)
        .where('e.verdict', '!=', 'confirmed'),
    )!;
    expect(target).toBeDefined();

    const issued = await a.ok('auth.issueCode', { personId: target.curatorId, role: 'curator' });
    expect(issued.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const b = laptop();
    await b.ok('sync.enrol', { serverUrl: srv.url, code: issued.code });
    await b.ok('sync.now', {});
    const setup = await b.ok('auth.state', {});
    expect(setup.status).toBe('setup');
    expect(setup.hasData).toBe(true);
    await b.ok('auth.createFirst', { password: 'пароль-куратора' });
    const session = (await b.ok('auth.state', {})).session!;
    expect(session.role).toBe('curator');
    expect(session.personId).toBe(target.curatorId);
    expect(session.ownSchoolIds).toContain(target.schoolId);

    await b.ok('evidence.setVerdict', { id: target.evidenceId, verdict: 'confirmed', comment: 'Проверено на месте' });
    await b.ok('sync.now', {});
    expect(refusals(b.core)).toEqual([]);

    await a.ok('sync.now', {});
    const evidence = store.first(qb.selectFrom('evidence').selectAll().where('id', '=', target.evidenceId))!;
    expect(evidence.verdict).toBe('confirmed');
    expect(evidence.verdict_by).toBe(target.curatorId);
    const history = store.all(qb.selectFrom('evidence_verdicts').selectAll().where('evidence_id', '=', target.evidenceId).orderBy('at', 'desc'));
    expect(history[0]?.by_person_id).toBe(target.curatorId);
    expect(history[0]?.comment).toBe('Проверено на месте');

    // One code, one use.
    const again = laptop();
    const reused = await again.call('sync.enrol', { serverUrl: srv.url, code: issued.code });
    expect(reused.ok).toBe(false);
    if (!reused.ok) expect(reused.error.message).toContain('уже использован');
  });

  it('a shared laptop takes a second account with a code; each signs in with their own password', async () => {
    const district = await th.hub.createDistrict('Цунтинский район');
    const a = laptop({ demo: true, demoAccounts: true });
    const state = await a.ok('auth.state', {});
    const coordinator = state.accounts.find((x) => x.role === 'coordinator')!;
    await a.ok('auth.signIn', { accountId: coordinator.id, password: DEMO_PASSWORDS.coordinator });
    await a.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(district.id)).code });
    await a.ok('sync.now', {});
    const person = a.core.ctx.store.first(qb.selectFrom('people').selectAll().where('is_director', '=', 1))!;

    const issued = await a.ok('auth.issueCode', { personId: person.id, role: 'viewer' });
    const added = await a.ok('auth.addAccount', { code: issued.code, password: 'пароль-директора' });
    expect(added.session?.role).toBe('viewer');
    expect(added.session?.personId).toBe(person.id);
    expect(added.accounts.length).toBe(state.accounts.length + 1);

    await a.ok('auth.signOut', {});
    const wrong = await a.call('auth.signIn', { accountId: added.session!.id, password: DEMO_PASSWORDS.coordinator });
    expect(wrong.ok).toBe(false);
    await a.ok('auth.signIn', { accountId: added.session!.id, password: 'пароль-директора' });
    const refused = await a.call('schools.update', { id: a.core.ctx.store.first(qb.selectFrom('schools').select('id'))!.id, patch: { notes: 'x' } });
    expect(refused.ok).toBe(false);
  });

  it('only a coordinator issues codes', async () => {
    const a = laptop({ demo: true, demoAccounts: true });
    const curator = (await a.ok('auth.state', {})).accounts.find((x) => x.role === 'curator')!;
    await a.ok('auth.signIn', { accountId: curator.id, password: DEMO_PASSWORDS.curator });
    const person = a.core.ctx.store.first(qb.selectFrom('people').select('id'))!;
    const r = await a.call('auth.issueCode', { personId: person.id, role: 'curator' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
  });

  it('on laptops that sync only by files: the coordinator’s code travels in a package, the curator’s laptop enrols by a request file', async () => {
    const district = await th.hub.createDistrict('Район без интернета');
    const a = laptop({ demo: true, demoAccounts: true });
    const coordinator = (await a.ok('auth.state', {})).accounts.find((x) => x.role === 'coordinator')!;
    await a.ok('auth.signIn', { accountId: coordinator.id, password: DEMO_PASSWORDS.coordinator });
    // A joins by a request file the region answers.
    const request = await a.ok('sync.enrolRequest', { code: (await th.hub.createCode(district.id)).code });
    const reply = await th.hub.enrolFromFile(Buffer.from(request.base64, 'base64'));
    await a.ok('sync.enrolImport', { base64: Buffer.from(reply.reply).toString('base64') });

    const curator = a.core.ctx.store.first(qb.selectFrom('people').selectAll().where('is_curator', '=', 1).orderBy('last_name'))!;
    const issued = await a.ok('auth.issueCode', { personId: curator.id, role: 'curator' });
    expect(issued.via).toBe('package');
    // Before A's package reaches the region the code is unknown there.
    const b = laptop();
    const early = await b.ok('sync.enrolRequest', { code: issued.code });
    await expect(th.hub.enrolFromFile(Buffer.from(early.base64, 'base64'))).rejects.toThrow(/неверен/);

    const exported = await a.ok('sync.export', {});
    await th.hub.push(Buffer.from(exported.base64, 'base64'));
    const c = laptop();
    const later = await c.ok('sync.enrolRequest', { code: issued.code });
    const answer = await th.hub.enrolFromFile(Buffer.from(later.base64, 'base64'));
    await c.ok('sync.enrolImport', { base64: Buffer.from(answer.reply).toString('base64') });
    const setup = await c.ok('auth.state', {});
    expect(setup.status).toBe('setup');
    expect(setup.pending?.role).toBe('curator');
    await c.ok('auth.createFirst', { password: 'пароль-куратора' });
    expect((await c.ok('auth.state', {})).session?.personId).toBe(curator.id);
  });

  it('a device enrolled before accounts binds its first coordinator account when its package names one (trust on first use)', async () => {
    const district = await th.hub.createDistrict('Район со старым ноутбуком');
    const a = laptop({ demo: true, demoAccounts: true });
    const coordinator = (await a.ok('auth.state', {})).accounts.find((x) => x.role === 'coordinator')!;
    await a.ok('auth.signIn', { accountId: coordinator.id, password: DEMO_PASSWORDS.coordinator });
    await a.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(district.id)).code });
    // As a hub from before accounts knew this device: no account bound, no history mark.
    const device = replicaOf(a.core.ctx.store).deviceId;
    await th.hub.db.deleteFrom('account_devices').where('device_id', '=', device).execute();
    await th.hub.db.deleteFrom('accounts').where('district_id', '=', district.id).execute();
    await th.hub.db.updateTable('devices').set({ history_upto: 0 }).where('id', '=', device).execute();

    await a.ok('schools.create', { full_name: 'Школа после обновления', short_name: 'Школа после обновления', kind: 'СОШ', is_participant: true, stage: 'forming' });
    await a.ok('sync.now', {});
    expect(refusals(a.core)).toEqual([]);
    const bound = await th.hub.db.selectFrom('account_devices').innerJoin('accounts', 'accounts.id', 'account_devices.account_id').selectAll('accounts').where('account_devices.device_id', '=', device).execute();
    expect(bound.map((b) => [b.id, b.role, b.person_id])).toEqual([[coordinator.id, 'coordinator', coordinator.personId]]);
  });
});
