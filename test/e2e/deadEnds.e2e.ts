/**
 * Issue 13, points 4, 5, 6 and 8 through the UI on the demo district: search by school number
 * and by a curator's surname, the school card's links onward, Программы offering the missing
 * АРП, a second curator warned about and the first one ended, the organisation autocomplete
 * highlighting nothing until ↓, school breaks set in Настройки and a schedule that skips them.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ demo: true });

const SCHOOL = 'Средняя школа № 32';
const schoolRows = (page: Page) => page.getByRole('grid', { name: 'Школы' }).getByRole('row');
const box = (scope: Page | Locator, label: string): Locator => scope.getByRole('textbox', { name: label, exact: true });

test('search by number and curator, the school card leads to its visits and programmes, Программы offers the missing АРП', async ({ host, openApp }) => {
  const page = await openApp(host, '#/schools');
  await page.getByRole('searchbox').fill('школа 32');
  await expect(schoolRows(page)).toHaveCount(1);
  await expect(schoolRows(page).first()).toContainText(SCHOOL);
  await page.getByRole('searchbox').fill('Осипова');
  // Her home school and the school she curates.
  await expect(schoolRows(page)).toHaveCount(2);
  await expect(schoolRows(page).filter({ hasText: SCHOOL })).toHaveCount(1);

  await schoolRows(page).filter({ hasText: SCHOOL }).click();
  await expect(page.getByRole('heading', { level: 1, name: SCHOOL })).toBeVisible();
  const work = page.getByRole('navigation', { name: 'Работа со школой' });
  await expect(work.getByRole('link', { name: 'Графика посещений нет — составить' })).toBeVisible();
  await work.getByRole('link', { name: 'Посещения школы' }).click();
  await expect(page.getByRole('combobox', { name: 'Школа' })).toHaveValue(/.+/);
  await expect(page.getByRole('combobox', { name: 'Школа' }).locator('option:checked')).toHaveText(SCHOOL);
  await page.goBack();
  await work.getByRole('link', { name: 'нет АРП по активированному фактору риска — создать' }).click();
  await expect(page.getByRole('button', { name: 'Создать недостающие АРП' })).toBeVisible();

  await page.getByRole('link', { name: 'Программы', exact: true }).click();
  const row = page.getByRole('row').filter({ hasText: SCHOOL });
  await row.getByRole('link', { name: 'нет АРП по активированному фактору риска — создать' }).click();
  await page.getByRole('button', { name: 'Создать недостающие АРП' }).click();
  await page.getByRole('link', { name: 'Программы', exact: true }).click();
  await expect(row).not.toContainText('нет АРП');
});

test('a second curator: the dialog warns and ends the first one on the new start date', async ({ host, openApp }) => {
  const page = await openApp(host, '#/schools');
  await page.getByRole('searchbox').fill('32');
  // The search answers from the core: click once the list shows only the match, not a row about to be replaced.
  await expect(schoolRows(page)).toHaveCount(1);
  await schoolRows(page).filter({ hasText: SCHOOL }).click();
  await expect(page.getByRole('heading', { level: 1, name: SCHOOL })).toBeVisible();
  await page.getByRole('button', { name: 'Назначить куратора' }).click();
  const dialog = page.getByRole('dialog', { name: 'Назначение куратора' });
  const curator = dialog.getByRole('combobox', { name: 'Куратор', exact: true });
  // Keep the pointer off the list: hovering an option highlights it, as it should.
  await page.mouse.move(0, 0);
  await curator.fill('Григорь');
  await expect(dialog.getByRole('option', { name: /Григорьева/ })).toBeVisible();
  // Nothing is highlighted until ↓: the first ↓ lands on the first option.
  await expect(dialog.getByRole('listbox').getByRole('option', { selected: true })).toHaveCount(0);
  await curator.press('ArrowDown');
  await expect(dialog.getByRole('option', { name: /Григорьева/ })).toHaveAttribute('aria-selected', 'true');
  await curator.press('Enter');
  await box(dialog, 'С').fill('15.01.2027');
  await dialog.getByText('Без приказа', { exact: true }).click();
  const warning = dialog.getByRole('status', { name: 'У школы уже есть куратор на эти дни' });
  await expect(warning).toContainText('Осипова Л.А.: с 15.03.2021, без даты окончания');
  await expect(warning.getByRole('radio', { name: 'Завершить прежнее закрепление 15.01.2027, в день начала нового' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Сохранить' }).click();
  await expect(dialog).toBeHidden();
  const curators = page.getByRole('table', { name: 'Кураторы' });
  await expect(curators.getByRole('row').filter({ hasText: 'Осипова' })).toContainText('15.01.2027');
  await expect(curators.getByRole('row').filter({ hasText: 'Григорьева' })).toContainText('15.01.2027');
});

test('school breaks set in Настройки; a schedule over New Year plans no visit from 29.12 to 08.01', async ({ host, openApp }) => {
  const page = await openApp(host, '#/settings');
  const form = page.getByRole('form', { name: 'Добавить каникулы' });
  await box(form, 'Название').fill('Зимние каникулы 2026/27');
  await box(form, 'С').fill('29.12.2026');
  await box(form, 'По').fill('08.01.2027');
  await form.getByRole('button', { name: 'Добавить каникулы' }).click();
  await expect(page.getByRole('table', { name: 'Каникулы' }).getByRole('row').filter({ hasText: 'Зимние каникулы 2026/27' })).toContainText('29.12.2026 — 08.01.2027');

  await page.goto(`${host.url}#/visits/schedules`);
  await page.getByRole('button', { name: 'Составить график' }).click();
  await page.getByRole('combobox', { name: 'Школа' }).selectOption({ label: `${SCHOOL} — Реализация` });
  await box(page, 'Период с').fill('14.12.2026');
  await box(page, 'по').fill('22.01.2027');
  await page.getByRole('button', { name: 'Рассчитать даты' }).click();
  await expect(page.getByRole('heading', { name: 'График посещений' })).toBeVisible();
  // Implementing stage, every 21 days: 14.12 + 21 = 04.01 (break) → back to 28.12; 28.12 + 21 = 18.01.
  const dates = page.locator('table.schedule-dates input.date-input');
  await expect(dates).toHaveCount(3);
  expect(await dates.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['14.12.2026', '28.12.2026', '18.01.2027']);
});
