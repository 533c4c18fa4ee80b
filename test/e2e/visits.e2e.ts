/**
 * Issue 3 (visits) end to end, in browser mode against a real SQLite file: on the demo
 * district a school is overdue on the start page and in the schools list; its curator logs
 * a visit from the start page (a wrong next-visit date is refused with the message next to
 * the field and nothing typed is lost), and the school stops being overdue in both places.
 * A draft typed and abandoned survives closing the window.
 */
import fs from 'node:fs';
import { addDays, format } from 'date-fns';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, startHostProcess, tempDataDir, type RunningHost } from './harness';

let browser: Browser;
let host: RunningHost;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  host = await startHostProcess(dataDir, ['--demo']);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const visible = (l: Locator) => l.first().waitFor({ state: 'visible', timeout: 10_000 });
const SCHOOL = 'Средняя школа № 32';
const attentionRow = (page: Page) => page.getByRole('table', { name: 'Школы, которым нужно посещение' }).getByRole('row').filter({ hasText: SCHOOL });
const tile = (page: Page, label: string) => page.locator(`[data-tile="${label}"] .tile-n`);
const schoolsRow = (page: Page) => page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: SCHOOL });
const ru = (d: Date) => format(d, 'dd.MM.yyyy');

describe('visits (issue 3)', () => {
  it('a curator logs a visit and the school stops being overdue on the start page and in the schools list', async () => {
    const page = await openApp(browser, host, '#/');
    await visible(attentionRow(page));
    expect(await attentionRow(page).textContent()).toContain('Просрочено · 35 дн.');
    expect(await tile(page, 'Просрочено посещений').textContent()).toBe('2');

    await page.getByRole('link', { name: 'Школы', exact: true }).click();
    await visible(schoolsRow(page));
    expect(await schoolsRow(page).locator('[data-visit-status]').getAttribute('data-visit-status')).toBe('overdue');

    await page.getByRole('link', { name: 'Главная' }).click();
    await attentionRow(page).getByRole('link', { name: 'Записать' }).click();
    await visible(page.getByRole('heading', { name: 'Новое посещение' }));
    // The school comes from the start page; its curator and stage follow.
    await expect.poll(() => page.getByRole('combobox', { name: 'Куратор', exact: true }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent), { timeout: 10_000 }).toBe('Осипова Л.А.');
    expect(await page.getByRole('combobox', { name: 'Этап школы' }).evaluate((s: HTMLSelectElement) => s.value)).toBe('implementing');

    await page.getByLabel('Темы', { exact: true }).fill('Согласование мероприятий АРП');
    await page.getByLabel('Что выяснили').fill('Сроки части мероприятий не конкретны');
    await page.getByRole('button', { name: 'Добавить шаг' }).click();
    await page.getByLabel('Что сделать 1').fill('Конкретизировать сроки мероприятий');
    await page.getByLabel('Следующее посещение').fill('01.01.2020');
    await page.keyboard.press('Control+Enter');
    await visible(page.getByText('Следующее посещение — позже даты этого посещения'));
    // Refused: everything typed is still there.
    expect(await page.getByLabel('Темы', { exact: true }).inputValue()).toBe('Согласование мероприятий АРП');
    expect(await page.getByLabel('Что сделать 1').inputValue()).toBe('Конкретизировать сроки мероприятий');

    await page.getByLabel('Следующее посещение').fill(ru(addDays(new Date(), 21)));
    await page.keyboard.press('Control+Enter');
    await visible(page.getByText('Посещение записано в журнал'));
    await visible(page.getByRole('heading', { name: 'Журнал' }));
    const logged = page.getByRole('row').filter({ hasText: SCHOOL }).filter({ hasText: ru(new Date()) });
    await visible(logged);
    expect(await logged.textContent()).not.toContain('Черновик');

    await page.getByRole('link', { name: 'Главная' }).click();
    await expect.poll(() => tile(page, 'Просрочено посещений').textContent(), { timeout: 10_000 }).toBe('1');
    expect(await attentionRow(page).count()).toBe(0);

    await page.getByRole('link', { name: 'Школы', exact: true }).click();
    await visible(schoolsRow(page));
    expect(await schoolsRow(page).locator('[data-visit-status]').getAttribute('data-visit-status')).toBe('ok');
    await page.close();
  });

  it('a draft survives closing the window', async () => {
    let page = await openApp(browser, host, '#/visits/new');
    await page.getByRole('combobox', { name: 'Школа', exact: true }).selectOption({ label: 'Цебаринская СОШ' });
    await page.getByLabel('Что выяснили').fill('Рабочая группа не собиралась');
    await visible(page.getByText(/Черновик сохранён в/));
    await page.close();

    page = await openApp(browser, host, '#/visits');
    const draft = page.getByRole('row').filter({ hasText: 'Цебаринская СОШ' }).filter({ hasText: 'Черновик' });
    await visible(draft);
    await draft.click();
    await visible(page.getByRole('heading', { name: 'Черновик посещения' }));
    expect(await page.getByLabel('Что выяснили').inputValue()).toBe('Рабочая группа не собиралась');
    await page.close();
  });
});
