/**
 * The region page's named accounts over real HTTP: scrypt hashes with their parameters,
 * sessions stored hashed that end on sign-out, on idle expiry and when the password changes,
 * failed sign-ins locked per name and per address (the right password too while locked),
 * the read-only coordinator, and the audit log of every admin action on the page. The
 * hub's clock is the test's, so locks and idle expiry pass without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningHub } from '../../server/http';
import { FREE_FAILURES, RegionAccounts, SESSION_IDLE_MS, SESSION_MAX_MS, verifyPassword } from '../../server/regionAccounts';
import { makeHub, type TestHub } from './helpers';

let th: TestHub;
let srv: RunningHub;
let clock = Date.parse('2026-03-02T09:00:00Z');
const now = () => clock;

const ADMIN = { name: 'Иванова', password: 'очень-длинный-пароль' };
const VIEWER = { name: 'petrov', password: 'пароль координатора' };

async function signIn(name: string, password: string) {
  const res = await fetch(`${srv.url}/region/login`, { method: 'POST', body: new URLSearchParams({ name, password }), redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  return { status: res.status, html: await res.text(), cookie };
}

const open = async (cookie: string | undefined) => {
  const res = await fetch(`${srv.url}/region`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, html: await res.text() };
};

const post = async (cookie: string, path: string, form: Record<string, string>) => {
  const res = await fetch(`${srv.url}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie }, redirect: 'manual' });
  return { status: res.status, html: await res.text() };
};

const audit = async () => (await new RegionAccounts(th.hub.db).auditLog()).map((e) => `${e.actor} | ${e.action} | ${e.detail}`);

beforeAll(async () => {
  th = await makeHub();
  srv = await listen(th.hub, 0, '127.0.0.1', { now });
  const accounts = new RegionAccounts(th.hub.db, now);
  await accounts.createUser('тест', ADMIN.name, 'admin', ADMIN.password);
  await accounts.createUser('тест', VIEWER.name, 'coordinator', VIEWER.password);
});
afterAll(async () => {
  await srv.close();
  await th.close();
});

describe('passwords and sessions', () => {
  it('keeps only scrypt hashes with a salt of their own and the parameters', async () => {
    const users = await th.hub.db.selectFrom('region_users').select(['name', 'password_hash']).orderBy('name').execute();
    expect(users.map((u) => u.name)).toEqual(['petrov', 'иванова']);
    for (const u of users) expect(u.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    const same = await new RegionAccounts(th.hub.db).createUser('тест', 'twin', 'coordinator', ADMIN.password);
    const [a, b] = await th.hub.db.selectFrom('region_users').select('password_hash').where('name', 'in', ['иванова', same.name]).execute();
    expect(a!.password_hash.split('$')[4]).not.toBe(b!.password_hash.split('$')[4]);
    expect(await verifyPassword(ADMIN.password, a!.password_hash)).toBe(true);
    expect(await verifyPassword('не тот', a!.password_hash)).toBe(false);
  });

  it('signs in by name (any case) and password; the cookie is a random id stored only hashed', async () => {
    const r = await signIn('  ИВАНОВА ', ADMIN.password);
    expect(r.status).toBe(303);
    const id = r.cookie!.split('=')[1]!;
    const stored = await th.hub.db.selectFrom('region_sessions').select('id_hash').execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(id);
    expect((await open(r.cookie)).status).toBe(200);
  });

  it('a session ends after 12 hours without a request, not while it is used', async () => {
    const { cookie } = await signIn(VIEWER.name, VIEWER.password);
    clock += SESSION_IDLE_MS - 60_000;
    expect((await open(cookie)).status).toBe(200);
    clock += SESSION_IDLE_MS - 60_000;
    expect((await open(cookie)).status).toBe(200);
    clock += SESSION_IDLE_MS + 1;
    expect((await open(cookie)).status).toBe(401);
  });

  it('a session in constant use still ends a week after sign-in', async () => {
    const { cookie } = await signIn(VIEWER.name, VIEWER.password);
    const started = clock;
    while (clock + SESSION_IDLE_MS / 2 <= started + SESSION_MAX_MS) {
      clock += SESSION_IDLE_MS / 2;
      expect((await open(cookie)).status).toBe(200);
    }
    clock = started + SESSION_MAX_MS + 1;
    expect((await open(cookie)).status).toBe(401);
  });

  it('sign-out ends the session on the server: the same cookie sent again opens nothing', async () => {
    const { cookie } = await signIn(VIEWER.name, VIEWER.password);
    expect((await open(cookie)).status).toBe(200);
    await fetch(`${srv.url}/region/logout`, { method: 'POST', headers: { cookie: cookie! }, redirect: 'manual' });
    expect((await open(cookie)).status).toBe(401);
  });
});

describe('failed sign-ins', () => {
  it(`lock the name after ${FREE_FAILURES.name} failures, the right password included, with the time to try again; the lock ends`, async () => {
    const name = 'twin';
    for (let i = 0; i < FREE_FAILURES.name - 1; i++) expect((await signIn(name, `неверно-${i}`)).status).toBe(401);
    const locked = await signIn(name, 'неверно-последний');
    expect(locked.status).toBe(429);
    expect(locked.html).toMatch(/Попробуйте снова после \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(через 1 мин\)/);
    const right = await signIn(name, ADMIN.password);
    expect(right.status).toBe(429);
    expect(right.cookie).toBeUndefined();
    expect(await audit()).toContainEqual(expect.stringMatching(/^сервер \| Вход заблокирован \| имя «twin»: 5 неудачных попыток подряд/));
    // Another wrong password after the lock doubles it.
    clock += 61_000;
    const longer = await signIn(name, 'снова неверно');
    expect(longer.status).toBe(429);
    expect(longer.html).toMatch(/через 2 мин/);
    clock += 121_000;
    expect((await signIn(name, ADMIN.password)).status).toBe(303);
    // A success forgets the failures: one wrong password is again just wrong.
    expect((await signIn(name, 'неверно')).status).toBe(401);
  });

  it(`lock an address after ${FREE_FAILURES.addr} failures over any names`, async () => {
    clock += 24 * 3600_000;
    for (let i = 0; i < FREE_FAILURES.addr - 1; i++) expect((await signIn(`nobody-${i}`, 'неверно')).status).toBe(401);
    expect((await signIn('nobody-last', 'неверно')).status).toBe(429);
    // Even a known user from the same address waits.
    expect((await signIn(VIEWER.name, VIEWER.password)).status).toBe(429);
    expect(await audit()).toContainEqual(expect.stringMatching(/^сервер \| Вход заблокирован \| адрес 127\.0\.0\.1: 20 неудачных попыток/));
    clock += 61_000;
    expect((await signIn(VIEWER.name, VIEWER.password)).status).toBe(303);
  });
});

describe('roles and the audit log', () => {
  it('the coordinator reads the page but has no admin section and no admin action', async () => {
    clock += 24 * 3600_000;
    const { cookie } = await signIn(VIEWER.name, VIEWER.password);
    const page = await open(cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Только просмотр');
    expect(page.html).not.toContain('id="admin"');
    expect(page.html).not.toContain('/region/enrol-file');
    const refused = await post(cookie!, '/region/districts', { name: 'Район координатора' });
    expect(refused.status).toBe(403);
    expect(await th.hub.listDistricts()).toEqual([]);
  });

  it('an administrator creates a district, issues a code, revokes a device and manages accounts; each is in the log on the page', async () => {
    const { cookie } = await signIn(ADMIN.name, ADMIN.password);
    expect((await post(cookie!, '/region/districts', { name: 'Цунтинский район' })).status).toBe(200);
    const [district] = await th.hub.listDistricts();
    const issued = await post(cookie!, '/region/codes', { district: district!.id });
    const code = /id="code">([A-Z0-9-]+)</.exec(issued.html)![1]!;
    const { publicKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }));
    await th.hub.enrol({ code, device: 'dev-page', publicKey, name: 'Ноутбук района', dataDistrictId: null });
    expect((await post(cookie!, '/region/revoke', { device: 'dev-page' })).status).toBe(200);
    expect((await th.hub.listDevices(district!.id))[0]!.revoked_at).not.toBeNull();
    expect((await post(cookie!, '/region/accounts', { name: 'sidorov', role: 'coordinator', password: 'короткий' })).html).toMatch(/не меньше 10 знаков/);
    expect((await post(cookie!, '/region/accounts', { name: 'sidorov', role: 'coordinator', password: 'пароль сидорова' })).status).toBe(200);
    const sidorov = await signIn('sidorov', 'пароль сидорова');
    const user = await th.hub.db.selectFrom('region_users').select('id').where('name', '=', 'sidorov').executeTakeFirstOrThrow();
    expect((await post(cookie!, '/region/accounts/change', { user: user.id, role: 'admin', password: 'новый пароль сидорова', action: 'save' })).status).toBe(200);
    // A new password ends the account's sessions.
    expect((await open(sidorov.cookie)).status).toBe(401);
    expect((await signIn('sidorov', 'новый пароль сидорова')).status).toBe(303);
    expect((await post(cookie!, '/region/accounts/change', { user: user.id, action: 'disable' })).status).toBe(200);
    expect((await signIn('sidorov', 'новый пароль сидорова')).status).toBe(401);
    // The admin API key's actions are logged too, under its own name.
    const api = await fetch(`${srv.url}/api/admin/districts`, { method: 'POST', headers: { authorization: `Bearer ${th.hub.identity.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Район из скрипта' }) });
    expect(api.status).toBe(200);

    const log = await audit();
    for (const line of [
      'иванова | Район создан | Цунтинский район',
      'иванова | Выдан код подключения | Цунтинский район',
      'иванова | Устройство отключено | Цунтинский район: Ноутбук района',
      'иванова | Учётная запись создана | sidorov: региональный координатор (только просмотр)',
      'иванова | Учётная запись изменена | sidorov: роль: региональный администратор, новый пароль',
      'иванова | Учётная запись изменена | sidorov: отключена',
      'ключ администратора (API) | Район создан | Район из скрипта',
    ]) {
      expect(log).toContain(line);
    }
    // The only active administrator can be neither demoted nor disabled.
    const me = await th.hub.db.selectFrom('region_users').select('id').where('name', '=', 'иванова').executeTakeFirstOrThrow();
    for (const form of [{ role: 'coordinator', action: 'save' }, { action: 'disable' }] as Record<string, string>[]) {
      const last = await post(cookie!, '/region/accounts/change', { user: me.id, ...form });
      expect(last.status).toBe(409);
      expect(last.html).toMatch(/единственный действующий администратор/);
    }
    expect((await open(cookie)).html).toContain('id="admin"');
    const page = await open(cookie);
    expect(page.html).toContain('Журнал действий');
    expect(page.html).toContain('Устройство отключено');
    expect(page.html).not.toMatch(/<script/i);
  });
});
