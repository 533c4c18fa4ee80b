/**
 * The region's view: two districts enrol and push their data; the regional server's page
 * shows both with their last sync and the expertise and engagement summaries computed from
 * what the packages brought (hand-counted fixture, test/fixtures/expertise.ts); without a
 * signed-in regional account it is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curatorEngagement } from '../../core/monitoring/monitoring';
import { getMeta } from '../../db/replica';
import { insertRow } from '../../db/write';
import { openStore } from '../../db/open';
import { listen, type RunningHub } from '../../server/http';
import { readModelOf } from '../../server/regionPage';
import { RegionAccounts } from '../../server/regionAccounts';
import { DISTRICTS, EXPECTED, REPORTING_DATE, seedExpertise, seedFieldWork, type SeededExpertise } from '../fixtures/expertise';
import { buildEnrolRequest, importEnrolReply } from '../../core/sync/enrolFile.node';
import { deviceKeys, enrolment } from '../../core/sync/local.node';
import { replicaOf } from '../../db/replica';
import { enrol, makeHub, makeLaptop, syncFully, type Laptop, type TestHub } from './helpers';
import { startPostgres, type PgCluster } from './pgcluster';

let th: TestHub;
let srv: RunningHub;
let a: Laptop;
let b: Laptop;
let seededA: SeededExpertise;
let dA: string;
let dB: string;
let session: string;

const NAME_A = DISTRICTS[0]!.name;
const NAME_B = DISTRICTS[1]!.name;

/** The text rows of every table on the page (cells with tags stripped and entities decoded). */
function tableRows(html: string): string[][] {
  const text = (s: string) =>
    s
      .replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
  return [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => text(c[1]!)));
}

/** The section of the page from one h2 to the next. */
const section = (html: string, heading: string): string => {
  const start = html.indexOf(`<h2>${heading}`);
  expect(start, heading).toBeGreaterThan(0);
  const next = html.indexOf('<h2>', start + 4);
  return html.slice(start, next < 0 ? undefined : next);
};

