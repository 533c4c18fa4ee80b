/**
 * Issue 13, point 2: one form behaviour everywhere. Esc on a clean form closes it; with
 * unsaved changes it asks, focus on «Вернуться к форме». The visit form keeps a draft in the
 * journal only when something is written in it (never an empty «Черновик» row). A delete
 * confirmation starts on «Отмена». Date errors say which date is wrong and why, and an
 * impossible date stays as typed (ДД.ММ.ГГГГ) beside its message.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ demo: true });

const SCHOOL = 'Основная школа № 39';
const question = (page: Page) => page.getByRole('dialog', { name: 'Закрыть без сохранения?' });
const box = (scope: Page | Locator, label: string): Locator => scope.getByRole('textbox', { name: label, exact: true });
function fieldError(scope: Locator, label: string): Locator {
  return scope.locator('.field', { has: box(scope.page(), label) }).locator('.field-error');
}

test('visit form: a school picked and Esc leaves no draft; typed text without a school is not dropped without asking', async ({ host, openApp }) => {
  const page = await openApp(host, '#/visits/new');
  const journal = page.getByRole('heading', { name: 'Журнал' });
  await page.getByRole('combobox', { name: 'Школа', exact: true }).selectOption({ label: SCHOOL });
  // The autosave runs and keeps nothing: nothing is written yet.
  await expect(page.getByTestId('draft-status')).toHaveText('Черновик появится в журнале, когда в нём будет что-то записано.');
  await page.keyboard.press('Escape');
  await expect(journal).toBeVisible();
  await expect(question(page)).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: SCHOOL }).filter({ hasText: 'Черновик' })).toHaveCount(0);

  // No school: the text cannot be kept as a draft, so Esc asks; the safe answer is focused.
  await page.getByRole('button', { name: 'Записать посещение' }).click();
  await page.getByLabel('Темы', { exact: true }).fill('Согласование АРП');
  await page.keyboard.press('Escape');
  await expect(question(page)).toBeVisible();
  await expect(question(page).getByRole('button', { name: 'Вернуться к форме' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(question(page)).toHaveCount(0);
  await expect(page.getByLabel('Темы', { exact: true })).toHaveValue('Согласование АРП');
  await page.getByRole('button', { name: 'Отмена' }).click();
  await question(page).getByRole('button', { name: 'Закрыть без сохранения' }).click();
  await expect(journal).toBeVisible();
});

test('school form: Esc on a clean form closes, with edits it asks; a delete confirmation starts on «Отмена»', async ({ host, openApp }) => {
  const page = await openApp(host, '#/schools');
  await page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: SCHOOL }).click();
  const cardHeading = page.getByRole('heading', { level: 1, name: SCHOOL });
  await expect(cardHeading).toBeVisible();

  await page.locator('.page-head').getByRole('button', { name: 'Изменить' }).click();
  const address = box(page, 'Адрес');
  await expect(address).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(cardHeading).toBeVisible();

  await page.locator('.page-head').getByRole('button', { name: 'Изменить' }).click();
  await address.fill('ул. Школьная, 1');
  await page.keyboard.press('Escape');
  await expect(question(page)).toBeVisible();
  // Esc in the question is «no»: the form and the edit stay.
  await page.keyboard.press('Escape');
  await expect(question(page)).toHaveCount(0);
  await expect(address).toHaveValue('ул. Школьная, 1');
  await page.keyboard.press('Escape');
  await question(page).getByRole('button', { name: 'Закрыть без сохранения' }).click();
  await expect(cardHeading).toBeVisible();
  await expect(page.getByText('ул. Школьная, 1')).toHaveCount(0);

  await page.locator('.page-head').getByRole('button', { name: 'Удалить' }).click();
  const confirm = page.getByRole('dialog');
  await expect(confirm.getByRole('button', { name: 'Отмена' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toHaveCount(0);
  await expect(cardHeading).toBeVisible();
});

test('assignment dialog: which date is wrong and why; an impossible date stays as typed', async ({ host, openApp }) => {
  const page = await openApp(host, '#/schools');
  await page.getByRole('grid', { name: 'Школы' }).getByRole('row').filter({ hasText: SCHOOL }).click();
  await page.getByRole('button', { name: 'Назначить куратора' }).click();
  const dialog = page.getByRole('dialog', { name: 'Назначение куратора' });
  await dialog.getByRole('combobox', { name: 'Куратор', exact: true }).fill('Григорь');
  await dialog.getByRole('option', { name: /Григорьева/ }).click();
  await dialog.getByText('Без приказа', { exact: true }).click();
  await box(dialog, 'С').fill('01.05.2025');
  await box(dialog, 'По').fill('01.04.2025');
  await dialog.getByRole('button', { name: 'Сохранить' }).click();
  await expect(fieldError(dialog, 'По')).toHaveText('Дата окончания раньше даты начала');
  await expect(dialog.getByText('Неверные входные данные')).toHaveCount(0);

  await box(dialog, 'По').fill('31.02.2025');
  await box(dialog, 'С').focus();
  await dialog.getByRole('button', { name: 'Сохранить' }).click();
  await expect(fieldError(dialog, 'По')).toHaveText('Такой даты нет в календаре');
  await expect(box(dialog, 'По')).toHaveValue('31.02.2025');

  // Changes made: closing asks first.
  await page.keyboard.press('Escape');
  await expect(question(page)).toBeVisible();
  await question(page).getByRole('button', { name: 'Закрыть без сохранения' }).click();
  await expect(dialog).toHaveCount(0);
});

test('Настройки: Esc on changed visit thresholds asks before putting the saved ones back', async ({ host, openApp }) => {
  const page = await openApp(host, '#/settings');
  const forming = box(page, 'Этап формирования дорожной карты: не реже чем раз в (дней)');
  const saved = await forming.inputValue();
  await forming.fill('5');
  await page.keyboard.press('Escape');
  await expect(question(page).getByRole('button', { name: 'Вернуться к форме' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(forming).toHaveValue('5');
  await forming.focus();
  await page.keyboard.press('Escape');
  await question(page).getByRole('button', { name: 'Закрыть без сохранения' }).click();
  await expect(forming).toHaveValue(saved);
});
