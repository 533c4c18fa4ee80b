/**
 * Issue 2 figures on a generated region-scale database (5,000 schools, 15,000 people):
 * - open the file and answer the first schools page (beside raw better-sqlite3 doing the same);
 * - the filtered schools query through the whole dispatch path beside the very same SQL
 *   replayed in raw better-sqlite3 (goal: within 2×);
 * - browser mode: navigation to the first rows on screen (goal: under 1.5 s), beside the
 *   11-school demo district;
 * - peak memory (VmHWM) of the host process, beside the demo host.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Compilable } from 'kysely';
import type { Browser } from '@playwright/test';
import type { Result } from '../../core/contract';
import type { SchoolList } from '../../core/contract/schools';
import { startCore } from '../../main/app';
import { DB_FILE } from '../../main/paths';
import { openStore, registerFunctions } from '../../db/open';
import type { Store } from '../../db/store';
import { launchBrowser, startHostProcess, unlockHost, type RunningHost } from '../e2e/harness';
import { generateRegion } from '../fixtures/generate';
import { timeMedian, type Reporter } from './report';

const FILTER = { search: 'сош', participant: 'participant', cohort_year: 2023, sort: 'short_name', dir: 'asc', limit: 100 } as const;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-'));
}

/** Peak resident memory of a process, in MiB (Linux: VmHWM). */
function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The SQL statements (with parameters) a call runs, captured from the store it runs on. */
async function captureSql(store: Store, run: () => Promise<unknown>): Promise<{ sql: string; params: unknown[]; all: boolean }[]> {
  const seen: { sql: string; params: unknown[]; all: boolean }[] = [];
  const { all, first } = store;
  const origAll = all.bind(store);
  const origFirst = first.bind(store);
  store.all = <R>(q: Compilable<R>): R[] => {
    const c = q.compile();
    seen.push({ sql: c.sql, params: [...c.parameters], all: true });
    return origAll(q);
  };
  store.first = <R>(q: Compilable<R>): R | undefined => {
    const c = q.compile();
    seen.push({ sql: c.sql, params: [...c.parameters], all: false });
    return origFirst(q);
  };
  try {
    await run();
  } finally {
    store.all = all;
    store.first = first;
  }
  return seen;
}

/** A raw connection with the SQL functions the app's queries use (fold, natkey). */
function rawDb(file: string): Database.Database {
  const db = new Database(file);
  registerFunctions(db);
  return db;
}

/** The name the schools list shows first (default sort), asked from the host like the page does. */
async function firstListedSchool(host: RunningHost): Promise<string> {
  const url = new URL(host.url);
  const res = await fetch(new URL('/api/call/schools.list', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ limit: 1 }),
  });
  const body = (await res.json()) as Result<SchoolList>;
  if (!body.ok || !body.value.rows[0]) throw new Error('Список школ пуст');
  return body.value.rows[0].short_name;
}

/** Median time from navigation to the first real school row on screen (not a skeleton row). */
async function firstRowsMs(browser: Browser, host: RunningHost, runs: number): Promise<number> {
  const name = await firstListedSchool(host);
  return timeMedian(runs, async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${host.url}#/schools`);
    await page.locator('[role=grid] [role=row] [role=gridcell]', { hasText: name }).first().waitFor({ timeout: 30_000 });
    await context.close();
  });
}

/** Works the host the way a user would: scrolls the whole list (every page fetched) and searches. */
async function exerciseList(browser: Browser, host: RunningHost): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(`${host.url}#/schools`);
  const grid = page.locator('[role=grid]');
  await grid.locator('[role=row]').first().waitFor();
  for (let i = 0; i < 60; i++) {
    const atEnd = await grid.evaluate((el) => {
      el.scrollTop += el.clientHeight * 3;
      return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
    });
    await page.waitForTimeout(30);
    if (atEnd) break;
  }
  await page.getByRole('searchbox').or(page.locator('input.search')).first().fill('школа');
  await page.waitForTimeout(300);
  await context.close();
}

