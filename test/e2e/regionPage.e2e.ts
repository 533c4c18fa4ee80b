/**
 * The regional coordinator opens the region page in Chromium: the built server runs as a
 * real process, two district laptops enrol and sync over HTTP, and the page — after a
 * sign-in with a regional account's name and password typed into its form — shows both districts and the
 * summaries. Screenshots are kept for a person to look at (REGION_SHOTS, or the test's
 * folder under test-results/).
 */
import path from 'node:path';
import type { Ctx } from '../../core/context';
import { enrolHttp, syncHttp } from '../../core/sync/client';
import { DISTRICTS, seedExpertise, seedFieldWork } from '../fixtures/expertise';
import { makeLaptop, type Laptop } from '../sync/helpers';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1366, height: 900 } });

test('the region page asks for a name and password, then shows both districts with last sync and the summaries', async ({ hub, page }, testInfo) => {
  const shot = (name: string) => (process.env.REGION_SHOTS ? path.join(process.env.REGION_SHOTS, name) : testInfo.outputPath(name));
  const laptops: Laptop[] = [];
  try {
    for (const [i, d] of DISTRICTS.entries()) {
      const district = await hub.admin('/api/admin/districts', { name: d.name });
      const laptop = makeLaptop(`region-${i}`);
      laptops.push(laptop);
      const seeded = seedExpertise(laptop.store, [d]);
      if (i === 0) seedFieldWork(laptop.store, seeded);
      await enrolHttp(laptop.store, hub.url, (await hub.admin(`/api/admin/districts/${district.id}/codes`)).code!, `Ноутбук ${i + 1}`);
      const ctx: Ctx = { store: laptop.store, dataDir: laptop.dataDir, emit: () => undefined };
      await syncHttp(ctx);
    }
    const reference = await fetch(`${hub.url}/api/admin/reference`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ table: 'calendar_stages', rows: [{ year: 2022, code: 'M1', title: 'Мониторинг 1 этап', date_from: '2022-04-01', deadline: '2022-06-30' }] }),
    });
    expect(reference.status).toBe(200);
    await hub.admin('/api/admin/accounts', { name: 'coordinator', role: 'coordinator', password: 'пароль координатора' });
  } finally {
    for (const l of laptops) l.store.close();
  }

  await page.goto(`${hub.url}/region`);
  await expect(page.locator('h1')).toHaveText('Региональный обзор');
  // Keyboard only: the name field has focus; a wrong password is said next to the fields.
  await page.keyboard.type('coordinator');
  await page.keyboard.press('Tab');
  await page.keyboard.type('неверный пароль');
  await page.keyboard.press('Enter');
  await expect(page.locator('#login-error')).toContainText('Неверное имя или пароль');
  await page.screenshot({ path: shot('region-login-error.png') });
  await page.locator('#password').fill('пароль координатора');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${hub.url}/region`);
  await expect(page.locator('h1')).toHaveText('Региональный обзор на 30.06.2022');
  const districts = page.locator('table').first();
  for (const d of DISTRICTS) await expect(districts.locator('tr', { hasText: d.name }).locator('td').nth(2)).toHaveText(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
  await expect(page.getByText('Оценено 6 из 7 АРП')).toHaveCount(1);
  // A district's schools open without any script (a <details> element).
  await page.locator('summary', { hasText: DISTRICTS[1]!.name }).click();
  await expect(page.locator('details[open] tr', { hasText: 'МБОУ Скоковская СОШ' }).locator('td').nth(4)).toHaveText('8 из 8');
  await page.screenshot({ path: shot('region.png'), fullPage: true });
  // Another date through the form, then logging out returns to the sign-in form.
  await page.locator('#date').fill('31.03.2022');
  await page.locator('button', { hasText: 'Показать' }).click();
  await expect(page.locator('h1')).toHaveText('Региональный обзор на 31.03.2022');
  await page.locator('button', { hasText: 'Выйти' }).click();
  await expect(page.locator('#password')).toHaveCount(1);
});
