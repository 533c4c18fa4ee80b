/**
 * Issue 2 end to end, in browser mode against a real SQLite file in a temporary folder:
 * load the demo, find a school by search, create a school with an invalid field (the
 * Russian message appears next to it, nothing typed is lost), fix it and save, restart
 * the host on the same folder (the school is still there), assign a curator with a new
 * order and see it on the school card.
 */
import fs from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, startHostProcess, tempDataDir, type RunningHost } from './harness';

let browser: Browser;
const hosts: RunningHost[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function host(dataDir: string): Promise<RunningHost> {
  const h = await startHostProcess(dataDir);
  hosts.push(h);
  return h;
}

/** A text box by its accessible name (the label without the decorative «*»). */
const box = (scope: Page | Locator, label: string): Locator => scope.getByRole('textbox', { name: label, exact: true });

/** The message under the form field whose label is `label`. */
function fieldError(scope: Page | Locator, label: string): Locator {
  // `has` is matched inside each .field, so it must not carry the outer scope itself.
  const page = 'keyboard' in scope ? scope : scope.page();
  return scope.locator('.field', { has: box(page, label) }).locator('.field-error');
}

const visible = (l: Locator) => l.first().waitFor({ state: 'visible', timeout: 10_000 });

describe('schools and people (issue 2)', () => {
  it('demo → search → create with a Russian error → fix → restart keeps it → assign a curator with an order', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    let h = await host(dataDir);
    let page = await openApp(browser, h, '#/');

    // First start: the setup screen offers the demo.
    await page.getByRole('button', { name: 'Загрузить демо' }).click();
    await page.getByRole('link', { name: 'Школы' }).click();
    await visible(page.getByRole('row').filter({ hasText: 'Цебаринская СОШ' }));

    // Search is case-insensitive Cyrillic, on the server.
    await page.getByRole('searchbox').fill('генух');
    await visible(page.getByText('1 школа', { exact: true }));
    const rows = page.getByRole('grid', { name: 'Школы' }).getByRole('row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Генухская СОШ');
    await page.getByRole('searchbox').fill('нет такой школы');
    await visible(page.getByText('Ни одна школа не подходит под поиск и фильтры.'));
    await page.getByRole('button', { name: 'Сбросить фильтры' }).first().click();
    await visible(page.getByRole('row').filter({ hasText: 'Цебаринская СОШ' }));

    // Create a school with an invalid link: the message is next to that field, the rest stays typed.
    await page.getByRole('button', { name: 'Добавить школу' }).click();
    await box(page, 'Полное наименование').fill('МКОУ «Тестовая СОШ № 500»');
    await box(page, 'Краткое наименование').fill('Тестовая СОШ № 500');
    await box(page, 'Год включения в проект').fill('2023');
    await box(page, 'Страница 500+ на сайте школы').fill('школа.рф/500');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    const siteError = fieldError(page, 'Страница 500+ на сайте школы');
    await visible(siteError);
    expect(await siteError.textContent()).toBe('Ссылка должна начинаться с http:// или https://');
    expect(await box(page, 'Краткое наименование').inputValue()).toBe('Тестовая СОШ № 500');
    expect(await box(page, 'Год включения в проект').inputValue()).toBe('2023');
    // The first invalid field has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('site_url');
    expect(await fieldError(page, 'Краткое наименование').count()).toBe(0);

    await box(page, 'Страница 500+ на сайте школы').fill('https://school500.example.ru/500');
    await page.keyboard.press('Control+Enter');
    await visible(page.getByRole('heading', { level: 1, name: 'Тестовая СОШ № 500' }));
    expect(await page.getByText('МКОУ «Тестовая СОШ № 500»').count()).toBeGreaterThan(0);

    // Restart the host on the same data folder: the school is still there.
    await page.close();
    await h.stop();
    hosts.splice(0);
    h = await host(dataDir);
    page = await openApp(browser, h, '#/schools');
    await page.getByRole('searchbox').fill('тестовая');
    await visible(page.getByText('1 школа', { exact: true }));
    await page.getByRole('row').filter({ hasText: 'Тестовая СОШ № 500' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Тестовая СОШ № 500' }));
    await visible(page.getByText('Куратор не назначен.'));

    // Assign a curator with a new order typed in the dialog.
    await page.getByRole('button', { name: 'Назначить куратора' }).click();
    const dialog = page.getByRole('dialog', { name: 'Назначение куратора' });
    await visible(dialog);
    await dialog.getByRole('combobox', { name: 'Куратор', exact: true }).fill('Григорь');
    await dialog.getByRole('option', { name: /Григорьева/ }).click();
    await dialog.getByText('Новый приказ', { exact: true }).click();
    await box(dialog, 'Номер').fill('15');
    await box(dialog, 'Дата').fill('31.02.2024');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    // A date that is not in the calendar is refused next to the field.
    const dateError = fieldError(dialog, 'Дата');
    await visible(dateError);
    expect(await dateError.textContent()).toBe('Такой даты нет в календаре');
    await box(dialog, 'Дата').fill('01.09.2024');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'detached' });

    const curators = page.getByRole('table', { name: 'Кураторы' });
    await visible(curators.getByRole('row').filter({ hasText: 'Григорьева' }));
    const row = await curators.getByRole('row').filter({ hasText: 'Григорьева' }).textContent();
    expect(row).toContain('Приказ № 15 от 01.09.2024');
    expect(row).toContain('действует');

    // The curator's own card lists the school.
    await curators.getByRole('link', { name: /Григорьева/ }).click();
    const assignments = page.getByRole('table', { name: 'Закрепление за школами' });
    await visible(assignments.getByRole('row').filter({ hasText: 'Тестовая СОШ № 500' }));
    expect(await assignments.getByRole('row').filter({ hasText: 'Тестовая СОШ № 500' }).textContent()).toContain('Приказ № 15 от 01.09.2024');
  });

  it('deleting a school asks first, can be undone from the toast, and is restorable from the trash', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const h = await host(dataDir);
    const page = await openApp(browser, h, '#/');
    await page.getByRole('button', { name: 'Загрузить демо' }).click();
    await page.getByRole('link', { name: 'Школы' }).click();
    await page.getByRole('row').filter({ hasText: 'Ретлобская СОШ' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Ретлобская СОШ' }));

    await page.locator('.page-head').getByRole('button', { name: 'Удалить' }).click();
    const confirm = page.getByRole('dialog');
    await visible(confirm.getByText(/Удалить школу «Ретлобская СОШ»/));
    await confirm.getByRole('button', { name: 'Удалить' }).click();
    const toast = page.locator('.toast').filter({ hasText: 'Школа «Ретлобская СОШ» перемещена в корзину' });
    await visible(toast);
    // «Отменить» in the toast brings it straight back.
    await toast.getByRole('button', { name: 'Отменить' }).click();
    await page.getByRole('searchbox').fill('ретлоб');
    await visible(page.getByText('1 школа', { exact: true }));

    // Delete again and restore from the trash this time.
    await page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: 'Ретлобская СОШ' }).click();
    await page.locator('.page-head').getByRole('button', { name: 'Удалить' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить' }).click();
    await page.getByRole('searchbox').fill('ретлоб');
    await visible(page.getByText('Ни одна школа не подходит под поиск и фильтры.'));

    // It is in the trash; restoring brings it back to the list.
    await page.getByRole('link', { name: 'Корзина' }).click();
    const trashRow = page.getByRole('row').filter({ hasText: 'Ретлобская СОШ' });
    await visible(trashRow);
    await trashRow.getByRole('button', { name: 'Восстановить' }).click();
    await visible(page.getByText('Корзина пуста.'));
    await page.getByRole('link', { name: 'Школы' }).click();
    await visible(page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: 'Ретлобская СОШ' }));
  });
});
