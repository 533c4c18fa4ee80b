/**
 * Issue 13, point 1: the roadmap grid behaves like a spreadsheet and never changes a measure
 * the user did not visibly select; Ctrl+Z / Ctrl+Shift+Z take back and redo grid edits (and
 * a form save) with a toast naming what was undone.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ demo: true });

const rows = (page: Page) => page.locator('.rg-row[data-measure-id]');
const selected = (page: Page) => page.locator('.rg-cell[aria-selected="true"]');

/** Every measure's cells as the grid shows them, by id (without the soft hyphens added for display). */
async function snapshot(page: Page): Promise<Record<string, string[]>> {
  const list = await rows(page).evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-measure-id')!, [...e.querySelectorAll('.rg-cell:not(.rg-task)')].map((c) => (c.textContent ?? '').replace(/\u00AD/g, ''))] as const),
  );
  return Object.fromEntries(list);
}

/**
 * Types as a Russian keyboard does: a keydown carrying each letter, through the DevTools
 * protocol. (Playwright's `type` sends letters a US layout lacks as bare input events, which a
 * selected cell that is not yet being edited never sees, and `press` refuses them.)
 */
async function typeOnKeys(page: Page, text: string) {
  const cdp = await page.context().newCDPSession(page);
  for (const ch of text) {
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
  }
  await cdp.detach();
}

/** The selected cell is in this row and column and on screen. */
async function expectSelected(page: Page, row: Locator, col: string) {
  await expect(selected(page)).toHaveCount(1);
  await expect(row.locator(`.rg-cell.rg-${col}`)).toHaveAttribute('aria-selected', 'true');
  await expect(row).toContainClass('rg-selected');
  await expect(selected(page)).toBeInViewport();
}

test('roadmap grid: Enter, Tab and typing act on the visibly selected cell only; Ctrl+Z and Ctrl+Shift+Z undo and redo with a toast', async ({ host, openApp }) => {
  test.setTimeout(240_000);
  const page = await openApp(host, '#/programmes');
  await page.getByRole('link', { name: 'Средняя школа № 2' }).click();
  await page.locator('.programme-card', { hasText: 'Антирисковая' }).first().click();
  await expect(rows(page)).toHaveCount(9);
  const before = await snapshot(page);
  const helping = rows(page).filter({ hasText: 'Оказание адресной психолого-педагогической помощи' });
  const nextTask = rows(page).filter({ hasText: 'Внедрение технологии формирующего оценивания' });
  const diagnostics = rows(page).filter({ hasText: 'Диагностика обучающихся с трудностями' });
  const seminar = rows(page).filter({ hasText: 'Семинар для педагогов' });

  await test.step('the issue’s keys: Ctrl+Enter, a title, Enter, Tab, «в течение года»', async () => {
    await helping.locator('.rg-cell.rg-title').click();
    await page.keyboard.press('Control+Enter');
    // The new row is selected, in view, and its title open for typing.
    const editor = page.locator('.rg-editor textarea');
    await expect(editor).toBeFocused();
    await expect(rows(page)).toHaveCount(10);
    const added = page.locator('.rg-row.rg-editing');
    await expect(added).toContainClass('rg-selected');
    await expect(added).toBeInViewport();
    await page.keyboard.type('Семинар для педагогов');
    await page.keyboard.press('Enter');
    // Enter commits and moves down in the same column: to the next task's first measure, visibly.
    await expectSelected(page, nextTask, 'title');
    await page.keyboard.press('Tab');
    await expectSelected(page, nextTask, 'date_text');
    await typeOnKeys(page, 'в течение года');
    await page.keyboard.press('Enter');
    await expect(nextTask.locator('.rg-cell.rg-date_text')).toHaveText('⚠ в течение года');
    await expectSelected(page, diagnostics, 'date_text');

    // Esc cancels the edit in progress: nothing is written.
    await typeOnKeys(page, 'Кто-то');
    await expect(page.locator('.rg-editor textarea')).toHaveValue('Кто-то');
    await page.keyboard.press('Escape');
    await expect(page.locator('.rg-editor')).toHaveCount(0);

    // The typing reached exactly the selected cell: every other measure is as it was.
    const after = await snapshot(page);
    const nextId = (await nextTask.getAttribute('data-measure-id'))!;
    const seminarId = (await seminar.getAttribute('data-measure-id'))!;
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), seminarId].sort());
    for (const [id, cells] of Object.entries(before)) {
      if (id === nextId) expect(after[id]).toEqual(cells.map((c, i) => (i === 1 ? '⚠ в течение года' : c)));
      else expect([id, after[id]]).toEqual([id, cells]);
    }
    expect(after[seminarId]![0]).toBe('Семинар для педагогов');
  });

  await test.step('Ctrl+Z takes back each edit with a toast naming it; Ctrl+Shift+Z redoes', async () => {
    const toast = page.locator('.toast').last();
    await page.keyboard.press('Control+z');
    await expect(toast).toContainText('Отменено: изменение срока мероприятия «Внедрение технологии формирующего оценивания');
    await expect(nextTask.locator('.rg-cell.rg-date_text')).toHaveText('12.05.2022');
    await page.keyboard.press('Control+Shift+z');
    await expect(toast).toContainText('Возвращено: изменение срока мероприятия «Внедрение технологии');
    await expect(nextTask.locator('.rg-cell.rg-date_text')).toHaveText('⚠ в течение года');
    await page.keyboard.press('Control+z');
    await expect(nextTask.locator('.rg-cell.rg-date_text')).toHaveText('12.05.2022');
    await page.keyboard.press('Control+z');
    await expect(toast).toContainText('Отменено: изменение названия мероприятия «Семинар для педагогов»');
    await page.keyboard.press('Control+z');
    await expect(toast).toContainText('Отменено: добавление мероприятия');
    await expect(rows(page)).toHaveCount(9);
    // The toast's «Вернуть» redoes the step it names.
    await toast.getByRole('button', { name: 'Вернуть' }).click();
    await expect(rows(page)).toHaveCount(10);
    await page.keyboard.press('Control+z');
    await expect(rows(page)).toHaveCount(9);

    // Undo was written like any edit: after a reload the roadmap is as it was at the start.
    await page.reload();
    await expect(rows(page)).toHaveCount(9);
    expect(await snapshot(page)).toEqual(before);
  });

  await test.step('a form save is undone the same way', async () => {
    await page.getByRole('button', { name: 'Изменить паспорт' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Цель').fill('Снизить долю обучающихся с рисками учебной неуспешности');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await expect(dialog).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.toast').last()).toContainText('Отменено: изменение программы «Антирисковая программа «Высокая доля');
    await page.locator('details.passport > summary').click();
    await expect(page.locator('details.passport')).toContainText('Снижение доли обучающихся с рисками учебной неуспешности к концу 2022-2023');
  });
});
