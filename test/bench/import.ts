/**
 * Issue 14 figures: a 5,000-row school list (XLSX, title rows above the header).
 * - core: read + preview through dispatch, and the commit through dispatch (one transaction,
 *   every row through db/write.ts with its clocks and change-log entry) beside a raw batched
 *   insert of the same rows into `schools` (goal: commit ≤ 3× raw);
 * - in Chromium against browser mode: file chosen → the preview's first rows on screen (goal < 1 s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { CallName } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { openStore } from '../../db/open';
import { launchBrowser, openApp, startHostProcess, tempDataDir } from '../e2e/harness';
import { schoolListXlsx } from '../fixtures/import/lists';
import { timeMedian, type Reporter } from './report';

const ROWS = 5000;
const RUNS = 5;

/** A district's list as big as a whole region's: every row a new school. */
const bigList = (): string[][] =>
  Array.from({ length: ROWS }, (_, i) => [String(i + 1), 'Каменск-Уральский городской округ', `МАОУ «Средняя общеобразовательная школа № ${i + 1}»`, '', 'СОШ', String(2021 + (i % 3)), i % 2 ? 'Базово неуспевающие' : '', `ул. Школьная, ${i + 1}`]);

async function freshDistrict(): Promise<{ ctx: Ctx; close: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-import-'));
  const ctx: Ctx = { store: openStore(path.join(dir, 'district.sqlite')), dataDir: dir, emit: () => {} };
  await call(ctx, 'app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
  return { ctx, close: () => (ctx.store.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

async function call(ctx: Ctx, name: CallName, input: unknown): Promise<unknown> {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
}

async function coreFigures(r: Reporter, file: Buffer): Promise<void> {
  const base64 = file.toString('base64');
  const { ctx, close } = await freshDistrict();
  let rows: string[][] = [];
  try {
    const preview = await timeMedian(RUNS, async () => {
      rows = ((await call(ctx, 'imports.read', { fileName: 'list.xlsx', base64 })) as { rows: string[][] }).rows;
      await call(ctx, 'imports.preview', { kind: 'schools', rows });
    });
    const previewOnly = await timeMedian(RUNS, () => call(ctx, 'imports.preview', { kind: 'schools', rows }));
    r.add({ name: `импорт списка школ (${ROWS} строк): чтение XLSX + предпросмотр через dispatch`, value: preview, unit: 'мс', baseline: { name: 'только предпросмотр (imports.preview)', value: previewOnly } });
  } finally {
    close();
  }

  const commits: number[] = [];
  const raws: number[] = [];
  const rawLogged: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = await freshDistrict();
    try {
      const t0 = performance.now();
      await call(a.ctx, 'imports.commitSchools', { kind: 'schools', rows });
      commits.push(performance.now() - t0);
    } finally {
      a.close();
    }
    const b = await freshDistrict();
    try {
      const districtId = (b.ctx.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'district_id'").get() as { value: string }).value;
      const now = new Date().toISOString();
      const t0 = performance.now();
      const insert = b.ctx.store.sqlite.prepare(
        'INSERT INTO schools (id, district_id, full_name, short_name, kind, is_participant, cohort_year, risk_group, stage, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)',
      );
      b.ctx.store.sqlite.transaction(() => {
        for (const row of rows.slice(4)) insert.run(uuidv7(), districtId, row[2], row[2]!.slice(5, -1), row[4], Number(row[5]), row[6] || null, 'forming', row[7], now, now);
      })();
      raws.push(performance.now() - t0);
    } finally {
      b.close();
    }
    rawLogged.push(await rawWithLog(rows.slice(4)));
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  r.add({ name: `импорт списка школ (${ROWS} строк): запись одним вызовом (imports.commitSchools)`, value: median(commits), unit: 'мс', baseline: { name: 'raw batched INSERT тех же строк', value: median(raws) }, goal: '≤ 3× raw' });
  r.add({ name: `импорт списка школ (${ROWS} строк): запись одним вызовом`, value: median(commits), unit: 'мс', baseline: { name: 'raw batched INSERT тех же строк с часами их полей и записями журнала изменений', value: median(rawLogged) } });
}

/** What the write layer stores for each new row, as plain batched SQL: the row, a clock per written field, one change-log entry. */
async function rawWithLog(rows: string[][]): Promise<number> {
  const { ctx, close } = await freshDistrict();
  try {
    const db = ctx.store.sqlite;
    const districtId = (db.prepare("SELECT value FROM meta WHERE key = 'district_id'").get() as { value: string }).value;
    const now = new Date().toISOString();
    const cols = ['district_id', 'full_name', 'short_name', 'kind', 'is_participant', 'cohort_year', 'risk_group', 'stage', 'address', 'created_at', 'updated_at', 'deleted_at'];
    const t0 = performance.now();
    const insert = db.prepare(`INSERT INTO schools (id, ${cols.join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`);
    const clock = db.prepare('INSERT INTO field_clocks (tbl, row_id, col, hlc) VALUES (?, ?, ?, ?)');
    const change = db.prepare('INSERT INTO changes (device_id, device_seq, hlc, tbl, row_id, data, server_seq, meta, author) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)');
    db.transaction(() => {
      rows.forEach((row, i) => {
        const id = uuidv7();
        const values = [districtId, row[2]!, row[2]!.slice(5, -1), row[4]!, 1, Number(row[5]), row[6] || null, 'forming', row[7]!, now, now, null];
        insert.run(id, ...values);
        const hlc = `${String(Date.now()).padStart(15, '0')}:${String(i).padStart(5, '0')}:bench`;
        for (const c of cols) clock.run('schools', id, c, hlc);
        change.run('bench', i + 1, hlc, 'schools', id, JSON.stringify(Object.fromEntries(cols.map((c, k) => [c, values[k]]))));
      });
    })();
    return performance.now() - t0;
  } finally {
    close();
  }
}

async function browserFigure(r: Reporter, file: Buffer): Promise<void> {
  const host = await startHostProcess(tempDataDir('shnor-bench-import-ui-'), ['--demo']);
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, host, '#/import/schools');
    const times: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${host.url}#/import`);
      await page.goto(`${host.url}#/import/schools`);
      const input = page.getByTestId('import-file');
      await input.waitFor({ state: 'attached' });
      const t0 = performance.now();
      await input.setInputFiles({ name: 'list.xlsx', mimeType: 'application/octet-stream', buffer: file });
      await page.getByRole('grid', { name: 'Строки файла' }).getByRole('row').first().waitFor();
      times.push(performance.now() - t0);
      // The same two calls without the screen: what the page adds is the difference.
      bare.push(
        await page.evaluate(async (b64) => {
          const token = sessionStorage.getItem('shnor.token');
          const post = async (n: string, body: unknown) =>
            (await (await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).json()) as { value: { rows: string[][] } };
          const t = performance.now();
          const table = await post('imports.read', { fileName: 'list.xlsx', base64: b64 });
          await post('imports.preview', { kind: 'schools', rows: table.value.rows });
          return performance.now() - t;
        }, file.toString('base64')),
      );
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    r.add({ name: `браузер: файл выбран → первые строки предпросмотра на экране (${ROWS} строк)`, value: median(times), unit: 'мс', baseline: { name: 'те же imports.read + imports.preview из страницы', value: median(bare) }, goal: '< 1 с' });
  } finally {
    await browser.close();
    await host.stop();
  }
}

export default async function (r: Reporter): Promise<void> {
  r.section('Импорт списков (школы, 5 000 строк)');
  const file = await schoolListXlsx(bigList());
  await coreFigures(r, file);
  await browserFigure(r, file);
}
