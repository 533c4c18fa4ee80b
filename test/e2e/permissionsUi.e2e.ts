/**
 * Issue 10, the screens side of the permissions rule, on the demo district: a наблюдатель
 * finds no control that adds anything and the buttons that open forms disabled with the
 * reason on hover; a curator logs visits only as themselves.
 */
import { expect, test } from './fixtures';

test.use({ demo: true });

test('a наблюдатель reads programmes, the journal, schedules, the start page and the municipal roadmap without a way to change them', async ({ host, openApp }) => {
  const page = await openApp(host, '#/programmes', { account: 'viewer' });
  await page.getByRole('link', { name: 'Средняя школа № 32' }).click();
  const create = page.getByRole('button', { name: 'Новая программа' });
  await expect(create).toBeDisabled();
  await expect(create).toHaveAttribute('title', /могут только муниципальный координатор и куратор \(по своим школам\)/);
  await expect(page.getByRole('button', { name: 'Создать недостающие АРП' })).toBeDisabled();

  await page.goto(`${host.url}#/visits`);
  await expect(page.getByRole('heading', { level: 1, name: 'Журнал' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Записать посещение' })).toHaveCount(0);

  await page.goto(`${host.url}#/visits/schedules`);
  await expect(page.getByRole('heading', { level: 1, name: 'Графики посещений' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Составить график' })).toHaveCount(0);

  // The start page still lists the schools that need a visit, with nothing to log them.
  await page.goto(`${host.url}#/`);
  await expect(page.getByRole('table', { name: 'Школы, которым нужно посещение' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Записать посещение' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Записать', exact: true })).toHaveCount(0);

  await page.goto(`${host.url}#/muni`);
  await expect(page.locator('tr[data-item-id]').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Добавить раздел' })).toHaveCount(0);
  await expect(page.locator('.muni-report-action')).toHaveCount(0);
});

test('a curator logs a visit only as themselves', async ({ host, openApp }) => {
  const page = await openApp(host, '#/visits/new', { account: 'curator' });
  await expect(page.getByRole('heading', { name: 'Новое посещение' })).toBeVisible();
  const curator = page.getByRole('combobox', { name: 'Куратор', exact: true });
  await expect(curator).toBeDisabled();
  await expect(curator).toHaveAttribute('title', 'Куратор ведёт только свой журнал и свои графики');
  // Themselves, chosen before any school is: the name the sidebar shows for the account.
  const name = (await page.locator('.account-foot-name').textContent())?.trim() ?? '';
  expect(name).not.toBe('');
  await expect(curator.locator('option:checked')).toHaveText(name);
});
