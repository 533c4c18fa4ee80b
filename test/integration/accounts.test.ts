/**
 * Accounts on a laptop, through the core as the shells call it: the first account encrypts the
 * data folder, sign-in works offline with the password alone, a locked laptop answers nothing
 * but the auth calls, and what an account may do is decided by the permissions rule at the
 * door (dispatch) and on every write (the write guard), with nothing written when refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreOptions, LocalCore } from '../../main/app';
import { DEMO_PASSWORDS } from '../../core/accounts/demoAccounts.node';
import { KEYRING_FILE } from '../../core/accounts/keyring.node';
import { loadDemo } from '../../core/demo';
import { createBackup } from '../../core/backup.node';
import { openStore } from '../../db/open';
import { qb } from '../../db/store';
import { DB_FILE } from '../../main/paths';
import { openTestCore, tempDir, writeFootprint } from './coreFixture';

const opened: LocalCore[] = [];
afterEach(() => {
  for (const core of opened.splice(0)) core.close();
});

function start(dir: string, options: CoreOptions = {}) {
  const app = openTestCore(dir, options);
  opened.push(app.core);
  return app;
}

const header = (file: string) => fs.readFileSync(file).subarray(0, 16).toString('latin1');
const PLAIN = 'SQLite format 3\0';

describe('the first account', () => {
  it('on a new laptop: a district, then the coordinator account, which encrypts the database', async () => {
    const dir = tempDir();
    const { ok, call, core } = start(dir);
    expect((await ok('auth.state', {})).status).toBe('setup');
    expect((await ok('auth.state', {})).hasData).toBe(false);
    await ok('app.createDistrict', { region: 'Свердловская область', district: 'Тестовый район' });
    expect((await ok('auth.state', {})).hasData).toBe(true);

    const short = await call('auth.createFirst', { person: { last_name: 'Иванова', first_name: 'Мария' }, password: 'короткий' });
    expect(short.ok).toBe(true);
    const state = await ok('auth.state', {});
    expect(state.status).toBe('signed_in');
    expect(state.session?.role).toBe('coordinator');
    expect(state.session?.name).toBe('Иванова М.');
    expect(header(path.join(dir, DB_FILE))).not.toBe(PLAIN);
    const keyring = fs.readFileSync(path.join(dir, KEYRING_FILE), 'utf8');
    expect(keyring).not.toContain('короткий');

    // The coordinator's person is a row of the district, written by the account.
    const me = core.ctx.store.first(qb.selectFrom('people').selectAll().where('last_name', '=', 'Иванова'));
    expect(me?.is_coordinator).toBe(1);
    expect(state.session?.personId).toBe(me?.id);
  });

  it('refuses a password shorter than 8 and a second first account', async () => {
    const dir = tempDir();
    const { ok, call } = start(dir);
    await ok('app.createDistrict', { region: 'Р', district: 'Д' });
    const weak = await call('auth.createFirst', { person: { last_name: 'А', first_name: 'Б' }, password: '1234567' });
    expect(weak.ok).toBe(false);
    if (!weak.ok) expect(weak.error.fields?.password).toBe('Пароль — не короче 8 знаков');
    await ok('auth.createFirst', { person: { last_name: 'А', first_name: 'Б' }, password: '12345678' });
    const again = await call('auth.createFirst', { person: { last_name: 'В', first_name: 'Г' }, password: '12345678' });
    expect(again.ok).toBe(false);
  });

  it('upgrades a plain database made by the version before accounts: every row kept, backups and attachments encrypted, nothing plain left', async () => {
    const dir = tempDir();
    const plain = openStore(path.join(dir, DB_FILE));
    loadDemo(plain);
    const before = writeFootprint(plain);
    // A daily backup of that version: a plain copy that must not stay readable.
    createBackup(plain, dir, 'daily', { prune: false });
    plain.close();

    const { ok, core } = start(dir);
    const people = await ok('people.list', {});
    const coordinator = people.rows.find((p) => p.is_coordinator) ?? people.rows[0]!;
    await ok('auth.createFirst', { personId: coordinator.id, password: 'пароль-координатора' });
    expect(writeFootprint(core.ctx.store)).toMatchObject({ schools: before.schools, people: before.people, orders: before.orders });

    for (const name of fs.readdirSync(path.join(dir, 'backups'))) {
      const file = path.join(dir, 'backups', name);
      if (fs.statSync(file).isFile()) expect(header(file), name).not.toBe(PLAIN);
    }
    expect(header(path.join(dir, DB_FILE))).not.toBe(PLAIN);
    // Plain SQLite sees noise.
    const raw = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(() => raw.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    raw.close();
  });
});

describe('sign-in', () => {
  it('opens the database only with the right password, offline, after a restart', async () => {
    const dir = tempDir();
    const first = start(dir);
    await first.ok('app.createDistrict', { region: 'Р', district: 'Д' });
    await first.ok('auth.createFirst', { person: { last_name: 'Петров', first_name: 'Пётр' }, password: 'верный-пароль' });
    await first.ok('schools.create', { full_name: 'Школа № 1', short_name: 'Школа № 1', kind: 'СОШ', is_participant: true, stage: 'forming' });
    first.core.close();

    const { ok, call } = start(dir);
    const locked = await ok('auth.state', {});
    expect(locked.status).toBe('locked');
    expect(locked.accounts.map((a) => a.name)).toEqual(['Петров П.']);
    const refused = await call('schools.list', {});
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('locked');

    const wrong = await call('auth.signIn', { accountId: locked.accounts[0]!.id, password: 'неверный' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toBe('Неверный пароль.');
    await ok('auth.signIn', { accountId: locked.accounts[0]!.id, password: 'верный-пароль' });
    expect((await ok('schools.list', {})).rows.map((s) => s.short_name)).toEqual(['Школа № 1']);

    await ok('auth.signOut', {});
    expect((await ok('auth.state', {})).status).toBe('locked');
    expect((await call('schools.list', {})).ok).toBe(false);
  });

  it('waits after five wrong passwords in a row', async () => {
    const dir = tempDir();
    const { ok, call } = start(dir);
    await ok('app.createDistrict', { region: 'Р', district: 'Д' });
    await ok('auth.createFirst', { person: { last_name: 'Петров', first_name: 'Пётр' }, password: 'верный-пароль' });
    const account = (await ok('auth.signOut', {})).accounts[0]!;
    for (let i = 0; i < 5; i++) await call('auth.signIn', { accountId: account.id, password: `нет-${i}` });
    const sixth = await call('auth.signIn', { accountId: account.id, password: 'верный-пароль' });
    expect(sixth.ok).toBe(false);
    if (!sixth.ok) expect(sixth.error.code).toBe('throttled');
  });

  it('changes the password: the old one stops working, the data stays', async () => {
    const dir = tempDir();
    const { ok, call } = start(dir);
    await ok('app.createDistrict', { region: 'Р', district: 'Д' });
    await ok('auth.createFirst', { person: { last_name: 'Петров', first_name: 'Пётр' }, password: 'старый-пароль' });
    expect((await call('auth.changePassword', { oldPassword: 'не тот', newPassword: 'новый-пароль' })).ok).toBe(false);
    await ok('auth.changePassword', { oldPassword: 'старый-пароль', newPassword: 'новый-пароль' });
    const account = (await ok('auth.signOut', {})).accounts[0]!;
    expect((await call('auth.signIn', { accountId: account.id, password: 'старый-пароль' })).ok).toBe(false);
    await ok('auth.signIn', { accountId: account.id, password: 'новый-пароль' });
    expect((await ok('app.info', {})).district?.name).toBe('Д');
  });
});

describe('a forgotten password', () => {
  it('starts the laptop over with the locked data set aside, still encrypted', async () => {
    const dir = tempDir();
    const { ok, call } = start(dir);
    await ok('app.createDistrict', { region: 'Р', district: 'Д' });
    await ok('auth.createFirst', { person: { last_name: 'Петров', first_name: 'Пётр' }, password: 'забытый-пароль' });
    expect((await call('auth.startOver', { confirm: true })).ok).toBe(false);
    await ok('auth.signOut', {});
    const fresh = await ok('auth.startOver', { confirm: true });
    expect(fresh.status).toBe('setup');
    expect(fresh.hasData).toBe(false);
    expect(fresh.accounts).toEqual([]);
    const [aside] = fs.readdirSync(path.join(dir, 'set-aside'));
    const kept = path.join(dir, 'set-aside', aside!);
    expect(header(path.join(kept, DB_FILE))).not.toBe(PLAIN);
    expect(fs.existsSync(path.join(kept, KEYRING_FILE))).toBe(true);
    expect(fs.existsSync(path.join(dir, KEYRING_FILE))).toBe(false);
    expect((await ok('app.info', {})).district).toBeNull();
  });
});

describe('roles decide, at the door and on every write', () => {
  async function demoAs(role: keyof typeof DEMO_PASSWORDS) {
    const dir = tempDir();
    const app = start(dir, { demo: true, demoAccounts: true });
    const state = await app.ok('auth.state', {});
    const account = state.accounts.find((a) => a.role === role)!;
    await app.ok('auth.signIn', { accountId: account.id, password: DEMO_PASSWORDS[role] });
    return { ...app, session: (await app.ok('auth.state', {})).session! };
  }

  it('the demo starts locked with a coordinator, a curator and a viewer', async () => {
    const dir = tempDir();
    const { ok } = start(dir, { demo: true, demoAccounts: true });
    const state = await ok('auth.state', {});
    expect(state.status).toBe('locked');
    expect(state.accounts.map((a) => a.role).sort()).toEqual(['coordinator', 'curator', 'viewer']);
  });

  it('a viewer reads everything and changes nothing', async () => {
    const { ok, call, core } = await demoAs('viewer');
    expect((await ok('schools.list', {})).rows.length).toBeGreaterThan(0);
    const footprint = writeFootprint(core.ctx.store);
    const r = await call('schools.create', { full_name: 'Новая', short_name: 'Новая', kind: 'СОШ', is_participant: true, stage: 'forming' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('forbidden');
      expect(r.error.message).toBe('Изменять школы и их профили рисков может только муниципальный координатор.');
    }
    expect(writeFootprint(core.ctx.store)).toEqual(footprint);
  });

  it('a curator logs visits at their own schools only, and cannot edit people', async () => {
    const { ok, call, core, session } = await demoAs('curator');
    expect(session.ownSchoolIds.length).toBeGreaterThan(0);
    const own = session.ownSchoolIds[0]!;
    const other = core.ctx.store.first(qb.selectFrom('schools').select('id').where('id', 'not in', session.ownSchoolIds).where('is_participant', '=', 1))!.id;
    const visit = (school_id: string) => ({ school_id, curator_id: session.personId!, date: '2026-11-20', format: 'school' as const, stage: 'implementing' as const });
    const saved = await ok('visits.save', visit(own));
    expect(saved.curator_id).toBe(session.personId);
    const footprint = writeFootprint(core.ctx.store);
    const refused = await call('visits.save', visit(other));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('forbidden');
      expect(refused.error.message).toContain('только по своим школам');
    }
    const people = await call('people.create', { last_name: 'Новиков', first_name: 'Н', is_coordinator: false, is_curator: true, is_school_coordinator: false, is_director: false });
    expect(people.ok).toBe(false);
    expect(writeFootprint(core.ctx.store)).toEqual(footprint);
  });

  it('every change a signed-in account writes names it as the author', async () => {
    const { ok, core, session } = await demoAs('coordinator');
    await ok('schools.create', { full_name: 'Школа автора', short_name: 'Школа автора', kind: 'СОШ', is_participant: true, stage: 'forming' });
    const last = core.ctx.store.sqlite.prepare("SELECT author FROM changes WHERE tbl = 'schools' ORDER BY device_seq DESC LIMIT 1").get() as { author: string };
    expect(last.author).toBe(session.id);
  });
});