async function page(query = '', headers: Record<string, string> = { cookie: session }) {
  const res = await fetch(`${srv.url}/region${query}`, { headers, redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

const ADMIN = { name: 'admin.region', password: 'пароль администратора' };
const signIn = (name: string, password: string) => fetch(`${srv.url}/region/login`, { method: 'POST', body: new URLSearchParams({ name, password }), redirect: 'manual' });

beforeAll(async () => {
  th = await makeHub();
  srv = await listen(th.hub, 0);
  await new RegionAccounts(th.hub.db).createUser('тест', ADMIN.name, 'admin', ADMIN.password);
  dA = (await th.hub.createDistrict(NAME_A)).id;
  dB = (await th.hub.createDistrict(NAME_B)).id;
  await th.hub.createDistrict('Район <b>«Новый»</b> & Ко');
  a = makeLaptop('a');
  b = makeLaptop('b');
  seededA = seedExpertise(a.store, [DISTRICTS[0]!]);
  seedFieldWork(a.store, seededA);
  seedExpertise(b.store, [DISTRICTS[1]!]);
  await enrol(th.hub, a, dA);
  await enrol(th.hub, b, dB);
  await syncFully(th.hub, a);
  await syncFully(th.hub, b);
  // The region's calendar flows to every district; its last passed monitoring stage is the page's default date.
  await th.hub.publishReference('calendar_stages', [{ year: 2022, code: 'M1', title: 'Мониторинг 1 этап', date_from: '2022-04-01', deadline: REPORTING_DATE }]);
});

afterAll(async () => {
  await srv.close();
  await th.close();
});

describe('the region page', () => {
  it('is refused without a signed-in account, and a wrong password is said next to the fields', async () => {
    const anon = await page('', {});
    expect(anon.status).toBe(401);
    expect(anon.html).toContain('id="password"');
    expect(anon.html).not.toContain(NAME_A);
    expect((await page('', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await page('', { cookie: 'region_view=forged' })).status).toBe(401);
    const bad = await signIn(ADMIN.name, 'не тот пароль');
    expect(bad.status).toBe(401);
    expect(await bad.text()).toMatch(/id="login-error"[^>]*>Неверное имя или пароль/);
  });

  it('signing in with name and password sets a session cookie that opens nothing of the admin API', async () => {
    const res = await signIn(ADMIN.name, ADMIN.password);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/region');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    session = cookie.split(';')[0]!;
    const value = session.split('=')[1]!;
    const api = await fetch(`${srv.url}/api/admin/districts`, { headers: { authorization: `Bearer ${value}` } });
    expect(api.status).toBe(401);
    const ok = await page();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(ok.html).not.toMatch(/<script/i);
  });

  it('shows both districts with their last sync, and a district without devices as never synced (escaped)', async () => {
    const { html } = await page();
    expect(html).toContain(`Региональный обзор на ${REPORTING_DATE.split('-').reverse().join('.')}`);
    const rows = tableRows(section(html, 'Районы'));
    const rowA = rows.find((r) => r[0] === NAME_A)!;
    const rowB = rows.find((r) => r[0] === NAME_B)!;
    // Район · Устройства · Последняя синхронизация · Принято изменений · Школ · АРП · Оценено · Активные кураторы
    expect(rowA[1]).toBe('1');
    expect(rowA[2]).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
    expect(rowB[2]).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
    expect(Number(rowA[3]!.replace(/\s/g, ''))).toBeGreaterThan(20);
    expect(rowA.slice(4, 7)).toEqual(['3', '3', '2']);
    expect(rowB.slice(4, 7)).toEqual(['4', '4', '4']);
    const fresh = rows.find((r) => r[0]!.startsWith('Район <b>'))!;
    expect(fresh[0]).toBe('Район <b>«Новый»</b> & Ко');
    expect(fresh[2]).toBe('ещё не было');
    expect(html).toContain('Район &lt;b&gt;«Новый»&lt;/b&gt; &amp; Ко');
  });

  it('the expertise summaries across all districts are the hand-counted ones', async () => {
    const html = section((await page()).html, 'Экспертиза АРП');
    expect(html).toContain(`Оценено ${EXPECTED.assessed} из ${EXPECTED.programmes} АРП`);
    const rows = tableRows(html);
    // Per criterion: count and share of the assessed programmes.
    const tasks = rows.find((r) => r[0] === 'В АРП поставлены задачи')!;
    expect(tasks.slice(1)).toEqual([String(EXPECTED.criteria.tasks[0]), `${EXPECTED.criteria.tasks[1]}%`]);
    // Per district: АРП · 3 · 2 · 1 · 0 · Н/о (нет мероприятий) · Н/о (нет ДК) · ждут отметки.
    expect(rows.find((r) => r[0] === NAME_A)!.slice(1, 8)).toEqual(['3', '1', '0', '0', '1', '0', '1']);
    expect(rows.find((r) => r[0] === NAME_B)!.slice(1, 8)).toEqual(['4', '1', '1', '0', '1', '1', '0']);
    const p = EXPECTED.plan;
    expect(rows.find((r) => r[0] === 'Все районы')!.slice(1, 8)).toEqual([EXPECTED.programmes, p['3'], p['2'], p['1'], p['0'], p.none_due, p.no_roadmap].map(String));
    // Each school's line with its points and % of plan, under its district.
    for (const [school, total] of Object.entries(EXPECTED.totals)) {
      const row = rows.find((r) => r[0] === school)!;
      expect(row[4], school).toBe(total);
      expect(row[3], school).toBe(EXPECTED.planPercent[school as keyof typeof EXPECTED.planPercent]);
    }
  });

  it('the engagement summary is the one the district laptop computes, summed over the region', async () => {
    const dataA = getMeta(a.store, 'district_id')!;
    const dataB = getMeta(b.store, 'district_id')!;
    const onA = curatorEngagement(a.store, dataA, '2022-01-01', REPORTING_DATE);
    const onB = curatorEngagement(b.store, dataB, '2022-01-01', REPORTING_DATE);
    const rows = tableRows(section((await page()).html, 'Вовлечённость кураторов'));
    const line = (e: typeof onA) => [String(e.curators.length), String(e.active), `${e.activePercent}%`, ...e.journalBands.map((x) => String(x.count)), ...e.pointsDistribution.map((x) => String(x.count))];
    expect(rows.find((r) => r[0] === NAME_A)!.slice(1)).toEqual(line(onA));
    expect(rows.find((r) => r[0] === NAME_B)!.slice(1)).toEqual(line(onB));
    const total = rows.find((r) => r[0] === 'Все районы')!;
    expect(total[1]).toBe('2');
    expect(total[2]).toBe(String(onA.active + onB.active));
    expect(onA.active).toBe(1); // the curator of district A logged visits and commented (seedFieldWork)
  });

  it('follows new pushes from the cursor it keeps in each district replica', async () => {
    const school = a.store.prepare('SELECT id FROM schools WHERE short_name = ?').get('МОУ Рязанцевская СОШ') as { id: string };
    insertRow(a.store, 'programmes', { school_id: school.id, kind: 'arp', title: 'Низкая учебная мотивация', goal: 'Рост мотивации', target_indicators: null });
    await syncFully(th.hub, a);
    const rows = tableRows(section((await page()).html, 'Экспертиза АРП'));
    expect(rows.find((r) => r[0] === NAME_A)![1]).toBe('4');
    expect(rows.find((r) => r[0] === 'Все районы')![1]).toBe(String(EXPECTED.programmes + 1));
    // The replica is a district database like a laptop's, with the hub's sequence as its cursor.
    const file = readModelOf(th.hub).fileOf(dA);
    expect(fs.existsSync(file)).toBe(true);
    expect(path.dirname(file)).toBe(path.join(th.dir, 'districts'));
    const max = await th.hub.db.selectFrom('changes').select((eb) => eb.fn.max('server_seq').as('m')).executeTakeFirstOrThrow();
    const replica = openStore(file);
    try {
      expect(Number(getMeta(replica, 'region.cursor'))).toBe(Number(max.m));
      const n = replica.prepare("SELECT COUNT(*) AS n FROM programmes WHERE deleted_at IS NULL AND kind = 'arp'").get() as { n: number };
      expect(n.n).toBe(4);
      // District B's rows never reach district A's replica.
      expect(replica.prepare('SELECT COUNT(*) AS n FROM schools WHERE short_name = ?').get('МБОУ Скоковская СОШ')).toEqual({ n: 0 });
    } finally {
      replica.close();
    }
  });

  it('another reporting date is chosen in a form; a wrong one is named next to the field', async () => {
    const earlier = await page('?date=2022-03-31');
    expect(earlier.html).toContain('Региональный обзор на 31.03.2022');
    const bad = await page('?date=2022-02-31');
    expect(bad.status).toBe(200);
    expect(bad.html).toMatch(/id="date-error"[^>]*>Введите дату/);
    expect((await fetch(`${srv.url}/region/nothing`, { headers: { cookie: session } })).status).toBe(404);
  });

  it('logging out ends the session on the server: the old cookie no longer opens the page', async () => {
    expect((await page()).status).toBe(200);
    const res = await fetch(`${srv.url}/region/logout`, { method: 'POST', headers: { cookie: session }, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/^region_view=;.*Max-Age=0/);
    expect((await page()).status).toBe(401);
  });
});

describe('the region read model on PostgreSQL', () => {
  let pg: PgCluster | undefined;
  let hub: TestHub | undefined;
  afterAll(async () => {
    await hub?.close();
    pg?.stop();
  });

  it('gives the same districts and summaries when the hub stores changes in PostgreSQL', async () => {
    pg = await startPostgres();
    hub = await makeHub(pg.url);
    expect(hub.storage.dialect).toBe('postgres');
    for (const d of DISTRICTS) {
      const id = (await hub.hub.createDistrict(d.name)).id;
      const l = makeLaptop(`pg-${id}`);
      seedExpertise(l.store, [d]);
      await enrol(hub.hub, l, id);
      await syncFully(hub.hub, l);
    }
    const view = await readModelOf(hub.hub).view(REPORTING_DATE);
    expect(view.districts.map((d) => [d.name, d.devices, !!d.lastSync, d.expertise.programmes])).toEqual([
      [NAME_A, 1, true, 3],
      [NAME_B, 1, true, 4],
    ]);
    expect(view.expertise.assessed).toBe(EXPECTED.assessed);
    expect(Object.fromEntries(view.expertise.planDistribution.map((d) => [d.key, d.count]))).toEqual(EXPECTED.plan);
    expect(view.engagement.curators).toBe(2);
  }, 120_000);
});

describe('enrolment through a file on the region page', () => {
  const upload = (bytes: Uint8Array, cookie?: string) => {
    const form = new FormData();
    form.append('request', new Blob([Buffer.from(bytes)]), 'запрос.shnor-enrol');
    return fetch(`${srv.url}/region/enrol-file`, { method: 'POST', body: form, headers: cookie ? { cookie } : {}, redirect: 'manual' });
  };

  it('turns an uploaded request file into the reply file that enrols the laptop; refuses without an account, a non-request and a spent code', async () => {
    const login = await signIn(ADMIN.name, ADMIN.password);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await page('', { cookie })).html).toContain('Подключение ноутбука без интернета');
    const c = makeLaptop('c');
    const { bytes } = buildEnrolRequest(c.store, (await th.hub.createCode(dA)).code, 'Ноутбук C');

    expect((await upload(bytes)).status).toBe(401);
    const junk = await upload(new TextEncoder().encode('не запрос'), cookie);
    expect(junk.status).toBe(400);
    expect(await junk.text()).toMatch(/не файл запроса подключения/);

    const res = await upload(bytes, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const r = importEnrolReply(c.store, c.dataDir, new Uint8Array(await res.arrayBuffer()));
    expect(r.applied).toBeGreaterThan(0);
    expect(enrolment(c.store)?.district).toBe(dA);
    expect(getMeta(c.store, 'district_id')).toBeTruthy();

    const again = await upload(bytes, cookie);
    expect(again.status).toBe(403);
    expect(await again.text()).toMatch(/уже использован/);
    c.store.close();
  });

  it('lists the districts’ accounts and issues a coordinator a new code for the same account (a new laptop, a forgotten password)', async () => {
    const login = await signIn(ADMIN.name, ADMIN.password);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const html = (await page('', { cookie })).html;
    const rows = tableRows(html).filter((r) => r[0] === NAME_A && r[2] === 'муниципальный координатор');
    expect(rows.length).toBeGreaterThan(0);
    const account = await th.hub.db.selectFrom('account_devices').innerJoin('accounts', 'accounts.id', 'account_devices.account_id').select('accounts.id').where('account_devices.device_id', '=', replicaOf(a.store).deviceId).executeTakeFirstOrThrow();

    const refused = await fetch(`${srv.url}/region/account-code`, { method: 'POST', body: new URLSearchParams({ account: account.id }), redirect: 'manual' });
    expect(refused.status).toBe(401);
    const res = await fetch(`${srv.url}/region/account-code`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ account: account.id }), redirect: 'manual' });
    expect(res.status).toBe(200);
    const code = /<p class="code" id="code">([^<]+)<\/p>/.exec(await res.text())?.[1];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const d = makeLaptop('d');
    const enrolled = await th.hub.enrol({ code: code!, device: replicaOf(d.store).deviceId, publicKey: deviceKeys(d.store).publicKey, name: 'Новый ноутбук координатора', dataDistrictId: null, account: { id: 'другой-id', personId: null } });
    expect(enrolled.account.accountId).toBe(account.id);
    expect(enrolled.account.role).toBe('coordinator');
    const audit = tableRows((await page('', { cookie })).html).find((r) => r[2] === 'Выдан код для учётной записи района');
    expect(audit?.[1]).toBe(ADMIN.name);
    d.store.close();
  });
});
