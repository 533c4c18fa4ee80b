/**
 * Issue 3, programmes half, in browser mode against a real SQLite file: a coordinator
 * builds an АРП with three tasks and eight measures from the keyboard, types a vague
 * date and sees the lint, attaches a file; the curator confirms it and returns another
 * document with a comment; a municipal roadmap item gets its stage report.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, startHostProcess, tempDataDir, type RunningHost } from './harness';

let host: RunningHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  host = await startHostProcess(tempDataDir(), ['--demo']);
  browser = await launchBrowser();
  page = await openApp(browser, host, '#/programmes');
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** Polls with room for a loaded machine (two cores shared by several test runs). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });

const measureRows = () => page.locator('.rg-row[data-measure-id]');

/** Clicks a cell of the roadmap grid (the grid takes focus; keys then act on that cell). */
async function clickCell(row: ReturnType<Page['locator']>, col: string) {
  await row.locator(`.rg-cell.rg-${col}`).click();
}

describe('programmes: АРП roadmap, date lint, evidence and verdicts', () => {
  it('creates the missing АРП for an activated risk factor', async () => {
    await page.getByRole('link', { name: 'Средняя школа № 32' }).click();
    await page.getByText('Нет АРП по активированным факторам риска').waitFor();
    await page.getByRole('button', { name: 'Создать недостающие АРП' }).click();
    await page.locator('.programme-card').first().click();
    await page.getByRole('heading', { name: /Антирисковая программа «Высокая доля/ }).waitFor();
    await page.getByText('В дорожной карте пока нет задач').waitFor();
  });

  it('builds three tasks and eight measures from the keyboard', async () => {
    const taskInput = page.getByLabel('Добавить задачу');
    for (const title of ['1. Выявить дефициты педагогов', '2. Повысить учебную мотивацию', '3. Вовлечь родителей']) {
      await taskInput.fill(title);
      await taskInput.press('Enter');
      await page.locator('.rg-task-title', { hasText: title }).waitFor();
    }
    const plan: [task: string, measures: string[]][] = [
      ['1. Выявить дефициты педагогов', ['Анкетирование педагогов', 'Посещение уроков', 'Аналитическая справка по дефицитам']],
      ['2. Повысить учебную мотивацию', ['Формирующее оценивание на уроках', 'Диагностика обучающихся', 'Олимпиада для 5–6 классов']],
      ['3. Вовлечь родителей', ['Родительское собрание', 'Консультации психолога']],
    ];
    for (const [task, titles] of plan) {
      // The task's empty row: Enter adds its first measure and opens the title for typing.
      const row = page.locator('.rg-row:not([data-measure-id])', { hasText: task });
      await clickCell(row, 'title');
      await page.keyboard.press('Enter');
      for (let i = 0; i < titles.length; i++) {
        const editor = page.locator('.rg-editor textarea');
        await editor.waitFor();
        await editor.fill(titles[i]!);
        // Ctrl+Enter commits and adds the next measure under this one; Enter commits the last.
        await editor.press(i < titles.length - 1 ? 'Control+Enter' : 'Enter');
        await page.locator('.rg-cell.rg-title', { hasText: titles[i]! }).waitFor();
      }
    }
    await poll(() => measureRows().count()).toBe(8);
    const order = await measureRows().locator('.rg-cell.rg-title').allTextContents();
    expect(order).toEqual(plan.flatMap(([, t]) => t));

    // The roadmap survives a reload: every cell was committed to the core.
    await page.reload();
    await poll(() => measureRows().count()).toBe(8);
  });

  it('flags a vague date as the user types, with the reason and a fix, and accepts a concrete one', async () => {
    const first = measureRows().nth(0);
    await clickCell(first, 'date_text');
    await page.keyboard.press('Enter');
    await page.keyboard.type('в течение года');
    const pop = page.locator('.rg-lint-pop');
    await poll(() => pop.getAttribute('data-lint-code')).toBe('during_year');
    expect(await pop.textContent()).toContain('эксперты ФИОКО');
    await page.keyboard.press('Enter');
    await poll(() => first.locator('.rg-cell.rg-date_text').getAttribute('class')).toContain('rg-lint');
    await page.locator('.roadmap-lint-summary', { hasText: 'Неконкретные сроки' }).waitFor();

    const second = measureRows().nth(1);
    await clickCell(second, 'date_text');
    await page.keyboard.press('Enter');
    await page.locator('.rg-editor textarea').fill('с 10.03.2021 по 02.04.2021');
    await page.locator('.rg-ok-pop', { hasText: '10.03.2021 — 02.04.2021' }).waitFor();
    await page.keyboard.press('Enter');
    await poll(() => second.locator('.rg-cell.rg-date_text').textContent()).toBe('с 10.03.2021 по 02.04.2021');
    expect(await second.locator('.rg-cell.rg-date_text').getAttribute('class')).not.toContain('rg-lint');

    // Typing on a selected cell starts editing it with what was typed.
    const third = measureRows().nth(2);
    await clickCell(third, 'date_text');
    await page.keyboard.type('12.05.2022');
    await page.locator('.rg-ok-pop', { hasText: '12.05.2022' }).waitFor();
    await page.keyboard.press('Enter');
    await poll(() => third.locator('.rg-cell.rg-date_text').textContent()).toBe('12.05.2022');

    // Esc cancels an edit: nothing is written.
    await clickCell(second, 'responsible');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Кто-то');
    await page.keyboard.press('Escape');
    await page.reload();
    await measureRows().first().waitFor();
    expect(await measureRows().nth(1).locator('.rg-cell.rg-responsible').textContent()).toBe('');
    expect(await measureRows().nth(0).locator('.rg-cell.rg-date_text').textContent()).toContain('в течение года');
  });

  it('attaches a file and a link; the curator confirms one and returns the other with a comment', async () => {
    await page.getByLabel('От чьего имени комментарии и решения по документам').selectOption({ label: 'Осипова Л.А. (куратор)' });
    await clickCell(measureRows().nth(0), 'evidence');
    const panel = page.locator('.measure-panel');
    await panel.waitFor();

    // Too large: a clear message before anything is sent, nothing added.
    await panel.locator('input[type=file]').setInputFiles({ name: 'скан.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(21 * 1024 * 1024) });
    await panel.getByText('«скан.pdf» слишком большой').waitFor();

    await panel.locator('input[type=file]').setInputFiles({ name: 'Протокол_педсовета.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 протокол педсовета') });
    await poll(() => panel.getByLabel('Название документа').inputValue()).toBe('Протокол педсовета');
    await panel.getByRole('button', { name: 'Прикрепить' }).click();
    await panel.locator('.evidence', { hasText: 'Протокол педсовета' }).waitFor();

    await panel.getByLabel('Название документа').fill('Приказ о проведении анкетирования');
    await panel.getByLabel('Вид').fill('Приказ');
    await panel.getByLabel('Ссылка').fill('https://disk.yandex.ru/i/prikaz');
    await panel.getByRole('button', { name: 'Прикрепить' }).click();
    const order = panel.locator('.evidence', { hasText: 'Приказ о проведении анкетирования' });
    await order.waitFor();

    // The stored file is in <dataDir>/blobs under its SHA-256.
    const blobs = fs.readdirSync(path.join(host.dataDir, 'blobs'));
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatch(/^[0-9a-f]{64}$/);

    const protocol = panel.locator('.evidence', { hasText: 'Протокол педсовета' });
    await protocol.getByRole('button', { name: 'Подтвердить' }).click();
    await protocol.locator('.badge', { hasText: 'Подтверждено' }).waitFor();

    await order.getByRole('button', { name: 'На доработку' }).click();
    const dialog = page.getByRole('dialog', { name: 'Вернуть документ на доработку' });
    await dialog.getByRole('button', { name: 'На доработку' }).click();
    await dialog.getByText('Напишите, что нужно доработать').waitFor();
    await dialog.getByLabel('Что нужно доработать').fill('Приказ говорит о намерении: приложите протокол анкетирования');
    await dialog.getByRole('button', { name: 'На доработку' }).click();
    await order.locator('.badge', { hasText: 'На доработке' }).waitFor();
    await order.getByText('приложите протокол анкетирования').waitFor();

    await order.getByRole('button', { name: /История проверки/ }).click();
    await order.locator('.verdict-history li', { hasText: 'На доработке, Осипова Л.А.' }).waitFor();

    // The grid cell counts what the panel shows.
    const cell = measureRows().nth(0).locator('.rg-cell.rg-evidence');
    await cell.locator('.badge.ok').waitFor();
    expect(await cell.textContent()).toContain('2 док.');
  });

  it('discusses a document in its own thread, signed by «Вы», and the thread survives a reload', async () => {
    const panel = page.locator('.measure-panel');
    const protocol = () => panel.locator('.evidence', { hasText: 'Протокол педсовета' });
    const toggle = () => protocol().getByRole('button', { name: /^Обсуждение/ });
    expect(await toggle().getAttribute('aria-expanded')).toBe('false');
    await toggle().click();
    const box = protocol().getByLabel('Комментарий к документу «Протокол педсовета»');
    await protocol().getByText('Подпись: Осипова Л.А.').waitFor();

    // An empty comment is refused next to the box, in Russian.
    await box.press('Control+Enter');
    await protocol().locator('.field-error', { hasText: 'Заполните поле' }).waitFor();

    await box.fill('Протокол подписан, но нет листа регистрации участников');
    await box.press('Control+Enter');
    const comment = protocol().locator('.comment-list li', { hasText: 'нет листа регистрации' });
    await comment.waitFor();
    expect(await comment.locator('.comment-head').textContent()).toContain('Осипова Л.А.');
    await poll(() => box.inputValue()).toBe('');
    await poll(() => toggle().textContent()).toBe('Обсуждение1');
    // The other document's thread is its own: nothing there.
    expect(await panel.locator('.evidence', { hasText: 'Приказ о проведении анкетирования' }).getByRole('button', { name: /^Обсуждение/ }).textContent()).toBe('Обсуждение');

    await page.reload();
    await clickCell(measureRows().nth(0), 'evidence');
    await poll(() => toggle().textContent()).toBe('Обсуждение1');
    await toggle().click();
    await protocol().locator('.comment-list li', { hasText: 'Протокол подписан, но нет листа регистрации участников' }).locator('.comment-head', { hasText: 'Осипова Л.А.' }).waitFor();
  });

  it('deleting a measure asks first, goes to the trash and can be undone', async () => {
    await page.locator('.measure-panel').getByRole('button', { name: 'Закрыть' }).click();
    await clickCell(measureRows().nth(7), 'title');
    await page.keyboard.press('Control+Delete');
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить' }).click();
    await poll(() => measureRows().count()).toBe(7);
    await page.locator('.toast').getByRole('button', { name: 'Отменить' }).click();
    await poll(() => measureRows().count()).toBe(8);
  });
});

describe('municipal roadmap: an item gets its stage report', () => {
  it('adds report information with links for a monitoring stage', async () => {
    await page.goto(`${host.url.split('#')[0]}#/muni`);
    const item = page.locator('tr[data-item-id]', { hasText: 'Подготовка отчетов кураторов' });
    const cell = item.locator('td[data-stage-code="M2"]');
    await cell.getByRole('button', { name: 'Добавить' }).click();
    const dialog = page.getByRole('dialog', { name: 'Отчётная информация' });
    await dialog.getByLabel('Что сделано').fill('Отчёт куратора МБОУ СОШ №8 г.Шахты Поповой Н.А.');
    await dialog.getByLabel('Ссылки (каждая с новой строки)').fill('disk.yandex.ru/i/ICY6Z8YXcPbt-g');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.getByText('начинается с http://').waitFor();
    await dialog.getByLabel('Ссылки (каждая с новой строки)').fill('https://disk.yandex.ru/i/ICY6Z8YXcPbt-g');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await cell.getByText('Отчёт куратора МБОУ СОШ №8').waitFor();
    await cell.getByRole('link', { name: 'https://disk.yandex.ru/i/ICY6Z8YXcPbt-g' }).waitFor();
    await page.reload();
    await page.locator('tr[data-item-id]', { hasText: 'Подготовка отчетов кураторов' }).locator('td[data-stage-code="M2"]').getByText('Отчёт куратора МБОУ СОШ №8').waitFor();
  });
});
