/**
 * Issue 10 end to end, in browser mode on the demo district (which starts locked, with a
 * coordinator, a curator and a наблюдатель): sign-in with a wrong and then the right
 * password, sign-out, the idle lock on a fake clock and offline sign-in after it, a viewer
 * who cannot edit, the data folder unreadable after sign-out, a fresh laptop's first
 * account, and a curator on a second laptop whose verdict reaches the coordinator signed by them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { PersonCard, PersonListRow } from '../../core/contract/people';
import type { ProgrammeDetail, ProgrammeSchoolRow, SchoolProgrammes } from '../../core/contract/programmes';
import { personShort } from '../../core/format';
import { DEMO_PASSWORDS, expect, signIn, test, type RunningHost } from './fixtures';
import { callHost, label } from './harness';

const SQLITE_HEADER = 'SQLite format 3\0';

const accountsGroup = (page: Page) => page.getByRole('radiogroup', { name: 'Учётные записи этого ноутбука' });
const passwordBox = (page: Page) => page.getByLabel(label('Пароль'));
const app = (page: Page) => page.getByRole('navigation', { name: 'Разделы' });

function startsAsPlainSqlite(file: string): boolean {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.toString('latin1') === SQLITE_HEADER;
}

test.describe('on the demo district', () => {
  test.use({ demo: true });

  test('a forgotten password on a laptop with no other way in: «Начать заново» sets the data aside, still encrypted, and the first-run screen opens', async ({ host, openApp }) => {
    const page = await openApp(host, '#/', { account: null });
    await page.getByRole('button', { name: 'Забыли пароль?' }).click();
    await page.getByRole('button', { name: 'Начать заново с новым кодом' }).click();
    await expect(page.getByRole('dialog')).toContainText('Отложить данные этого ноутбука');
    await page.getByRole('button', { name: 'Отложить и начать заново' }).click();
    await expect(page.getByRole('button', { name: 'Подключиться…' })).toBeVisible();
    const aside = path.join(host.dataDir, 'set-aside');
    const [folder] = fs.readdirSync(aside);
    expect(startsAsPlainSqlite(path.join(aside, folder!, 'district.sqlite'))).toBe(false);
  });

  test('a wrong password is refused under the field, the right one signs in, sign-out locks again and the database reads as noise', async ({ host, openApp }) => {
    const page = await openApp(host, '#/schools', { account: null });
    const group = accountsGroup(page);
    await expect(group.getByRole('radio')).toHaveCount(3);
    // The coordinator signed in last (the demo's first account) is chosen; the password box has the focus.
    await expect(group.getByRole('radio', { checked: true })).toContainText('муниципальный координатор');
    await expect(passwordBox(page)).toBeFocused();

    await passwordBox(page).fill('не тот пароль');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toHaveText('Неверный пароль.');
    await expect(passwordBox(page)).toHaveValue('');
    await expect(app(page)).toHaveCount(0);

    await page.getByRole('button', { name: 'Забыли пароль?' }).click();
    await expect(page.getByText(/Попросите координатора .* выдать новый код/)).toBeVisible();

    await passwordBox(page).fill(DEMO_PASSWORDS.coordinator);
    await page.keyboard.press('Enter');
    // The screen asked for before sign-in opens, with who is signed in at the bottom of the sidebar.
    await expect(page.getByRole('heading', { level: 1, name: 'Школы' })).toBeVisible();
    await expect(app(page)).toContainText('Соколова А.П.');
    await expect(app(page)).toContainText('муниципальный координатор');

    // Another window of the same laptop is signed in too (sign-in is the laptop's).
    const other = await openApp(host, '#/schools');
    await expect(app(other)).toContainText('Соколова А.П.');

    await page.getByRole('button', { name: 'Выйти' }).click();
    await expect(accountsGroup(page)).toBeVisible();
    await expect(app(page)).toHaveCount(0);
    // The other window learns it on its next call, refused as locked: it shows the sign-in screen.
    await other.getByRole('link', { name: 'Люди' }).click();
    await expect(accountsGroup(other)).toBeVisible();
    // Signed out, the data folder gives nothing away: the database file is not a readable SQLite file.
    const db = path.join(host.dataDir, 'district.sqlite');
    expect(fs.existsSync(db)).toBe(true);
    expect(startsAsPlainSqlite(db)).toBe(false);
  });

  test('the idle lock: one minute without input in Настройки, the clock runs on, the sign-in screen offers the same account; sign-in works offline', async ({ host, openApp }) => {
    const page = await openApp(host, '#/settings', { account: 'curator' });
    await page.clock.install();
    const idle = page.getByRole('textbox', { name: 'Блокировать экран после бездействия (минут)' });
    await idle.fill('1');
    await page.getByRole('form', { name: 'Блокировать экран после бездействия (минут)' }).getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByText('Время блокировки сохранено')).toBeVisible();

    // Under a minute of quiet keeps the app open.
    await page.clock.fastForward(40_000);
    await expect(app(page)).toBeVisible();
    await page.clock.fastForward(25_000);
    await expect(accountsGroup(page)).toBeVisible();
    await expect(accountsGroup(page).getByRole('radio', { checked: true })).toContainText('куратор');
    await expect(passwordBox(page)).toBeFocused();

    // The host has no regional server: the password alone opens the data.
    await passwordBox(page).fill(DEMO_PASSWORDS.curator);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Настройки' })).toBeVisible();
    await expect(idle).toHaveValue('1');
  });

  test('Настройки change the password: a wrong current one is refused under its field, then only the new one signs in', async ({ host, openApp }) => {
    const page = await openApp(host, '#/settings', { account: 'viewer' });
    const form = page.getByRole('form', { name: 'Сменить пароль' });
    await form.getByLabel(label('Текущий пароль')).fill('не тот пароль');
    await form.getByLabel(label('Новый пароль')).fill('новый-пароль-1');
    await form.getByLabel(label('Новый пароль ещё раз')).fill('новый-пароль-2');
    await form.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect(form.getByText('Пароли не совпадают')).toBeVisible();
    await form.getByLabel(label('Новый пароль ещё раз')).fill('новый-пароль-1');
    await form.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect(form.getByText('Неверный пароль')).toBeVisible();
    await form.getByLabel(label('Текущий пароль')).fill(DEMO_PASSWORDS.viewer);
    await form.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect(page.getByText('Пароль изменён')).toBeVisible();
    await expect(form.getByLabel(label('Текущий пароль'))).toHaveValue('');

    await page.getByRole('button', { name: 'Выйти' }).click();
    await accountsGroup(page).getByRole('radio', { name: /наблюдатель$/ }).click();
    await passwordBox(page).fill(DEMO_PASSWORDS.viewer);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toHaveText('Неверный пароль.');
    await signIn(page, 'viewer', 'новый-пароль-1');
    await expect(app(page)).toContainText('наблюдатель');
  });

  test('a наблюдатель reads the schools but cannot add or change one', async ({ host, openApp }) => {
    const page = await openApp(host, '#/schools', { account: 'viewer' });
    await expect(app(page)).toContainText('наблюдатель');
    await expect(page.getByRole('row').filter({ hasText: 'Средняя школа № 37' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Добавить школу' })).toHaveCount(0);
    await page.getByRole('row').filter({ hasText: 'Средняя школа № 37' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Средняя школа № 37' })).toBeVisible();
    const edit = page.locator('.page-head').getByRole('button', { name: 'Изменить' });
    await expect(edit).toBeDisabled();
    await expect(edit).toHaveAttribute('title', /муниципальный координатор/);
    // Settings show the account, and a person's card offers no login code to a viewer.
    await page.getByRole('link', { name: 'Люди' }).click();
    await page.getByRole('row').nth(1).click();
    await expect(page.getByRole('button', { name: 'Выдать код для входа' })).toBeDisabled();
  });
});

test('a fresh laptop: create the district, then the coordinator account (passwords must match), which encrypts the database', async ({ host, openApp, startHost }) => {
  let page = await openApp(host, '#/');
  await page.getByRole('textbox', { name: 'Регион' }).fill('Свердловская область');
  await page.getByRole('textbox', { name: 'Муниципальное образование' }).fill('Тестовый городской округ');
  await page.getByRole('button', { name: 'Создать район' }).click();

  await expect(page.getByRole('heading', { name: 'Создайте учётную запись координатора' })).toBeVisible();
  const db = path.join(host.dataDir, 'district.sqlite');
  expect(startsAsPlainSqlite(db)).toBe(true);
  // A new district has no coordinator in its list: the coordinator types their name.
  await page.getByRole('textbox', { name: 'Фамилия' }).fill('Петрова');
  await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Мария');
  await page.getByLabel(label('Пароль')).fill('короткий');
  await page.getByLabel(label('Пароль ещё раз')).fill('другой пароль');
  await page.getByRole('button', { name: 'Создать учётную запись' }).click();
  await expect(page.getByText('Пароли не совпадают')).toBeVisible();
  await page.getByLabel(label('Пароль ещё раз')).fill('короткий');
  await page.getByRole('button', { name: 'Создать учётную запись' }).click();

  await expect(app(page)).toContainText('Петрова М.');
  expect(startsAsPlainSqlite(db)).toBe(false);

  // After a restart the laptop is locked and only the new password opens it.
  await page.close();
  await host.stop();
  const restarted = await startHost({ dataDir: host.dataDir });
  page = await openApp(restarted, '#/', { account: null });
  await expect(accountsGroup(page).getByRole('radio')).toHaveCount(1);
  await signIn(page, 'coordinator', 'короткий');
  await expect(app(page)).toContainText('Тестовый городской округ');
});

interface CuratorSchool {
  curator: { id: string; name: string };
  measureId: string;
  programmeId: string;
}

/** A curator of the demo district with a school assigned today whose programme has a measure. */
async function curatorWithMeasure(host: RunningHost): Promise<CuratorSchool> {
  const today = new Date().toISOString().slice(0, 10);
  const withMeasures = new Set((await callHost<ProgrammeSchoolRow[]>(host, 'programmes.schools', {})).filter((s) => s.measures > 0).map((s) => s.id));
  const { rows } = await callHost<{ rows: PersonListRow[] }>(host, 'people.list', { role: 'curator', limit: 100 });
  for (const row of rows) {
    const card = await callHost<PersonCard>(host, 'people.get', { id: row.id });
    const current = card.assignments.find(({ assignment: a }) => !a.deleted_at && a.date_from <= today && (!a.date_to || a.date_to >= today) && withMeasures.has(a.school_id));
    if (!current) continue;
    const { programmes } = await callHost<SchoolProgrammes>(host, 'programmes.forSchool', { school_id: current.school.id });
    for (const summary of programmes) {
      const detail = await callHost<ProgrammeDetail>(host, 'programmes.get', { id: summary.id });
      const measure = detail.measures[0];
      if (measure) return { curator: { id: row.id, name: personShort(row) }, measureId: measure.id, programmeId: summary.id };
    }
  }
  throw new Error('В демо-районе нет куратора со школой, у программы которой есть мероприятия');
}

