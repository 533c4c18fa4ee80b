/**
 * Two browser-mode app instances and the regional server, all real processes: the first
 * enrols on the Синхронизация screen, the second (empty) joins the district from the
 * first-run screen; edit on one, sync both, the edit appears on the other; then the same
 * through an exported package file carried to the region; then a third laptop, never
 * online, joins through a request file and the region's reply.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type RunningHost, type RunningServer } from './fixtures';
import { createFirstAccount } from './harness';

/** A call through the page's own bridge, as the renderer makes it. */
async function api<T>(host: RunningHost, name: string, input: unknown): Promise<T> {
  const url = new URL(host.url);
  const res = await fetch(`${url.origin}/api/call/${name}`, { method: 'POST', headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const reply = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!reply.ok) throw new Error(`${name}: ${reply.error?.message}`);
  return reply.value;
}

/** The app's address at a hash route, without the token (the page already holds it). */
const route = (host: RunningHost, hash: string) => `${host.url.split('?')[0]}${hash}`;

async function enrolThroughUi(page: Page, hub: RunningServer, code: string): Promise<void> {
  await page.getByLabel('Адрес сервера').fill(hub.url);
  await page.getByLabel('Код подключения').fill(code);
  await page.getByRole('button', { name: 'Подключить' }).click();
  await expect(page.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeVisible();
}

/** The first-run screen of an empty laptop: a wrong code is refused next to its field, nothing typed is lost, then the right one joins. */
async function joinThroughFirstRun(page: Page, hub: RunningServer, code: string): Promise<void> {
  await page.getByRole('button', { name: 'Подключиться…' }).click();
  await page.getByLabel('Адрес сервера').fill(hub.url);
  await page.getByLabel('Код подключения').fill('НЕТ-ТАКОГО-КОДА');
  await page.getByRole('button', { name: 'Подключиться к району' }).click();
  await expect(page.getByText(/Код подключения неверен/)).toBeVisible();
  await expect(page.getByLabel('Адрес сервера')).toHaveValue(hub.url);
  await page.getByLabel('Код подключения').fill(code);
  await page.getByRole('button', { name: 'Подключиться к району' }).click();
  // The district arrives with the first sync; the laptop's first account, then the app.
  await expect(page.getByRole('heading', { name: 'Создайте учётную запись координатора' })).toBeVisible({ timeout: 30_000 });
  await createFirstAccount(page);
  await expect(page.getByText('Адресная методическая помощь школам')).toHaveCount(0);
}

async function syncThroughUi(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
  // A background sync may be running (the click waits for it): a district's first full push
  // and a second exchange, on a loaded machine, can take longer than the default wait.
  await expect(page.getByText(/Синхронизация завершена/).last()).toBeVisible({ timeout: 60_000 });
}

/** Exports the laptop's package, has the region import it and loads the region's reply file. */
async function exchangeByFile(page: Page, host: RunningHost, hub: RunningServer, replyName: string): Promise<void> {
  await page.goto(route(host, '#/sync'));
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Выгрузить пакет' }).click();
  const sent = await (await download).path();
  const reply = await fetch(`${hub.url}/api/admin/import`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminToken}` }, body: fs.readFileSync(sent) });
  expect(reply.status).toBe(200);
  const replyFile = path.join(host.dataDir, replyName);
  fs.writeFileSync(replyFile, Buffer.from(await reply.arrayBuffer()));
  await page.getByTestId('sync-import-file').setInputFiles(replyFile);
}

interface Listed {
  rows: { id: string; short_name: string }[];
}

test('sync end to end: two laptops over HTTP and by file, a third joining without internet', async ({ hub, startHost, openApp }) => {
  // Three laptops, the hub and four journeys: room for a loaded two-core machine.
  test.setTimeout(360_000);
  const district = await hub.admin('/api/admin/districts', { name: 'Каменск-Уральский городской округ' });
  const newCode = async () => (await hub.admin(`/api/admin/districts/${district.id}/codes`)).code!;
  const hostA = await startHost({ demo: true });
  const hostB = await startHost();
  const pageA = await openApp(hostA, '#/sync');
  const pageB = await openApp(hostB, '#/sync');

  await test.step('the first laptop enrols on the Синхронизация screen, the empty second joins from its first-run screen', async () => {
    await enrolThroughUi(pageA, hub, await newCode());
    await syncThroughUi(pageA);
    await joinThroughFirstRun(pageB, hub, await newCode());
    await pageB.goto(route(hostB, '#/sync'));
    await expect(pageB.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeVisible();
  });

  await test.step('the second laptop receives the district and an edit made on the first (HTTP)', async () => {
    const listA = await api<Listed>(hostA, 'schools.list', {});
    const listB = await api<Listed>(hostB, 'schools.list', {});
    expect(listB.rows.length).toBe(listA.rows.length);
    expect(listA.rows.length).toBeGreaterThan(0);
    const target = listA.rows[0]!;
    await api(hostA, 'schools.update', { id: target.id, patch: { notes: 'Правка с первого ноутбука' } });
    await syncThroughUi(pageA);
    await syncThroughUi(pageB);
    expect(JSON.stringify(await api<unknown>(hostB, 'schools.get', { id: target.id }))).toContain('Правка с первого ноутбука');
    await pageB.goto(route(hostB, `#/schools/${target.id}`));
    await expect(pageB.getByText('Правка с первого ноутбука').first()).toBeVisible();
  });

  await test.step('the same through exported and imported package files', async () => {
    const target = (await api<Listed>(hostA, 'schools.list', {})).rows[1]!;
    await api(hostA, 'schools.update', { id: target.id, patch: { notes: 'Правка по флешке' } });
    // A's reply from the region only moves its cursor; B's brings A's edit.
    await exchangeByFile(pageA, hostA, hub, 'reply-a.shnor');
    await expect(pageA.getByText(/Пакет загружен/)).toBeVisible();
    await exchangeByFile(pageB, hostB, hub, 'reply-b.shnor');
    await expect(pageB.getByText(/Пакет загружен: применено изменений — [1-9]/)).toBeVisible();
    expect(JSON.stringify(await api<unknown>(hostB, 'schools.get', { id: target.id }))).toContain('Правка по флешке');
    // Importing the same file again is refused with a clear message and changes nothing.
    await pageB.getByTestId('sync-import-file').setInputFiles(path.join(hostB.dataDir, 'reply-b.shnor'));
    await expect(pageB.getByText(/уже был загружен/)).toBeVisible();
  });

  await test.step("a laptop that is never online joins from the first-run screen through a request file and the region's reply", async () => {
    const listed = (await (await fetch(`${hub.url}/api/admin/districts`, { headers: { authorization: `Bearer ${hub.adminToken}` } })).json()) as { id: string }[];
    expect(listed.map((d) => d.id)).toEqual([district.id]);
    const hostC = await startHost();
    const pageC = await openApp(hostC, '#/');
    await pageC.getByRole('button', { name: 'Подключиться…' }).click();
    await pageC.getByRole('button', { name: 'Без интернета: через файл…' }).click();
    await pageC.getByLabel('Код подключения').fill(await newCode());
    const download = pageC.waitForEvent('download');
    await pageC.getByRole('button', { name: 'Сохранить файл запроса' }).click();
    const request = fs.readFileSync(await (await download).path());
    await expect(pageC.getByText(/Файл запроса сохранён/)).toBeVisible();
    // The region imports the request on the server and hands back the reply file.
    const res = await fetch(`${hub.url}/api/admin/enrol-file`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminToken}` }, body: request });
    expect(res.status).toBe(200);
    const replyFile = path.join(hostC.dataDir, 'ответ-региона.shnor');
    fs.writeFileSync(replyFile, Buffer.from(await res.arrayBuffer()));
    await pageC.getByTestId('enrol-reply-file').setInputFiles(replyFile);
    await expect(pageC.getByRole('heading', { name: 'Создайте учётную запись координатора' })).toBeVisible({ timeout: 30_000 });
    await createFirstAccount(pageC);
    const listA = await api<Listed>(hostA, 'schools.list', {});
    expect((await api<Listed>(hostC, 'schools.list', {})).rows.length).toBe(listA.rows.length);
    expect((await api<{ enrolled: boolean; server: string | null }>(hostC, 'sync.status', {})).server).toBeNull();
  });
});
