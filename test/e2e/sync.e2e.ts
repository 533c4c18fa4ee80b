/**
 * Two browser-mode app instances and the regional server, all real processes: the first
 * enrols on the Синхронизация screen, the second (empty) joins the district from the
 * first-run screen; edit on one, sync both, the edit appears
 * on the other; then the same through an exported package file carried to the region;
 * then a third laptop, never online, joins through a request file and the region's reply.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openApp, startHostProcess, tempDataDir, type RunningHost } from './harness';

let hubProc: ChildProcess;
let hubUrl: string;
let adminToken: string;
let browser: Browser;
let hostA: RunningHost;
let hostB: RunningHost;
let pageA: Page;
let pageB: Page;

async function startHub(dir: string): Promise<void> {
  hubProc = spawn(process.execPath, [path.resolve('dist/server/index.js'), '--data', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });
  let out = '';
  hubUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Сервер не запустился:\n${out}`)), 20_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && /Ключ администратора/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    hubProc.stdout!.on('data', on);
    hubProc.stderr!.on('data', on);
  });
  adminToken = fs.readFileSync(path.join(dir, 'admin-token.txt'), 'utf8').trim();
}

async function admin(p: string, body: unknown = {}): Promise<Record<string, string>> {
  const res = await fetch(`${hubUrl}${p}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}

/** A call through the page's own bridge, as the renderer makes it. */
function api<T>(host: RunningHost, name: string, input: unknown): Promise<T> {
  const token = new URL(host.url).searchParams.get('token')!;
  return fetch(`${new URL(host.url).origin}/api/call/${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) })
    .then((r) => r.json())
    .then((r: { ok: boolean; value: T; error?: { message: string } }) => {
      if (!r.ok) throw new Error(r.error?.message);
      return r.value;
    });
}

async function enrolThroughUi(page: Page, code: string): Promise<void> {
  await page.getByLabel('Адрес сервера').fill(hubUrl);
  await page.getByLabel('Код подключения').fill(code);
  await page.getByRole('button', { name: 'Подключить' }).click();
  await page.getByRole('button', { name: 'Синхронизировать сейчас' }).waitFor();
}

/** The first-run screen of an empty laptop: a wrong code is refused next to its field, nothing typed is lost, then the right one joins. */
async function joinThroughFirstRun(page: Page, code: string): Promise<void> {
  await page.getByRole('button', { name: 'Подключиться…' }).click();
  await page.getByLabel('Адрес сервера').fill(hubUrl);
  await page.getByLabel('Код подключения').fill('НЕТ-ТАКОГО-КОДА');
  await page.getByRole('button', { name: 'Подключиться к району' }).click();
  await page.getByText(/Код подключения неверен/).waitFor();
  expect(await page.getByLabel('Адрес сервера').inputValue()).toBe(hubUrl);
  await page.getByLabel('Код подключения').fill(code);
  await page.getByRole('button', { name: 'Подключиться к району' }).click();
  // The district arrives with the first sync and the app leaves the first-run screen.
  await page.getByRole('navigation', { name: 'Разделы' }).waitFor({ timeout: 30_000 });
  expect(await page.getByText('Адресная методическая помощь школам').count()).toBe(0);
}

async function syncThroughUi(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
  await page.getByText(/Синхронизация завершена/).last().waitFor();
}

beforeAll(async () => {
  const hubDir = tempDataDir('shnor-e2e-hub-');
  await startHub(hubDir);
  const district = await admin('/api/admin/districts', { name: 'Каменск-Уральский городской округ' });
  const codeA = (await admin(`/api/admin/districts/${district.id}/codes`)).code!;
  const codeB = (await admin(`/api/admin/districts/${district.id}/codes`)).code!;
  hostA = await startHostProcess(tempDataDir(), ['--demo']);
  hostB = await startHostProcess(tempDataDir());
  browser = await launchBrowser();
  pageA = await openApp(browser, hostA, '#/sync');
  await enrolThroughUi(pageA, codeA);
  await syncThroughUi(pageA);
  // B is an empty laptop: it joins the district from the first-run screen.
  pageB = await openApp(browser, hostB, '#/sync');
  await joinThroughFirstRun(pageB, codeB);
  await pageB.goto(`${hostB.url.split('?')[0]}#/sync`);
  await pageB.getByRole('button', { name: 'Синхронизировать сейчас' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hostA?.stop();
  await hostB?.stop();
  hubProc?.kill('SIGTERM');
});

interface Listed {
  rows: { id: string; short_name: string }[];
}

describe('sync end to end', () => {
  it('the second laptop receives the district and an edit made on the first (HTTP)', async () => {
    const listA = await api<Listed>(hostA, 'schools.list', {});
    const listB = await api<Listed>(hostB, 'schools.list', {});
    expect(listB.rows.length).toBe(listA.rows.length);
    expect(listA.rows.length).toBeGreaterThan(0);
    const target = listA.rows[0]!;
    await api(hostA, 'schools.update', { id: target.id, patch: { notes: 'Правка с первого ноутбука' } });
    await syncThroughUi(pageA);
    await syncThroughUi(pageB);
    const card = await api<{ school: { notes: string } } & { notes?: string }>(hostB, 'schools.get', { id: target.id });
    expect(JSON.stringify(card)).toContain('Правка с первого ноутбука');
    await pageB.goto(`${hostB.url.split('?')[0]}#/schools/${target.id}`);
    await pageB.getByText('Правка с первого ноутбука').first().waitFor();
  }, 60_000);

  it('the same through exported and imported package files', async () => {
    const listA = await api<Listed>(hostA, 'schools.list', {});
    const target = listA.rows[1]!;
    await api(hostA, 'schools.update', { id: target.id, patch: { notes: 'Правка по флешке' } });
    // Laptop A exports its package (the file lands in its data folder).
    await pageA.goto(`${hostA.url.split('?')[0]}#/sync`);
    const download = pageA.waitForEvent('download');
    await pageA.getByRole('button', { name: 'Выгрузить пакет' }).click();
    const fileA = await (await download).path();
    // The region admin imports it; the reply file goes back, but A only needs it for its cursor.
    const replyA = await fetch(`${hubUrl}/api/admin/import`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: fs.readFileSync(fileA) });
    expect(replyA.status).toBe(200);
    const replyAFile = path.join(hostA.dataDir, 'reply-a.shnor');
    fs.writeFileSync(replyAFile, Buffer.from(await replyA.arrayBuffer()));
    await pageA.getByTestId('sync-import-file').setInputFiles(replyAFile);
    await pageA.getByText(/Пакет загружен/).waitFor();
    // Laptop B exchanges by file too.
    await pageB.goto(`${hostB.url.split('?')[0]}#/sync`);
    const downloadB = pageB.waitForEvent('download');
    await pageB.getByRole('button', { name: 'Выгрузить пакет' }).click();
    const fileB = await (await downloadB).path();
    const replyB = await fetch(`${hubUrl}/api/admin/import`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: fs.readFileSync(fileB) });
    expect(replyB.status).toBe(200);
    const replyBFile = path.join(hostB.dataDir, 'reply-b.shnor');
    fs.writeFileSync(replyBFile, Buffer.from(await replyB.arrayBuffer()));
    await pageB.getByTestId('sync-import-file').setInputFiles(replyBFile);
    await pageB.getByText(/Пакет загружен: применено изменений — [1-9]/).waitFor();
    const card = await api<unknown>(hostB, 'schools.get', { id: target.id });
    expect(JSON.stringify(card)).toContain('Правка по флешке');
    // Importing the same file again is refused with a clear message and changes nothing.
    await pageB.getByTestId('sync-import-file').setInputFiles(replyBFile);
    await pageB.getByText(/уже был загружен/).waitFor();
  }, 60_000);

  it('a laptop that is never online joins from the first-run screen through a request file and the region\'s reply', async () => {
    const districts = (await (await fetch(`${hubUrl}/api/admin/districts`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { id: string }[];
    const code = (await admin(`/api/admin/districts/${districts[0]!.id}/codes`)).code!;
    const hostC = await startHostProcess(tempDataDir());
    try {
      const pageC = await openApp(browser, hostC, '#/');
      await pageC.getByRole('button', { name: 'Подключиться…' }).click();
      await pageC.getByRole('button', { name: 'Без интернета: через файл…' }).click();
      await pageC.getByLabel('Код подключения').fill(code);
      const download = pageC.waitForEvent('download');
      await pageC.getByRole('button', { name: 'Сохранить файл запроса' }).click();
      const request = fs.readFileSync((await (await download).path())!);
      await pageC.getByText(/Файл запроса сохранён/).waitFor();
      // The region imports the request on the server and hands back the reply file.
      const res = await fetch(`${hubUrl}/api/admin/enrol-file`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: request });
      expect(res.status).toBe(200);
      const replyFile = path.join(hostC.dataDir, 'ответ-региона.shnor');
      fs.writeFileSync(replyFile, Buffer.from(await res.arrayBuffer()));
      await pageC.getByTestId('enrol-reply-file').setInputFiles(replyFile);
      await pageC.getByRole('navigation', { name: 'Разделы' }).waitFor({ timeout: 30_000 });
      const listA = await api<Listed>(hostA, 'schools.list', {});
      expect((await api<Listed>(hostC, 'schools.list', {})).rows.length).toBe(listA.rows.length);
      expect((await api<{ enrolled: boolean; server: string | null }>(hostC, 'sync.status', {})).server).toBeNull();
    } finally {
      await hostC.stop();
    }
  }, 90_000);
});
