/**
 * Issue 2 end to end, in browser mode against a real SQLite file in a temporary folder:
 * load the demo, find a school by search, create a school with an invalid field (the
 * Russian message appears next to it, nothing typed is lost), fix it and save, restart
 * the host on the same folder (the school is still there), assign a curator with a new
 * order and see it on the school card.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createFirstAccount } from './harness';

/** A text box by its accessible name (the label without the decorative «*»). */
const box = (scope: Page | Locator, label: string): Locator => scope.getByRole('textbox', { name: label, exact: true });

/** The message under the form field whose label is `label`. */
function fieldError(scope: Page | Locator, label: string): Locator {
  // `has` is matched inside each .field, so it must not carry the outer scope itself.
  const page = 'keyboard' in scope ? scope : scope.page();
  return scope.locator('.field', { has: box(page, label) }).locator('.field-error');
}

test('demo → search → create with a Russian error → fix → restart keeps it → assign a curator with an order', async ({ host, startHost, openApp }) => {
  let page = await openApp(host, '#/');

  // First start: the setup screen offers the demo; then the coordinator's account.
  await page.getByRole('button', { name: 'Демо: Каменск-Уральский городской округ' }).click();
  await createFirstAccount(page);
  await page.getByRole('link', { name: 'Школы' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Средняя школа № 37' })).toBeVisible();

  // Search is case-insensitive Cyrillic, on the server.
  await page.getByRole('searchbox').fill('ОСНОВНАЯ 14');
  await expect(page.getByText('1 школа', { exact: true })).toBeVisible();
  const rows = page.getByRole('grid', { name: 'Школы' }).getByRole('row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Основная школа № 14');
  await page.getByRole('searchbox').fill('нет такой школы');
  await expect(page.getByText('Ни одна школа не подходит под поиск и фильтры.')).toBeVisible();
  await page.getByRole('button', { name: 'Сбросить фильтры' }).first().click();
  await expect(page.getByRole('row').filter({ hasText: 'Средняя школа № 37' })).toBeVisible();

  // Create a school with an invalid link: the message is next to that field, the rest stays typed.
  await page.getByRole('button', { name: 'Добавить школу' }).click();
  await box(page, 'Полное наименование').fill('МКОУ «Тестовая СОШ № 500»');
  await box(page, 'Краткое наименование').fill('Тестовая СОШ № 500');
  await box(page, 'Год включения в проект').fill('2023');
  await box(page, 'Страница 500+ на сайте школы').fill('школа.рф/500');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(fieldError(page, 'Страница 500+ на сайте школы')).toHaveText('Ссылка должна начинаться с http:// или https://');
  await expect(box(page, 'Краткое наименование')).toHaveValue('Тестовая СОШ № 500');
  await expect(box(page, 'Год включения в проект')).toHaveValue('2023');
  // The first invalid field has the focus.
  await expect(box(page, 'Страница 500+ на сайте школы')).toBeFocused();
  await expect(box(page, 'Страница 500+ на сайте школы')).toHaveAttribute('name', 'site_url');
  await expect(fieldError(page, 'Краткое наименование')).toHaveCount(0);

  await box(page, 'Страница 500+ на сайте школы').fill('https://school500.example.ru/500');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Тестовая СОШ № 500' })).toBeVisible();
  await expect(page.getByText('МКОУ «Тестовая СОШ № 500»').first()).toBeVisible();

  // Restart the host on the same data folder: the school is still there.
  await page.close();
  await host.stop();
  const restarted = await startHost({ dataDir: host.dataDir });
  page = await openApp(restarted, '#/schools');
  await page.getByRole('searchbox').fill('тестовая');
  await expect(page.getByText('1 школа', { exact: true })).toBeVisible();
  await page.getByRole('row').filter({ hasText: 'Тестовая СОШ № 500' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Тестовая СОШ № 500' })).toBeVisible();
  await expect(page.getByText('Куратор не назначен.')).toBeVisible();

  // Assign a curator with a new order typed in the dialog.
  await page.getByRole('button', { name: 'Назначить куратора' }).click();
  const dialog = page.getByRole('dialog', { name: 'Назначение куратора' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('combobox', { name: 'Куратор', exact: true }).fill('Григорь');
  await dialog.getByRole('option', { name: /Григорьева/ }).click();
  await dialog.getByText('Новый приказ', { exact: true }).click();
  await box(dialog, 'Номер').fill('15');
  await box(dialog, 'Дата').fill('31.02.2024');
  await dialog.getByRole('button', { name: 'Сохранить' }).click();
  // A date that is not in the calendar is refused next to the field.
  await expect(fieldError(dialog, 'Дата')).toHaveText('Такой даты нет в календаре');
  await box(dialog, 'Дата').fill('01.09.2024');
  await dialog.getByRole('button', { name: 'Сохранить' }).click();
  await expect(dialog).toBeHidden();

  const curators = page.getByRole('table', { name: 'Кураторы' });
  const curatorRow = curators.getByRole('row').filter({ hasText: 'Григорьева' });
  await expect(curatorRow).toContainText('Приказ № 15 от 01.09.2024');
  await expect(curatorRow).toContainText('действует');

  // The curator's own card lists the school.
  await curators.getByRole('link', { name: /Григорьева/ }).click();
  const assignments = page.getByRole('table', { name: 'Закрепление за школами' });
  await expect(assignments.getByRole('row').filter({ hasText: 'Тестовая СОШ № 500' })).toContainText('Приказ № 15 от 01.09.2024');
});

test('deleting a school asks first, can be undone from the toast, and is restorable from the trash', async ({ host, openApp }) => {
  const page = await openApp(host, '#/');
  await page.getByRole('button', { name: 'Демо: Каменск-Уральский городской округ' }).click();
  await createFirstAccount(page);
  await page.getByRole('link', { name: 'Школы' }).click();
  await page.getByRole('row').filter({ hasText: 'Основная школа № 39' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Основная школа № 39' })).toBeVisible();

  await page.locator('.page-head').getByRole('button', { name: 'Удалить' }).click();
  const confirm = page.getByRole('dialog');
  await expect(confirm.getByText(/Удалить школу «Основная школа № 39»/)).toBeVisible();
  await confirm.getByRole('button', { name: 'Удалить' }).click();
  const toast = page.locator('.toast').filter({ hasText: 'Школа «Основная школа № 39» перемещена в корзину' });
  await expect(toast).toBeVisible();
  // «Отменить» in the toast brings it straight back.
  await toast.getByRole('button', { name: 'Отменить' }).click();
  await page.getByRole('searchbox').fill('основная 39');
  await expect(page.getByText('1 школа', { exact: true })).toBeVisible();

  // Delete again and restore from the trash this time.
  await page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: 'Основная школа № 39' }).click();
  await page.locator('.page-head').getByRole('button', { name: 'Удалить' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Удалить' }).click();
  await page.getByRole('searchbox').fill('основная 39');
  await expect(page.getByText('Ни одна школа не подходит под поиск и фильтры.')).toBeVisible();

  // It is in the trash; restoring brings it back to the list.
  await page.getByRole('link', { name: 'Корзина' }).click();
  const trashRow = page.getByRole('row').filter({ hasText: 'Основная школа № 39' });
  await trashRow.getByRole('button', { name: 'Восстановить' }).click();
  await expect(page.getByText('Корзина пуста.')).toBeVisible();
  await page.getByRole('link', { name: 'Школы' }).click();
  await expect(page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: 'Основная школа № 39' })).toBeVisible();
});
