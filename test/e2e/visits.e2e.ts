/**
 * Issue 3 (visits) end to end, in browser mode against a real SQLite file: on the demo
 * district a school is overdue on the start page and in the schools list; its curator logs
 * a visit from the start page (a wrong next-visit date is refused with the message next to
 * the field and nothing typed is lost), and the school stops being overdue in both places.
 * A draft typed and abandoned survives closing the window.
 */
import { addDays, format } from 'date-fns';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ demo: true });

const SCHOOL = 'Средняя школа № 32';
const attentionRow = (page: Page) => page.getByRole('table', { name: 'Школы, которым нужно посещение' }).getByRole('row').filter({ hasText: SCHOOL });
const tile = (page: Page, label: string) => page.locator(`[data-tile="${label}"] .tile-n`);
const schoolsRow = (page: Page) => page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: SCHOOL });
const ru = (d: Date) => format(d, 'dd.MM.yyyy');

test('a curator logs a visit and the school stops being overdue on the start page and in the schools list', async ({ host, openApp }) => {
  const page = await openApp(host, '#/');
  await expect(attentionRow(page)).toContainText('Просрочено · 35 дней');
  await expect(tile(page, 'Просрочено посещений')).toHaveText('1');

  await page.getByRole('link', { name: 'Школы', exact: true }).click();
  await expect(schoolsRow(page).locator('[data-visit-status]')).toHaveAttribute('data-visit-status', 'overdue');

  await page.getByRole('link', { name: 'Главная' }).click();
  await attentionRow(page).getByRole('link', { name: 'Записать' }).click();
  await expect(page.getByRole('heading', { name: 'Новое посещение' })).toBeVisible();
  // The school comes from the start page; its curator and stage follow.
  await expect(page.getByRole('combobox', { name: 'Куратор', exact: true }).locator('option:checked')).toHaveText('Осипова Л.А.');
  await expect(page.getByRole('combobox', { name: 'Этап школы' })).toHaveValue('implementing');

  await page.getByLabel('Темы', { exact: true }).fill('Согласование мероприятий АРП');
  await page.getByLabel('Что выяснили').fill('Сроки части мероприятий не конкретны');
  await page.getByRole('button', { name: 'Добавить шаг' }).click();
  await page.getByLabel('Что сделать 1').fill('Конкретизировать сроки мероприятий');
  await page.getByLabel('Следующее посещение').fill('01.01.2020');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Следующее посещение — позже даты этого посещения')).toBeVisible();
  // Refused: everything typed is still there.
  await expect(page.getByLabel('Темы', { exact: true })).toHaveValue('Согласование мероприятий АРП');
  await expect(page.getByLabel('Что сделать 1')).toHaveValue('Конкретизировать сроки мероприятий');

  await page.getByLabel('Следующее посещение').fill(ru(addDays(new Date(), 21)));
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Посещение записано в журнал')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Журнал' })).toBeVisible();
  const logged = page.getByRole('row').filter({ hasText: SCHOOL }).filter({ hasText: ru(new Date()) });
  await expect(logged).toBeVisible();
  await expect(logged).not.toContainText('Черновик');

  await page.getByRole('link', { name: 'Главная' }).click();
  await expect(tile(page, 'Просрочено посещений')).toHaveText('0');
  await expect(attentionRow(page)).toHaveCount(0);

  await page.getByRole('link', { name: 'Школы', exact: true }).click();
  await expect(schoolsRow(page).locator('[data-visit-status]')).toHaveAttribute('data-visit-status', 'ok');
});

test('a draft survives closing the window', async ({ host, openApp }) => {
  const first = await openApp(host, '#/visits/new');
  await first.getByRole('combobox', { name: 'Школа', exact: true }).selectOption({ label: 'Основная школа № 27' });
  await first.getByLabel('Что выяснили').fill('Рабочая группа не собиралась');
  await expect(first.getByText(/Черновик сохранён в/)).toBeVisible();
  await first.close();

  // A new browser context: nothing carried over in the browser, only what the app stored.
  const page = await openApp(host, '#/visits');
  const draft = page.getByRole('row').filter({ hasText: 'Основная школа № 27' }).filter({ hasText: 'Черновик' });
  await draft.click();
  await expect(page.getByRole('heading', { name: 'Черновик посещения' })).toBeVisible();
  await expect(page.getByLabel('Что выяснили')).toHaveValue('Рабочая группа не собиралась');
});