export default async function core(r: Reporter): Promise<void> {
  r.section('Ядро: район масштаба области (5 000 школ, 15 000 человек)');
  const dir = tempDir();
  const file = path.join(dir, DB_FILE);
  const t0 = performance.now();
  const store = openStore(file);
  const g = generateRegion(store, { schools: 5000, people: 15000, seed: 500 });
  store.close();
  const genMs = performance.now() - t0;
  console.log(`  генерация: ${JSON.stringify(g.counts)}, ${(genMs / 1000).toFixed(1)} с, файл ${(fs.statSync(file).size / 1048576).toFixed(1)} МБ`);

  // 1. Open the file and answer the first page (the app's start), beside raw better-sqlite3.
  const firstPage = { limit: 100 } as const;
  const openApp = await timeMedian(5, async () => {
    const app = startCore(dir);
    const res = await app.call('schools.list', firstPage);
    if (!res.ok) throw new Error(res.error.message);
    app.close();
  });
  const probe = startCore(dir);
  const firstSql = await captureSql(probe.ctx.store, () => probe.call('schools.list', firstPage));
  probe.close();
  const openRaw = await timeMedian(5, () => {
    const db = rawDb(file);
    db.pragma('journal_mode = WAL');
    for (const s of firstSql) (s.all ? db.prepare(s.sql).all(...s.params) : db.prepare(s.sql).get(...s.params));
    db.close();
  });
  r.add({ name: 'открыть файл и получить первую страницу школ (startCore + schools.list)', value: openApp, unit: 'мс', baseline: { name: 'raw better-sqlite3: открыть + тот же SQL', value: openRaw } });

  // 2. The filtered query: whole dispatch path (validation, handler, mapping) vs the same SQL raw.
  const app = startCore(dir);
  const statements = await captureSql(app.ctx.store, () => app.call('schools.list', FILTER));
  const check = (await app.call('schools.list', FILTER)) as Result<SchoolList>;
  if (!check.ok) throw new Error(check.error.message);
  console.log(`  фильтр ${JSON.stringify(FILTER)}: найдено ${check.value.total}, на странице ${check.value.rows.length}`);
  const db = rawDb(file);
  const prepared = statements.map((s) => ({ ...s, stmt: db.prepare(s.sql) }));
  const runRaw = () => {
    for (const s of prepared) (s.all ? s.stmt.all(...s.params) : s.stmt.get(...s.params));
  };
  for (let i = 0; i < 5; i++) {
    await app.call('schools.list', FILTER);
    runRaw();
  }
  const viaDispatch = await timeMedian(30, () => app.call('schools.list', FILTER));
  const viaRaw = await timeMedian(30, runRaw);
  r.add({ name: 'фильтр школ через dispatch (поиск «сош», участники, 2023, сортировка)', value: viaDispatch, unit: 'мс', baseline: { name: 'тот же SQL в raw better-sqlite3', value: viaRaw }, goal: '≤ 2× raw' });
  const sortedDesc = { ...FILTER, search: '', cohort_year: undefined, sort: 'risk_group', dir: 'desc', offset: 2400 } as const;
  const deepSql = await captureSql(app.ctx.store, () => app.call('schools.list', sortedDesc));
  const deepPrepared = deepSql.map((s) => ({ ...s, stmt: db.prepare(s.sql) }));
  const deepDispatch = await timeMedian(20, () => app.call('schools.list', sortedDesc));
  const deepRaw = await timeMedian(20, () => {
    for (const s of deepPrepared) (s.all ? s.stmt.all(...s.params) : s.stmt.get(...s.params));
  });
  r.add({ name: 'страница 25 при сортировке по группе риска через dispatch', value: deepDispatch, unit: 'мс', baseline: { name: 'тот же SQL в raw better-sqlite3', value: deepRaw }, goal: '≤ 2× raw' });
  db.close();
  app.close();

  // 3 and 4. Browser mode: the built host as a child process, Debian's Chromium.
  const browser = await launchBrowser();
  const big = await startHostProcess(dir);
  const demo = await startHostProcess(tempDir(), ['--demo']);
  try {
    // Signed in once (the demo's coordinator; the big district's first account, which encrypts it as a real laptop's is).
    for (const host of [big, demo]) await unlockHost(browser, host);
    await firstRowsMs(browser, demo, 1); // warm the OS caches for both (same built files)
    const bigMs = await firstRowsMs(browser, big, 5);
    const demoMs = await firstRowsMs(browser, demo, 5);
    r.add({ name: 'браузерный режим: от перехода до первых строк списка школ (5 000 школ)', value: bigMs, unit: 'мс', baseline: { name: 'демо-район, 11 школ', value: demoMs }, goal: '< 1500 мс' });
    await exerciseList(browser, big);
    await exerciseList(browser, demo);
    r.add({ name: 'пиковая память процесса хоста (VmHWM) после прокрутки всего списка и поиска, 5 000 школ', value: peakRssMiB(big.process.pid!), unit: 'МиБ', baseline: { name: 'хост демо-района', value: peakRssMiB(demo.process.pid!) } });
  } finally {
    await browser.close();
    await big.stop();
    await demo.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