test('a curator signs in on laptop B with a code the coordinator issued; their verdict reaches laptop A signed by them', async ({ hub, startHost, openApp }) => {
  test.setTimeout(300_000);
  const district = await hub.admin('/api/admin/districts', { name: 'Каменск-Уральский городской округ' });
  const hostA = await startHost({ demo: true });
  const pageA = await openApp(hostA, '#/sync');
  const syncNow = async (page: Page) => {
    await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
    await expect(page.getByText(/Синхронизация завершена/).last()).toBeVisible();
  };

  await test.step('the coordinator’s laptop enrols with the region’s code and a document waits for the curator', async () => {
    await pageA.getByLabel('Адрес сервера').fill(hub.url);
    await pageA.getByLabel('Код подключения').fill((await hub.admin(`/api/admin/districts/${district.id}/codes`)).code!);
    await pageA.getByRole('button', { name: 'Подключить' }).click();
    await syncNow(pageA);
  });
  const target = await curatorWithMeasure(hostA);
  await callHost(hostA, 'evidence.add', { measure_id: target.measureId, title: 'Протокол для проверки куратором', kind: 'Протокол', url: 'https://example.ru/protocol' });
  await pageA.goto(`${hostA.url.split('?')[0]}#/sync`);
  await syncNow(pageA);

  let code = '';
  await test.step('the coordinator issues a curator’s code from the person card', async () => {
    await pageA.goto(`${hostA.url.split('?')[0]}#/people/${target.curator.id}`);
    await pageA.getByRole('button', { name: 'Выдать код для входа' }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Код для входа' });
    await expect(dialog.getByRole('radio', { name: 'куратор' })).toBeChecked();
    await dialog.getByRole('button', { name: 'Выдать код', exact: true }).click();
    await expect(dialog.getByText('Код действует один раз; передайте его человеку лично.')).toBeVisible();
    code = (await dialog.locator('output').textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await dialog.getByRole('button', { name: 'Готово' }).click();
  });

  const hostB = await startHost();
  const pageB = await openApp(hostB, '#/');
  await test.step('a new laptop joins with that code; the curator only sets a password', async () => {
    await pageB.getByRole('button', { name: 'Подключиться…' }).click();
    await pageB.getByLabel('Адрес сервера').fill(hub.url);
    await pageB.getByLabel('Код подключения').fill(code);
    await pageB.getByRole('button', { name: 'Подключиться к району' }).click();
    await expect(pageB.getByRole('heading', { name: 'Задайте пароль своей учётной записи' })).toBeVisible({ timeout: 30_000 });
    await expect(pageB.getByText(`«${target.curator.name}» (куратор)`)).toBeVisible();
    await expect(pageB.getByRole('group', { name: 'Кто вы' })).toHaveCount(0);
    await pageB.getByLabel(label('Пароль')).fill('пароль-куратора');
    await pageB.getByLabel(label('Пароль ещё раз')).fill('пароль-куратора');
    await pageB.getByRole('button', { name: 'Создать учётную запись' }).click();
    await expect(app(pageB)).toContainText(target.curator.name);
    await expect(app(pageB)).toContainText('куратор');
  });

  const evidenceOn = async (page: Page, host: RunningHost) => {
    await page.goto(`${host.url.split('?')[0]}#/programmes/${target.programmeId}`);
    await page.locator(`.rg-row[data-measure-id="${target.measureId}"] .rg-cell.rg-evidence`).click();
    return page.locator('.measure-panel .evidence', { hasText: 'Протокол для проверки куратором' });
  };

  await test.step('the curator confirms the document at their own school and syncs', async () => {
    const doc = await evidenceOn(pageB, hostB);
    await doc.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(doc.locator('.badge', { hasText: 'Подтверждено' })).toBeVisible();
    await pageB.goto(`${hostB.url.split('?')[0]}#/sync`);
    await syncNow(pageB);
  });

  await test.step('the coordinator’s laptop shows the verdict signed by that curator', async () => {
    await pageA.goto(`${hostA.url.split('?')[0]}#/sync`);
    await syncNow(pageA);
    const doc = await evidenceOn(pageA, hostA);
    await expect(doc.locator('.badge', { hasText: 'Подтверждено' })).toBeVisible();
    await doc.getByRole('button', { name: /История проверки/ }).click();
    await expect(doc.locator('.verdict-history li', { hasText: `Подтверждено, ${target.curator.name}` })).toBeVisible();
  });

  await test.step('a shared laptop: the coordinator adds the curator’s account in Настройки with a new code, which signs the curator in', async () => {
    await pageA.goto(`${hostA.url.split('?')[0]}#/people/${target.curator.id}`);
    await pageA.getByRole('button', { name: 'Выдать код для входа' }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Код для входа' });
    await dialog.getByRole('button', { name: 'Выдать код', exact: true }).click();
    const second = (await dialog.locator('output').textContent())!.trim();
    await dialog.getByRole('button', { name: 'Готово' }).click();

    await pageA.getByRole('link', { name: 'Настройки' }).click();
    const form = pageA.getByRole('form', { name: 'Добавить учётную запись на этот ноутбук' });
    await form.getByRole('textbox', { name: 'Код для входа' }).fill(second);
    await form.getByLabel(label('Пароль новой учётной записи')).fill('пароль-куратора-2');
    await form.getByLabel(label('Пароль ещё раз')).fill('пароль-куратора-2');
    await form.getByRole('button', { name: 'Добавить учётную запись' }).click();
    await expect(pageA.getByText(`Учётная запись добавлена: вы вошли как ${target.curator.name}`)).toBeVisible();
    await expect(app(pageA).locator('.account-foot')).toContainText('куратор');
    await pageA.getByRole('button', { name: 'Выйти' }).click();
    await expect(accountsGroup(pageA).getByRole('radio')).toHaveCount(4);
  });
});
