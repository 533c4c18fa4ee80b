/**
 * The coordinator produces the municipal report from the demo district in browser mode:
 * fills the narrative, exports, gets a download, and the DOCX says what the district holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, startHostProcess, tempDataDir, type RunningHost } from './harness';

let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  host = await startHostProcess(tempDataDir(), ['--demo']);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('reports in browser mode', () => {
  it('produces the municipal coordinator report from the demo district', async () => {
    const page = await openApp(browser, host, '#/reports/documents');
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
    await page.getByText(`Файл сохранён: ${name}`).waitFor();

    // The print view of the same report.
    await card.getByRole('link', { name: 'Печать / PDF' }).click();
    await page.locator('.print-doc h1').waitFor();
    expect(await page.locator('.print-doc h1').innerText()).toContain('Отчет муниципального координатора');
    await page.close();
  });

  it('the expertise tab says plainly when there is nothing to assess, and the dashboard loads', async () => {
    const page = await openApp(browser, host, '#/reports');
    await page.getByRole('heading', { name: 'Отчёты' }).waitFor();
    await page.getByRole('link', { name: 'Мониторинг' }).click();
    await page.getByRole('heading', { name: 'Вовлечённость кураторов' }).waitFor();
    expect(await page.getByText(/Активны \d+ из \d+ кураторов/).count()).toBe(1);
    await page.close();
  });
});
