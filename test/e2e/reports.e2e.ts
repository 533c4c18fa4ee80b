/**
 * The coordinator produces the municipal report from the demo district in browser mode:
 * fills the narrative, exports, gets a download, and the DOCX says what the district holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from './fixtures';

test.use({ demo: true });

test('produces the municipal coordinator report from the demo district', async ({ host, openApp }) => {
  const page = await openApp(host, '#/reports/documents');
  const card = page.locator('[data-report="muni"]');
  await card.getByLabel('Текст отчёта (абзацы через пустую строку)').fill('Приоритетом этапа стал контроль проведения мероприятий школами.');
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Сформировать файл' }).click()]);
  const name = download.suggestedFilename();
  expect(name).toMatch(/^Отчёт муниципального координатора — Каменск-Уральский городской округ — \d{2}\.\d{2}\.\d{4}\.docx$/);
  const file = path.join(host.dataDir, 'downloaded.docx');
  await download.saveAs(file);
  const xml = strFromU8(unzipSync(fs.readFileSync(file))['word/document.xml']!);
  const text = xml.replace(/<[^>]+>/g, '');
  expect(text).toContain('Приоритетом этапа стал контроль проведения мероприятий школами.');
  expect(text).toContain('в проекте участвуют 7 школ');
  // The same file stays in the data folder's exports.
  expect(fs.existsSync(path.join(host.dataDir, 'exports', name))).toBe(true);
  await expect(page.getByText(`Файл сохранён: ${name}`)).toBeVisible();

  // The print view of the same report.
  await card.getByRole('link', { name: 'Печать / PDF' }).click();
  await expect(page.locator('.print-doc h1')).toContainText('Отчет муниципального координатора', { useInnerText: true });
});

test('the expertise tab says plainly when there is nothing to assess, and the dashboard loads', async ({ host, openApp }) => {
  const page = await openApp(host, '#/reports');
  await expect(page.getByRole('heading', { name: 'Отчёты' })).toBeVisible();
  await page.getByRole('link', { name: 'Мониторинг' }).click();
  await expect(page.getByRole('heading', { name: 'Вовлечённость кураторов' })).toBeVisible();
  await expect(page.getByText(/Активны \d+ из \d+ кураторов/)).toHaveCount(1);
});
