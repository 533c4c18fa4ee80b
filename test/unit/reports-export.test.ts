/**
 * Every export is written, opened and read back (DOCX: word/document.xml text and tables
 * via fflate; XLSX: cells via exceljs) and converted to PDF by LibreOffice headless, which
 * proves a real viewer opens it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../core/contract';
import type { ReportRequest } from '../../core/contract/reports';
import { DISTRICTS, REPORTING_DATE, seedExpertise, seedFieldWork, type SeededExpertise } from '../fixtures/expertise';
import { openTestCore, tempDir, type TestCore } from '../integration/coreFixture';
import { naturalCompare } from '../../core/rules/naturalOrder';

let t: TestCore;
let seeded: SeededExpertise;
let stageId: string;
const progress: AppEvent[] = [];
const exported: string[] = [];

beforeAll(() => {
  t = openTestCore();
  seeded = seedExpertise(t.core.ctx.store);
  stageId = seedFieldWork(t.core.ctx.store, seeded).stageId;
  t.core.on((e) => {
    if (e.type === 'progress') progress.push(e);
  });
});
afterAll(() => t.close());

const xmlText = (xml: string) =>
  xml
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The tables of a DOCX: rows of cell texts. */
function docxRead(file: string): { text: string; tables: string[][][] } {
  const xml = strFromU8(unzipSync(fs.readFileSync(file))['word/document.xml']!);
  const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((tm) =>
    [...tm[1]!.matchAll(/<w:tr[ >]([\s\S]*?)<\/w:tr>/g)].map((rm) => [...rm[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((cm) => xmlText(cm[1]!).trim())),
  );
  return { text: xmlText(xml), tables };
}

async function exportOk(request: ReportRequest) {
  const r = await t.ok('reports.export', { request });
  expect(fs.existsSync(r.path)).toBe(true);
  expect(path.dirname(r.path)).toBe(path.join(t.dir, 'exports'));
  exported.push(r.path);
  return r;
}

describe('DOCX reports', () => {
  it('the municipal coordinator report (seed 004): narrative, facts and the roadmap with the stage report', async () => {
    const r = await exportOk({ kind: 'muni', year: 2022, stageId, narrative: 'Приоритетом этапа стал контроль проведения мероприятий.\n\nКураторы проверили документы.', date: '2022-07-01' });
    expect(r.fileName).toBe('Отчёт муниципального координатора — г.о. Переславль-Залесский — 01.07.2022.docx');
    const { text, tables } = docxRead(r.path);
    expect(text).toContain('Отчет муниципального координатора о реализации Муниципальной дорожной карты');
    expect(text).toContain('Приоритетом этапа стал контроль');
    expect(text).toContain('в проекте участвуют 3 школы');
    expect(text).toContain('Данные на конец дня 01.07.2022');
    // The expertise per school (school, points, % of plan, comment) and the distribution, whose rows add up.
    const perSchool = tables.find((tb) => tb[0]![0] === 'Школа')!;
    expect(perSchool[0]).toEqual(['Школа', 'АРП', 'Балл', '% выполнения плана', 'Комментарий']);
    const district = DISTRICTS[0]!.programmes;
    expect(perSchool.slice(1).map((r) => r[0])).toEqual(district.map((x) => x.school).sort(naturalCompare));
    const spread = tables.find((tb) => tb[0]![0] === 'Балл за соотношение плана и выполнения')!;
    const total = spread.at(-1)!;
    expect(total[0]).toBe('Всего');
    expect(spread.slice(1, -1).reduce((n, r) => n + Number(r[1]), 0)).toBe(Number(total[1]));
    expect(Number(total[1])).toBe(district.length);
    const roadmap = tables.find((tb) => tb[0]![0] === '№ п/п')!;
    expect(roadmap[0]).toEqual(['№ п/п', 'Описание действий', 'Дата реализации', 'Муниципальный показатель реализации', 'Отчетная информация: Мониторинг 1 этап']);
    expect(roadmap[1]).toEqual(['1. Организационное сопровождение Проекта 500+']);
    expect(roadmap[2]![0]).toBe('1.1.');
    expect(roadmap[2]![4]).toContain('Графики посещения школ кураторами утверждены');
    expect(roadmap[2]![4]).toContain('https://disk.yandex.ru/i/Blmt1s8clBuahg');
    expect(roadmap[4]![4]).toBe('—');
    // Each table's header row repeats on every page it runs onto, and no row is split between two.
    const xml = strFromU8(unzipSync(fs.readFileSync(r.path))['word/document.xml']!);
    const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
    expect(rows.filter((tr) => tr.includes('<w:tblHeader/>'))).toHaveLength(tables.length);
    expect(rows.every((tr) => tr.includes('<w:cantSplit/>'))).toBe(true);
    const mine = progress.filter((e) => e.type === 'progress' && e.task === 'export:muni');
    expect(mine.at(-1)).toMatchObject({ done: 3, total: 3 });
  });

  it('the municipal report on any date, with no stage: every stage report up to that date', async () => {
    const r = await exportOk({ kind: 'muni', year: 2022, stageId: null, narrative: null, date: '2022-05-15' });
    const { text, tables } = docxRead(r.path);
    expect(text).toContain('в 2022 году (на 15.05.2022)');
    expect(text).toContain('По состоянию на 15.05.2022');
    expect(tables.find((tb) => tb[0]![0] === '№ п/п')![0]![4]).toBe('Отчетная информация на 15.05.2022');
  });

  it('a second export of the same day never overwrites the first', async () => {
    const r = await exportOk({ kind: 'muni', year: 2022, stageId, narrative: null, date: '2022-07-01' });
    expect(r.fileName).toBe('Отчёт муниципального координатора — г.о. Переславль-Залесский — 01.07.2022 (2).docx');
  });

  it('the activities report (seed 000): № · Описание действий · Сроки · Отметка о выполнении', async () => {
    const r = await exportOk({ kind: 'activities', year: 2022 });
    const { tables } = docxRead(r.path);
    const tb = tables[0]!;
    expect(tb[0]).toEqual(['№ п.п', 'Описание действий', 'Сроки', 'Отметка о выполнении']);
    expect(tb[1]![1]).toContain('Посещение школ-участниц');
    expect(tb[2]![3]).toBe('Не отмечено');
    const seminar = tb.find((row) => row[1]!.includes('Семинар-совещание'))!;
    expect(seminar[2]).toBe('22.03.2022');
    expect(seminar[3]).toBe('Проведено; участников: 1');
  });

  it("a curator's report over a period: visits, verdicts, engagement", async () => {
    const r = await exportOk({ kind: 'curator', curatorId: seeded.curatorId, from: '2022-04-01', to: '2022-06-30' });
    expect(r.fileName).toBe('Отчёт куратора — Никитина Ю.С. — 01.04.2022–30.06.2022.docx');
    const { text, tables } = docxRead(r.path);
    expect(text).toContain('Никитина Юлия Сергеевна');
    const visits = tables[0]!;
    expect(visits).toHaveLength(1 + 6);
    expect(visits[1]!.slice(1, 4)).toEqual(['05.04.2022', 'МОУ Глебовская ООШ', 'в школе']);
    expect(text).toContain('Вовлечённость куратора');
  });

  it("a school's АРП with its roadmap, evidence list and expertise sheet", async () => {
    const r = await exportOk({ kind: 'programme', programmeId: seeded.programmeIds.get('МБОУ СШ № 12 г. Данилова')!, reportingDate: REPORTING_DATE });
    const { tables } = docxRead(r.path);
    const [roadmap, docs, sheet] = tables;
    expect(roadmap![0]).toEqual(['Задача', 'Мероприятие', 'Сроки', 'Ответственные', 'Участники', 'Показатели реализации', 'Статус', 'Подтверждающие документы']);
    expect(roadmap).toHaveLength(1 + 9);
    expect(docs).toHaveLength(1 + 3);
    expect(docs![1]![5]).toBe('подтверждено');
    expect(sheet!.at(-1)!.slice(0, 2)).toEqual(['ИТОГ', '4 из 8']);
    expect(sheet![1]![2]).toContain('Выполнено и подтверждено 2 из 9');
  });
});

describe('XLSX reports', () => {
  it('expertise summaries and sheets across all districts, with real percents', async () => {
    const r = await exportOk({ kind: 'expertise', reportingDate: REPORTING_DATE, scope: 'region' });
    expect(r.fileName).toBe('Экспертиза АРП — все районы — 30.06.2022.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(r.path);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Критерии', 'Распределение баллов', 'По районам', 'Экспертные листы']);
    const crit = book.getWorksheet('Критерии')!;
    expect(crit.getCell('A3').value).toBe('В АРП поставлены задачи');
    expect(crit.getCell('B3').value).toBe(5);
    expect(crit.getCell('C3').value).toBeCloseTo(0.83);
    expect(crit.getCell('C3').numFmt).toBe('0%');
    // Data cells wrap and align to the top (one shared style per kind of cell keeps the region export fast).
    for (const ref of ['A3', 'B3', 'C3']) expect(crit.getCell(ref).alignment, ref).toMatchObject({ wrapText: true, vertical: 'top' });
    const dist = book.getWorksheet('Распределение баллов')!;
    const counts = [3, 4, 5, 6, 7, 8].map((r) => dist.getCell(`B${r}`).value as number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(dist.getCell('B9').value);
    expect(dist.getCell('A9').value).toBe('Всего');
    const sheets = book.getWorksheet('Экспертные листы')!;
    expect(sheets.rowCount).toBe(2 + 7);
    // Printed: the table alone, its header row on every page, fit to the width; landscape when wide.
    expect(crit.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printArea: 'A1:C7', printTitlesRow: '2:2' });
    expect(dist.pageSetup).toMatchObject({ orientation: 'portrait', printArea: 'A1:C9', printTitlesRow: '2:2' });
    // A row as tall as its wrapped reasoning (the last column), the title across the table.
    expect(sheets.getRow(3).height).toBeGreaterThan(3 * 15);
    expect(sheets.getCell('A1').isMerged).toBe(true);
  });

  it('the visit journal with real dates', async () => {
    const r = await exportOk({ kind: 'visitJournal', from: '2022-04-01', to: '2022-06-30' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(r.path);
    const ws = book.worksheets[0]!;
    expect(ws.getCell('A2').value).toBe('Дата');
    expect(ws.rowCount).toBe(2 + 6);
    expect((ws.getCell('A3').value as Date).toISOString().slice(0, 10)).toBe('2022-04-05');
    expect(ws.getCell('A3').numFmt).toBe('dd.mm.yyyy');
    expect(ws.getCell('A3').alignment).toMatchObject({ wrapText: true });
    expect(ws.getCell('B3').numFmt).toBeUndefined();
    expect(ws.getCell('B3').value).toBe('Никитина Ю.С.');
  });

  it('the visit schedule marks which planned visits took place', async () => {
    const r = await exportOk({ kind: 'visitSchedule', from: '2022-04-01', to: '2022-06-30' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(r.path);
    const ws = book.worksheets[0]!;
    expect(ws.rowCount).toBe(2 + 5);
    expect((ws.getCell('F3').value as Date).toISOString().slice(0, 10)).toBe('2022-04-05');
  });
});

describe('print view and download', () => {
  it('the print preview is the same report as HTML with escaped text', async () => {
    const v = await t.ok('reports.preview', { request: { kind: 'activities', year: 2022 } });
    expect(v.body).toContain('<table>');
    expect(v.body).toContain('Семинар-совещание «Региональный проект адресной методической помощи» (ИРО)');
    expect(v.body).not.toContain('<script');
  });

  it('download returns the bytes; names outside the exports folder are refused', async () => {
    const name = path.basename(exported[0]!);
    const d = await t.ok('reports.download', { fileName: name });
    expect(Buffer.from(d.base64, 'base64').equals(fs.readFileSync(exported[0]!))).toBe(true);
    const bad = await t.call('reports.download', { fileName: '../bt.sqlite' });
    expect(bad.ok).toBe(false);
  });

  it('a period that ends before it starts is refused next to the field', async () => {
    const r = await t.call('reports.export', { request: { kind: 'visitJournal', from: '2022-06-30', to: '2022-04-01' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fields?.['request.to']).toBe('Дата окончания раньше даты начала');
  });
});

describe('LibreOffice opens every export', () => {
  it('converts each DOCX and each XLSX to a PDF (A4 pages, every table cell on them), and the print view of each XLSX report too', async () => {
    const docx = exported.filter((f) => f.endsWith('.docx'));
    const xlsx = exported.filter((f) => f.endsWith('.xlsx'));
    expect(docx.length).toBeGreaterThanOrEqual(5);
    expect(xlsx.length).toBe(3);
    const out = tempDir('shnor-pdf-');
    const profile = tempDir('shnor-lo-');
    // The XLSX files are opened by a second reader besides exceljs: their zip parts parse and name the sheets.
    for (const f of xlsx) {
      const parts = unzipSync(fs.readFileSync(f));
      expect(strFromU8(parts['xl/workbook.xml']!)).toMatch(/<sheet [^>]*name="/);
    }
    // Calc converts the XLSX files themselves; the print view the app offers for them goes through Writer.
    const html: string[] = [];
    for (const request of [
      { kind: 'expertise', reportingDate: REPORTING_DATE, scope: 'region' },
      { kind: 'visitJournal', from: '2022-04-01', to: '2022-06-30' },
      { kind: 'visitSchedule', from: '2022-04-01', to: '2022-06-30' },
    ] as const) {
      const v = await t.ok('reports.preview', { request });
      const file = path.join(out, `${request.kind}-print.html`);
      fs.writeFileSync(file, `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${v.title}</title><style>${v.css}</style></head><body>${v.body}</body></html>`);
      html.push(file);
    }
    const run = (args: string[]) => execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', ...args], { timeout: 110_000, stdio: 'pipe' });
    run(['--convert-to', 'pdf', '--outdir', out, ...docx, ...xlsx]);
    run(['--convert-to', 'pdf:writer_web_pdf_Export', '--outdir', out, ...html]);
    for (const f of [...docx, ...xlsx, ...html]) {
      const pdf = path.join(out, `${path.basename(f, path.extname(f))}.pdf`);
      expect(fs.existsSync(pdf), pdf).toBe(true);
      expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
    }
    // What people print: every page at most A4 landscape, and every cell of every table on the pages, whole.
    for (const f of [...docx, ...xlsx]) {
      const pdf = path.join(out, `${path.basename(f, path.extname(f))}.pdf`);
      for (const [w, h] of pageSizes(pdf)) {
        expect(Math.max(w, h), `${f}: ${w}×${h}`).toBeLessThanOrEqual(A4_LONG);
        expect(Math.min(w, h), `${f}: ${w}×${h}`).toBeLessThanOrEqual(A4_SHORT);
      }
      const text = squeeze(execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));
      const cells = f.endsWith('.docx') ? docxRead(f).tables.flat(2) : await xlsxCells(f);
      expect(cells.length, f).toBeGreaterThan(10);
      for (const cell of cells) expect.soft(text, `${path.basename(f)}: «${cell}»`).toContain(squeeze(cell));
    }
  }, 120_000);
});

/** A4's sides in points (pdfinfo rounds to hundredths). */
const A4_LONG = 842;
const A4_SHORT = 596;

/** Every page's width and height in points. */
function pageSizes(pdf: string): [number, number][] {
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '9999', pdf], { encoding: 'utf8' });
  const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m): [number, number] => [Number(m[1]), Number(m[2])]);
  expect(sizes.length, pdf).toBeGreaterThan(0);
  return sizes;
}

/** Text compared without whitespace and hyphens: the PDF breaks lines where a cell wraps. */
const squeeze = (s: string) => s.replace(/[\s\u00ad-]+/g, '');

/** Each XLSX cell as Calc shows it: text, whole numbers, percents (0%), dates (ДД.ММ.ГГГГ). */
async function xlsxCells(file: string): Promise<string[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const shown: string[] = [];
  for (const ws of book.worksheets)
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value;
        if (typeof v === 'string' && v.trim()) shown.push(v);
        else if (typeof v === 'number' && cell.numFmt === '0%') shown.push(`${Math.round(v * 100)}%`);
        else if (typeof v === 'number' && Number.isInteger(v)) shown.push(String(v));
        else if (v instanceof Date) shown.push(`${String(v.getUTCDate()).padStart(2, '0')}.${String(v.getUTCMonth() + 1).padStart(2, '0')}.${v.getUTCFullYear()}`);
      }),
    );
  return shown;
}
