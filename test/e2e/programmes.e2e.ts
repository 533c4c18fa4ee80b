/**
 * Issue 3, programmes half, in browser mode against a real SQLite file: a coordinator
 * builds an АРП with three tasks and eight measures from the keyboard, types a vague
 * date and sees the lint, attaches a file; the signed-in coordinator confirms it and returns another
 * document with a comment; a municipal roadmap item gets its stage report.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ demo: true });

const measureRows = (page: Page) => page.locator('.rg-row[data-measure-id]');

/** Clicks a cell of the roadmap grid (the grid takes focus; keys then act on that cell). */
async function clickCell(row: Locator, col: string) {
  await row.locator(`.rg-cell.rg-${col}`).click();
}

test('programmes: АРП roadmap, date lint, evidence and verdicts', async ({ host, openApp }) => {
  // Six steps in one journey: room for a loaded two-core machine.
  test.setTimeout(360_000);
  const page = await openApp(host, '#/programmes');
  const rows = measureRows(page);

  await test.step('creates the missing АРП for an activated risk factor', async () => {
    await page.getByRole('link', { name: 'Средняя школа № 32' }).click();
    await expect(page.getByText('Нет АРП по активированным факторам риска')).toBeVisible();
    await page.getByRole('button', { name: 'Создать недостающие АРП' }).click();
    await page.locator('.programme-card').first().click();
    await expect(page.getByRole('heading', { name: /Антирисковая программа «Высокая доля/ })).toBeVisible();
    await expect(page.getByText('В дорожной карте пока нет задач')).toBeVisible();
  });

  const plan: [task: string, measures: string[]][] = [
    ['1. Выявить дефициты педагогов', ['Анкетирование педагогов', 'Посещение уроков', 'Аналитическая справка по дефицитам']],
    ['2. Повысить учебную мотивацию', ['Формирующее оценивание на уроках', 'Диагностика обучающихся', 'Олимпиада для 5–6 классов']],
    ['3. Вовлечь родителей', ['Родительское собрание', 'Консультации психолога']],
  ];

  await test.step('builds three tasks and eight measures from the keyboard', async () => {
    const taskInput = page.getByLabel('Добавить задачу');
    for (const [title] of plan) {
      await taskInput.fill(title);
      await taskInput.press('Enter');
      await expect(page.locator('.rg-task-title', { hasText: title })).toBeVisible();
    }
    for (const [task, titles] of plan) {
      // The task's empty row: Enter adds its first measure and opens the title for typing.
      const row = page.locator('.rg-row:not([data-measure-id])', { hasText: task });
      await clickCell(row, 'title');
      await page.keyboard.press('Enter');
      for (let i = 0; i < titles.length; i++) {
        const editor = page.locator('.rg-editor textarea');
        await editor.fill(titles[i]!);
        // Ctrl+Enter commits and adds the next measure under this one; Enter commits the last.
        await editor.press(i < titles.length - 1 ? 'Control+Enter' : 'Enter');
        await expect(page.locator('.rg-cell.rg-title', { hasText: titles[i]! })).toBeVisible();
      }
    }
    await expect(rows.locator('.rg-cell.rg-title')).toHaveText(plan.flatMap(([, t]) => t));

    // The roadmap survives a reload: every cell was committed to the core.
    await page.reload();
    await expect(rows).toHaveCount(8);
  });

  await test.step('flags a vague date as the user types, with the reason and a fix, and accepts a concrete one', async () => {
    const first = rows.nth(0);
    await clickCell(first, 'date_text');
    await page.keyboard.press('Enter');
    await page.keyboard.type('в течение года');
    const pop = page.locator('.rg-lint-pop');
    await expect(pop).toHaveAttribute('data-lint-code', 'during_year');
    await expect(pop).toContainText('эксперты ФИОКО');
    await page.keyboard.press('Enter');
    await expect(first.locator('.rg-cell.rg-date_text')).toContainClass('rg-lint');
    await expect(page.locator('.roadmap-lint-summary', { hasText: 'Неконкретные сроки' })).toBeVisible();

    const second = rows.nth(1);
    await clickCell(second, 'date_text');
    await page.keyboard.press('Enter');
    await page.locator('.rg-editor textarea').fill('с 10.03.2021 по 02.04.2021');
    await expect(page.locator('.rg-ok-pop', { hasText: '10.03.2021 — 02.04.2021' })).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(second.locator('.rg-cell.rg-date_text')).toHaveText('с 10.03.2021 по 02.04.2021');
    await expect(second.locator('.rg-cell.rg-date_text')).not.toContainClass('rg-lint');

    // Typing on a selected cell starts editing it with what was typed.
    const third = rows.nth(2);
    await clickCell(third, 'date_text');
    await page.keyboard.type('12.05.2022');
    await expect(page.locator('.rg-ok-pop', { hasText: '12.05.2022' })).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(third.locator('.rg-cell.rg-date_text')).toHaveText('12.05.2022');

    // Esc cancels an edit: nothing is written.
    await clickCell(second, 'responsible');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Кто-то');
    await page.keyboard.press('Escape');
    await page.reload();
    await expect(rows).toHaveCount(8);
    await expect(rows.nth(1).locator('.rg-cell.rg-responsible')).toHaveText('');
    await expect(rows.nth(0).locator('.rg-cell.rg-date_text')).toContainText('в течение года');
  });

  await test.step('attaches a file and a link; the signed-in coordinator confirms one and returns the other with a comment', async () => {
    await clickCell(rows.nth(0), 'evidence');
    const panel = page.locator('.measure-panel');
    await expect(panel).toBeVisible();

    // Too large: a clear message before anything is sent, nothing added.
    await panel.locator('input[type=file]').setInputFiles({ name: 'скан.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(21 * 1024 * 1024) });
    await expect(panel.getByText('«скан.pdf» слишком большой')).toBeVisible();

    await panel.locator('input[type=file]').setInputFiles({ name: 'Протокол_педсовета.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 протокол педсовета') });
    await expect(panel.getByLabel('Название документа')).toHaveValue('Протокол педсовета');
    await panel.getByRole('button', { name: 'Прикрепить' }).click();
    await expect(panel.locator('.evidence', { hasText: 'Протокол педсовета' })).toBeVisible();

    await panel.getByLabel('Название документа').fill('Приказ о проведении анкетирования');
    // Esc with a document half described asks before closing the panel; «Вернуться к форме» keeps it.
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Закрыть без сохранения?' }).getByRole('button', { name: 'Вернуться к форме' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(panel.getByLabel('Название документа')).toHaveValue('Приказ о проведении анкетирования');
    await panel.getByLabel('Вид').fill('Приказ');
    await panel.getByLabel('Ссылка').fill('https://disk.yandex.ru/i/prikaz');
    await panel.getByRole('button', { name: 'Прикрепить' }).click();
    const order = panel.locator('.evidence', { hasText: 'Приказ о проведении анкетирования' });
    await expect(order).toBeVisible();

    // The stored file is in <dataDir>/blobs under its SHA-256.
    const blobs = fs.readdirSync(path.join(host.dataDir, 'blobs'));
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatch(/^[0-9a-f]{64}$/);

    const protocol = panel.locator('.evidence', { hasText: 'Протокол педсовета' });
    await protocol.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(protocol.locator('.badge', { hasText: 'Подтверждено' })).toBeVisible();
    // Signed by whoever is signed in, with the time.
    await expect(protocol.locator('.verdict-by')).toContainText(/^Подтверждено: .+, Соколова А\.П\.$/);
    // Confirmed while the measure is still planned: the panel says the expertise will not count it yet.
    await expect(panel.getByRole('status').filter({ hasText: 'Документ подтверждён, а мероприятие всё ещё «Запланировано»' })).toBeVisible();

    await order.getByRole('button', { name: 'На доработку' }).click();
    const dialog = page.getByRole('dialog', { name: 'Вернуть документ на доработку' });
    await dialog.getByRole('button', { name: 'На доработку' }).click();
    await expect(dialog.getByText('Напишите, что нужно доработать')).toBeVisible();
    await dialog.getByLabel('Что нужно доработать').fill('Приказ говорит о намерении: приложите протокол анкетирования');
    await dialog.getByRole('button', { name: 'На доработку' }).click();
    await expect(order.locator('.badge', { hasText: 'На доработке' })).toBeVisible();
    await expect(order.getByText('приложите протокол анкетирования')).toBeVisible();

    await order.getByRole('button', { name: /История проверки/ }).click();
    await expect(order.locator('.verdict-history li', { hasText: 'На доработке, Соколова А.П.' })).toBeVisible();

    // The grid cell counts what the panel shows.
    const cell = rows.nth(0).locator('.rg-cell.rg-evidence');
    await expect(cell.locator('.badge.ok')).toBeVisible();
    await expect(cell).toContainText('2 док.');
  });

  await test.step('discusses a document in its own thread, signed by the signed-in coordinator, and the thread survives a reload', async () => {
    const panel = page.locator('.measure-panel');
    const protocol = panel.locator('.evidence', { hasText: 'Протокол педсовета' });
    const toggle = protocol.getByRole('button', { name: /^Обсуждение/ });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    const box = protocol.getByLabel('Комментарий к документу «Протокол педсовета»');
    await expect(protocol.getByText('Подпись: Соколова А.П.')).toBeVisible();

    // An empty comment is refused next to the box, in Russian.
    await box.press('Control+Enter');
    await expect(protocol.locator('.field-error', { hasText: 'Заполните поле' })).toBeVisible();

    await box.fill('Протокол подписан, но нет листа регистрации участников');
    await box.press('Control+Enter');
    const comment = protocol.locator('.comment-list li', { hasText: 'нет листа регистрации' });
    await expect(comment.locator('.comment-head')).toContainText('Соколова А.П.');
    await expect(box).toHaveValue('');
    await expect(toggle).toHaveText('Обсуждение1');
    // The other document's thread is its own: nothing there.
    await expect(panel.locator('.evidence', { hasText: 'Приказ о проведении анкетирования' }).getByRole('button', { name: /^Обсуждение/ })).toHaveText('Обсуждение');

    await page.reload();
    await clickCell(rows.nth(0), 'evidence');
    await expect(toggle).toHaveText('Обсуждение1');
    await toggle.click();
    await expect(protocol.locator('.comment-list li', { hasText: 'Протокол подписан, но нет листа регистрации участников' }).locator('.comment-head', { hasText: 'Соколова А.П.' })).toBeVisible();
  });

  await test.step('deleting a measure asks first, goes to the trash and can be undone', async () => {
    await page.locator('.measure-panel').getByRole('button', { name: 'Закрыть' }).click();
    await clickCell(rows.nth(7), 'title');
    await page.keyboard.press('Control+Delete');
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить' }).click();
    await expect(rows).toHaveCount(7);
    await page.locator('.toast').getByRole('button', { name: 'Отменить' }).click();
    await expect(rows).toHaveCount(8);
  });
});

test('municipal roadmap: an item gets its stage report with links', async ({ host, openApp }) => {
  const page = await openApp(host, '#/muni');
  const cell = page.locator('tr[data-item-id]', { hasText: 'Подготовка отчетов кураторов' }).locator('td[data-stage-code="M2"]');
  await cell.getByRole('button', { name: 'Добавить' }).click();
  const dialog = page.getByRole('dialog', { name: 'Отчётная информация' });
  await dialog.getByLabel('Что сделано').fill('Отчёт куратора МБОУ СОШ №8 г.Шахты Поповой Н.А.');
  await dialog.getByLabel('Ссылки (каждая с новой строки)').fill('disk.yandex.ru/i/ICY6Z8YXcPbt-g');
  await dialog.getByRole('button', { name: 'Сохранить' }).click();
  await expect(dialog.getByText('начинается с http://')).toBeVisible();
  await dialog.getByLabel('Ссылки (каждая с новой строки)').fill('https://disk.yandex.ru/i/ICY6Z8YXcPbt-g');
  await dialog.getByRole('button', { name: 'Сохранить' }).click();
  await expect(cell.getByText('Отчёт куратора МБОУ СОШ №8')).toBeVisible();
  await expect(cell.getByRole('link', { name: 'https://disk.yandex.ru/i/ICY6Z8YXcPbt-g' })).toBeVisible();
  await page.reload();
  await expect(cell.getByText('Отчёт куратора МБОУ СОШ №8')).toBeVisible();
});
