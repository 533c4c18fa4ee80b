/**
 * Printing: each printable view of the demo (signed in as the coordinator) is printed to PDF
 * by Chromium with print media, as «Печать» does, and read back with poppler: every page is
 * A4 (portrait or landscape, pdfinfo), every row of the view's tables is on the pages
 * (pdftotext), and none of the app's chrome (sidebar, buttons) is printed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ demo: true });

const A4 = { portrait: '595x842', landscape: '842x595' } as const;
/** Words only the app's chrome shows: the sidebar's sections, the print and back buttons. */
const CHROME = ['Синхронизация', 'Корзина', 'Настройки', 'Печать', 'Назад'];

/** Text compared without whitespace and hyphens: pdftotext breaks lines where a cell wraps and joins a word broken at its hyphen. */
const squeeze = (s: string) => s.replace(/[\s\u00ad-]+/g, '');

interface Printed {
  text: string;
  /** Page sizes in whole points, «595x842» each. */
  pages: string[];
}

async function printToPdf(page: Page, testInfo: TestInfo, name: string): Promise<Printed> {
  await page.emulateMedia({ media: 'print' });
  const file = testInfo.outputPath(`${name}.pdf`);
  // preferCSSPageSize: the view's own @page (landscape for wide reports) decides, as in the print dialog.
  fs.writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
  await page.emulateMedia({ media: 'screen' });
  // -raw: the text in the order Chromium drew it, cell by cell, so a wrapped cell's lines stay together.
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '9999', file], { encoding: 'utf8' });
  const pages = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`);
  return { text, pages };
}

/** The text of every body cell of the view's tables, row by row. */
const tableRows = (page: Page, scope: string) =>
  page.locator(`${scope} table tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td, th')].map((c) => (c as HTMLElement).innerText.trim()).filter(Boolean)));

function expectPrinted(printed: Printed, rows: string[][], orientation: keyof typeof A4, what: string) {
  expect(printed.pages.length, what).toBeGreaterThan(0);
  for (const size of printed.pages) expect(size, what).toBe(A4[orientation]);
  const text = squeeze(printed.text);
  expect(rows.length, what).toBeGreaterThan(0);
  for (const row of rows) for (const cell of row) expect.soft(text, `${what}: «${cell}»`).toContain(squeeze(cell));
  for (const word of CHROME) expect.soft(printed.text, `${what}: ${word}`).not.toContain(word);
}

test('an approved visit schedule prints on A4 with every planned date', async ({ host, openApp }, testInfo) => {
  const page = await openApp(host, '#/visits/schedules');
  await page.getByRole('row').filter({ hasText: 'Утверждён' }).first().click();
  await page.getByRole('link', { name: 'Печать' }).click();
  await expect(page.locator('.print-sheet table tbody tr').first()).toBeVisible();
  const rows = await tableRows(page, '.print-sheet');
  // Each row: №, the planned date (ДД.ММ.ГГГГ), the note, the mark of the visit.
  for (const r of rows) expect(r[1]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
  expectPrinted(await printToPdf(page, testInfo, 'schedule'), rows, 'portrait', 'график');
});

test('the visit journal prints on A4 as the screen lists it, topics unclipped', async ({ host, openApp }, testInfo) => {
  const page = await openApp(host, '#/visits');
  await expect(page.getByRole('button', { name: 'Печать', exact: true })).toBeEnabled();
  const rows = await tableRows(page, 'main');
  expectPrinted(await printToPdf(page, testInfo, 'journal'), rows, 'portrait', 'журнал');
});

test('an expertise sheet prints on A4 without its marking forms', async ({ host, openApp }, testInfo) => {
  const page = await openApp(host, '#/reports');
  await page.locator('table a[href*="/sheet/"]').first().click();
  await expect(page.locator('.rp-points').first()).toBeVisible();
  const criteria = await page.locator('.rp-crit strong').allInnerTexts();
  expect(criteria.length).toBeGreaterThan(0);
  const printed = await printToPdf(page, testInfo, 'sheet');
  expectPrinted(printed, [criteria], 'portrait', 'экспертный лист');
  expect(printed.text).not.toContain('Сохранить');
});

test('the print view of every report prints every row on A4', async ({ host, openApp }, testInfo) => {
  const page = await openApp(host, '#/reports/documents');
  // The activities report is a narrow table; the others are wide and print in landscape.
  const orientation = { muni: 'landscape', activities: 'portrait', curator: 'landscape', programme: 'landscape', expertise: 'landscape', visitJournal: 'landscape', visitSchedule: 'landscape' } as const;
  for (const kind of Object.keys(orientation) as (keyof typeof orientation)[]) {
    await page.goto(`${host.url}#/reports/documents`);
    const card = page.locator(`[data-report="${kind}"]`);
    if (kind === 'curator' || kind === 'visitJournal' || kind === 'visitSchedule') {
      // A period holding all the demo's field work, planned visits included.
      await card.locator('input').nth(0).fill('01.01.2020');
      await card.locator('input').nth(1).fill('31.12.2030');
    }
    await card.getByRole('link', { name: 'Печать / PDF' }).click();
    await expect(page.locator('.print-doc h1')).toBeVisible();
    const rows = await tableRows(page, '.print-doc');
    expectPrinted(await printToPdf(page, testInfo, kind), rows, orientation[kind], kind);
  }
});
