/**
 * Issue 14, point 3 end to end: an АРП roadmap typed in Word (test/fixtures/import/roadmaps.ts)
 * imported through #/import on the demo district — a file of the wrong kind refused, the
 * preview is the roadmap grid with the vague dates marked, a school and a new АРП chosen,
 * one «Загрузить», and the programme's own roadmap grid shows the measures with the marks;
 * then seed 004's municipal roadmap, its report column on the stage its header names.
 */
import { expect, test } from './fixtures';
import { muniDocx, roadmapDocx } from '../fixtures/import/roadmaps';

test.use({ demo: true });

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

test('an АРП roadmap from Word: the preview grid marks vague dates, committed into a new АРП of a school; the municipal roadmap matched against the demo\'s', async ({ host, openApp }) => {
  const page = await openApp(host, '#/import');
  await page.getByRole('main').getByRole('link', { name: 'Дорожная карта АРП' }).click();
  const input = page.getByTestId('import-file');

  await input.setInputFiles({ name: 'скан.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n\u0000') });
  await expect(page.getByTestId('import-error')).toContainText('Файл «скан.pdf» — не документ Word');

  await input.setInputFiles({ name: 'АРП.docx', mimeType: DOCX, buffer: await roadmapDocx() });
  await expect(page.getByTestId('roadmap-import-summary')).toContainText('5 мероприятий в 2 задачах; без точной даты — 3; ссылок на документы — 3.');
  const preview = page.getByTestId('roadmap-import-grid');
  await expect(preview.getByRole('row').filter({ hasText: 'Индивидуальное консультирование родителей' })).toBeVisible();
  await expect(preview.locator('.rg-lint')).toHaveText([/в течение года/, /Март-декабрь 2022/, /первое полугодие/]);

  const school = page.getByRole('combobox', { name: 'Школа' });
  await school.selectOption({ index: 1 });
  const target = page.getByRole('combobox', { name: 'Куда загрузить' });
  await expect(target).toBeEnabled();
  const newArp = await target.locator('optgroup[label="Новая АРП по фактору риска"] option').first().getAttribute('value');
  await target.selectOption(newArp!);
  await page.getByRole('button', { name: 'Загрузить 5 мероприятий' }).click();
  await expect(page.getByTestId('import-done')).toContainText('новых мероприятий — 5');

  await page.getByRole('link', { name: 'Открыть программу' }).click();
  const grid = page.locator('.roadmap-grid');
  await expect(grid.getByRole('row').filter({ hasText: 'Курсы повышения квалификации' })).toBeVisible();
  await expect(grid.locator('.rg-lint')).toHaveText([/в течение года/, /Март-декабрь 2022/, /первое полугодие/]);

  // The municipal roadmap (seed 004's table, one table per page) on the same screen family.
  await page.goto(page.url().replace(/#.*$/, '#/import/muni'));
  await page.getByTestId('import-file').setInputFiles({ name: 'МДК.docx', mimeType: DOCX, buffer: await muniDocx() });
  const muni = page.getByRole('table');
  await expect(muni).toContainText('Организационное сопровождение Проекта 500+');
  await expect(muni.getByRole('row').filter({ hasText: 'Подготовка отчета' })).toContainText('размещен на странице Проекта 500+');
  await expect(page.getByRole('spinbutton', { name: 'Год дорожной карты' })).toHaveValue('2022');
  await page.getByRole('spinbutton', { name: 'Год дорожной карты' }).fill('2026');
  await expect(page.getByRole('combobox', { name: 'Отчётная информация — этап' })).toHaveValue(/.+/);
  await expect(page.getByRole('combobox', { name: 'Отчётная информация — этап' }).locator('option:checked')).toHaveText('Мониторинг 2 этап: загрузка документов');
  await page.getByRole('button', { name: 'Загрузить', exact: true }).click();
  // The demo's 2026 roadmap has these sections and one of the items already: they are matched, not doubled.
  await expect(page.getByTestId('import-done')).toContainText('новых разделов — 0; пунктов новых — 2, обновлено — 1, без изменений — 0; отчётов — 3.');
});
