/**
 * Issue 14 end to end: a school list made the way the region sends it (merged title rows, an
 * empty column, other quotes, «ё») imported through #/import on the demo district: a refused
 * file first, then the preview with the guessed columns, one column unmapped by hand, the
 * outcome per row, the commit, and the new school in the list.
 */
import { expect, test } from './fixtures';
import { SCHOOL_ROWS, schoolListXlsx } from '../fixtures/import/lists';

test.use({ demo: true });

/** The region's list with one of the demo's own schools written its way: «№14» and trailing spaces, an address the demo lacks. */
const ROWS = [['1', 'Каменск-Уральский городской округ', 'Основная школа №14  ', '', 'ООШ', '2021', '', 'ул. Ленина, 1'], ...SCHOOL_ROWS.slice(1)];

test('a school list imported through the UI: preview per row, a column unmapped, confirm, the school in the list', async ({ host, openApp }) => {
  const page = await openApp(host, '#/import');
  await page.getByRole('main').getByRole('link', { name: 'Школы' }).click();
  const input = page.getByTestId('import-file');

  await input.setInputFiles({ name: 'отчёт.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n\u0000') });
  await expect(page.getByTestId('import-error')).toHaveText('Файл «отчёт.pdf» — не таблица Excel (.xlsx) и не CSV. Выберите другой файл.');

  await input.setInputFiles({ name: 'ШНОР.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await schoolListXlsx(ROWS) });
  const counts = page.getByTestId('import-counts');
  // «Основная школа №14  » is the demo's «Основная школа № 14»: only its address is new.
  await expect(counts).toContainText('2 новых');
  await expect(counts).toContainText('1 изменится');
  await expect(counts).toContainText('2 отклонено');
  const grid = page.getByRole('grid', { name: 'Строки файла' });
  await expect(grid.getByRole('row').filter({ hasText: 'Основная школа №14' })).toContainText('изменится: Адрес');
  await expect(grid.getByRole('row').filter({ hasText: 'Лицей № 10' })).toContainText('«двадцать первый» — не год');

  await page.getByRole('combobox', { name: 'Адрес' }).selectOption({ label: '— не загружать —' });
  await expect(counts).toContainText('1 без изменений');
  await expect(grid.getByRole('row').filter({ hasText: 'Основная школа №14' })).toContainText('Без изменений');

  await page.getByRole('button', { name: 'Загрузить (2)' }).click();
  await expect(page.getByTestId('import-done')).toContainText('записано изменений — 2');

  await page.getByRole('link', { name: 'Открыть список школ' }).click();
  await page.getByRole('searchbox').fill('алешинская');
  await expect(page.getByRole('grid', { name: 'Школы' }).getByRole('row')).toHaveCount(1);
  await expect(page.getByRole('grid', { name: 'Школы' }).getByRole('row').first()).toContainText('Алёшинская ООШ');
});
