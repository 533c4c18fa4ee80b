/**
 * The regional coordinator opens the region page in Chromium: the built server runs as a
 * real process, two district laptops enrol and sync over HTTP, and the page — after a
 * login with the region admin key typed into its form — shows both districts and the
 * summaries. A screenshot is kept for a person to look at (REGION_SHOTS or the temp folder).
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context';
import { enrolHttp, syncHttp } from '../../core/sync/client';
import { DISTRICTS, seedExpertise, seedFieldWork } from '../fixtures/expertise';
import { makeLaptop, type Laptop } from '../sync/helpers';
import { launchBrowser, startServerProcess, tempDataDir, type RunningServer } from './harness';

let server: RunningServer;
let hubUrl: string;
let adminToken: string;
let browser: Browser;
const laptops: Laptop[] = [];
const shots = process.env.REGION_SHOTS ?? tempDataDir('shnor-region-shots-');

async function startHub(dir: string): Promise<void> {
  server = await startServerProcess(dir);
  hubUrl = server.url;
  adminToken = server.adminToken;
}

const admin = (route: string, body: unknown = {}) => server.admin(route, body);

beforeAll(async () => {
  await startHub(tempDataDir('shnor-region-hub-'));
  browser = await launchBrowser();
  for (const [i, d] of DISTRICTS.entries()) {
    const district = await admin('/api/admin/districts', { name: d.name });
    const laptop = makeLaptop(`region-${i}`);
    const seeded = seedExpertise(laptop.store, [d]);
    if (i === 0) seedFieldWork(laptop.store, seeded);
    await enrolHttp(laptop.store, hubUrl, (await admin(`/api/admin/districts/${district.id}/codes`)).code!, `Ноутбук ${i + 1}`);
    const ctx: Ctx = { store: laptop.store, dataDir: laptop.dataDir, emit: () => undefined };
    await syncHttp(ctx);
    laptops.push(laptop);
  }
  await fetch(`${hubUrl}/api/admin/reference`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ table: 'calendar_stages', rows: [{ year: 2022, code: 'M1', title: 'Мониторинг 1 этап', date_from: '2022-04-01', deadline: '2022-06-30' }] }),
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const l of laptops) l.store.close();
});

describe('the region page in a browser', () => {
  it('asks for the admin key, then shows both districts with last sync and the summaries', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${hubUrl}/region`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Региональный обзор');
    // Keyboard only: the key field has focus; a wrong key is named next to it.
    await page.keyboard.type('неверный-ключ');
    await page.keyboard.press('Enter');
    await expect(page.locator('#token-error').textContent()).resolves.toContain('Ключ администратора неверен');
    await page.screenshot({ path: path.join(shots, 'region-login-error.png') });
    await page.locator('#token').fill(adminToken);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${hubUrl}/region`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Региональный обзор на 30.06.2022');
    const districts = page.locator('table').first();
    for (const d of DISTRICTS) await expect(districts.locator('tr', { hasText: d.name }).locator('td').nth(2).textContent()).resolves.toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
    await expect(page.locator('text=Оценено 6 из 7 АРП').count()).resolves.toBe(1);
    // A district's schools open without any script (a <details> element).
    await page.locator('summary', { hasText: DISTRICTS[1]!.name }).click();
    await expect(page.locator('details[open] tr', { hasText: 'МБОУ Скоковская СОШ' }).locator('td').nth(4).textContent()).resolves.toBe('8 из 8');
    await page.screenshot({ path: path.join(shots, 'region.png'), fullPage: true });
    // Another date through the form, then logging out returns to the key form.
    await page.locator('#date').fill('31.03.2022');
    await page.locator('button', { hasText: 'Показать' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Региональный обзор на 31.03.2022');
    await page.locator('button', { hasText: 'Выйти' }).click();
    await expect(page.locator('#token').count()).resolves.toBe(1);
    await page.close();
  });
});
