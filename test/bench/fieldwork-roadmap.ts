/**
 * Issue 3 (programmes) figures:
 * - on generated data (1,000 schools, 2,500 АРП, 50,000 measures, 100,000 evidence rows,
 *   all through the write layer): the measures-by-status-and-due-date query through the
 *   whole dispatch path beside the very same SQL in raw better-sqlite3 (goal: within 2×);
 * - in Chromium against browser mode: opening a 300-measure roadmap (goal < 300 ms) beside
 *   the bare `programmes.get` round trip, and committing one cell edit (goal < 50 ms)
 *   beside a bare `measures.update` round trip.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { openStore } from '../../db/open';
import { qb } from '../../db/store';
import { insertRow } from '../../db/write';
import { launchBrowser, openApp, startHostProcess, tempDataDir } from '../e2e/harness';
import { generateRegion, seededRandom } from '../fixtures/generate';
import { timeMedian, type Reporter } from './report';

const MEASURES = 50_000;
const EVIDENCE = 100_000;
const RUNS = 15;
const STATUSES = ['planned', 'done', 'not_done', 'postponed', 'cancelled'] as const;
const VAGUE = ['в течение года', 'Март-декабрь 2022', 'постоянно', 'первое полугодие'];

const iso = (day: number) => new Date(Date.UTC(2022, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
const ru = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

export default async function (r: Reporter): Promise<void> {
  r.section('Дорожные карты: мероприятия по статусу и сроку (50 000 мероприятий, 100 000 документов)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-roadmap-'));
  const file = path.join(dir, 'district.sqlite');
  const store = openStore(file);
  try {
    const t0 = performance.now();
    generateRegion(store, { schools: 1000 });
    const schools = store.all(qb.selectFrom('schools').select('id').where('is_participant', '=', 1)).map((s) => s.id);
    const rnd = seededRandom(2022);
    store.tx(() => {
      const perProgramme = 20;
      const programmes: string[] = [];
      for (let i = 0; i < MEASURES / perProgramme; i++) {
        programmes.push(insertRow(store, 'programmes', { school_id: schools[i % schools.length]!, kind: 'arp', risk_factor_id: null, title: `АРП № ${i + 1}` }).id);
      }
      const measures: string[] = [];
      for (let i = 0; i < MEASURES; i++) {
        const vague = rnd() < 0.2;
        const from = Math.floor(rnd() * 330);
        const to = from + Math.floor(rnd() * 30);
        measures.push(
          insertRow(store, 'measures', {
            programme_id: programmes[Math.floor(i / perProgramme)]!,
            task_id: null,
            position: i % perProgramme,
            title: `Мероприятие ${i + 1}`,
            date_text: vague ? VAGUE[i % VAGUE.length]! : `с ${ru(iso(from))} по ${ru(iso(to))}`,
            date_from: vague ? null : iso(from),
            date_to: vague ? null : iso(to),
            unplanned: rnd() < 0.05,
            status: STATUSES[Math.floor(rnd() * STATUSES.length)]!,
          }).id,
        );
      }
      for (let i = 0; i < EVIDENCE; i++) {
        insertRow(store, 'evidence', {
          measure_id: measures[Math.floor(rnd() * measures.length)]!,
          title: `Протокол ${i + 1}`,
          kind: 'Протокол',
          url: 'https://disk.yandex.ru/i/x',
          uploaded_at: '2022-05-20T10:00:00.000Z',
          verdict: rnd() < 0.5 ? 'confirmed' : 'pending',
        });
      }
    });
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    store.sqlite.exec('ANALYZE');
    console.log(`  данные: ${schools.length} школ-участниц, ${MEASURES / 20} АРП, ${MEASURES} мероприятий, ${EVIDENCE} документов за ${((performance.now() - t0) / 1000).toFixed(1)} с`);

    const ctx: Ctx = { store, dataDir: dir, emit: () => {} };
    const input = { status: 'planned', due_from: '2022-03-01', due_to: '2022-05-25', limit: 200 } as const;
    const viaDispatch = async () => {
      const res = await dispatch(ctx, 'measures.byStatusDue', input);
      if (!res.ok) throw new Error(res.error.message);
      return res.value as unknown[];
    };
    const raw = new Database(file, { readonly: true });
    const stmt = raw.prepare(`SELECT m.id, m.title, m.date_text, m.date_to, m.status, m.programme_id, p.title AS programme_title, s.id AS school_id, s.short_name AS school_name
      FROM measures m JOIN programmes p ON p.id = m.programme_id JOIN schools s ON s.id = p.school_id
      WHERE m.deleted_at IS NULL AND p.deleted_at IS NULL AND s.deleted_at IS NULL AND m.status = ? AND m.date_to >= ? AND m.date_to <= ?
      ORDER BY m.date_to, m.id LIMIT ?`);
    const rawRun = () => stmt.all(input.status, input.due_from, input.due_to, input.limit);
    const n = (await viaDispatch()).length;
    if (n !== rawRun().length) throw new Error('dispatch и SQL вернули разное число строк');
    const rawMs = await timeMedian(RUNS, rawRun);
    const dispatchMs = await timeMedian(RUNS, viaDispatch);
    r.add({ name: `measures.byStatusDue через dispatch (${n} строк)`, value: dispatchMs, unit: 'ms', baseline: { name: 'тот же SQL в better-sqlite3', value: rawMs }, goal: '≤ 2× baseline' });
    raw.close();
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  r.section('Дорожная карта в браузере (300 мероприятий)');
  await browserFigures(r);
}

/** Median of the durations fn reports itself (timed inside the page, not around the CDP calls). */
async function medianOf(runs: number, fn: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await fn());
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

async function browserFigures(r: Reporter): Promise<void> {
  const host = await startHostProcess(tempDataDir('shnor-bench-roadmap-ui-'), ['--demo']);
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, host, '#/programmes');
    await page.getByRole('link', { name: 'Средняя школа № 32' }).waitFor();
    const api = async <T>(name: string, body: unknown): Promise<T> =>
      page.evaluate(
        async ([n, b]) => {
          const token = sessionStorage.getItem('shnor.token');
          const res = await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(b) });
          const json = (await res.json()) as { ok: boolean; value: unknown; error?: { message: string } };
          if (!json.ok) throw new Error(json.error?.message);
          return json.value;
        },
        [name, body] as const,
      ) as Promise<T>;

    /** The bare call's round trip, timed inside the page like the figures it is the baseline of. */
    const apiMs = (name: string, body: unknown): Promise<number> =>
      page.evaluate(
        async ([n, b]) => {
          const token = sessionStorage.getItem('shnor.token');
          const t0 = performance.now();
          const res = await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(b) });
          await res.json();
          return performance.now() - t0;
        },
        [name, body] as const,
      );

    const schools = await api<{ id: string; short_name: string }[]>('programmes.schools', {});
    const school = schools.find((s) => s.short_name === 'Средняя школа № 32')!;
    const programme = await api<{ id: string }>('programmes.create', { school_id: school.id, kind: 'midterm', title: 'Среднесрочная программа развития (300 мероприятий)' });
    const tasks: string[] = [];
    for (let i = 0; i < 10; i++) tasks.push((await api<{ id: string }>('programmeTasks.create', { programme_id: programme.id, title: `${i + 1}. Задача программы` })).id);
    for (let i = 0; i < 300; i++) {
      await api('measures.create', {
        programme_id: programme.id,
        task_id: tasks[i % 10],
        title: `Мероприятие ${i + 1}: заседание методического объединения по итогам диагностики`,
        date_text: i % 5 === 0 ? 'в течение года' : `${String((i % 28) + 1).padStart(2, '0')}.05.2022`,
        responsible: 'Заместитель директора по УВР',
        participants: 'Педагоги',
        indicator: 'Протокол заседания',
      });
    }

    // Opening: from the school's page to the roadmap's rows on screen, timed in the page.
    const open = async () => {
      await page.evaluate(() => (location.hash = '#/programmes'));
      await page.locator('table.grid').waitFor();
      return page.evaluate(
        (id) =>
          new Promise<number>((resolve) => {
            const t0 = performance.now();
            location.hash = `#/programmes/${id}`;
            const tick = () => (document.querySelector('.rg-row[data-measure-id]') ? resolve(performance.now() - t0) : requestAnimationFrame(tick));
            requestAnimationFrame(tick);
          }),
        programme.id,
      );
    };
    const getRoundTrip = () => apiMs('programmes.get', { id: programme.id });
    const openMs = await medianOf(7, open);
    const getMs = await medianOf(7, getRoundTrip);
    r.add({ name: 'открыть дорожную карту из 300 мероприятий (до строк на экране)', value: openMs, unit: 'ms', baseline: { name: 'голый вызов programmes.get', value: getMs }, goal: '< 300 ms' });

    // One cell edit: from Enter in the editor to the committed value shown, timed in the page.
    await page.locator('.rg-row[data-measure-id]').first().waitFor();
    let k = 0;
    // A user does not edit the next cell within milliseconds: let the previous edit's reload settle.
    const settle = () => page.waitForLoadState('networkidle').then(() => page.waitForTimeout(150));
    const edit = async () => {
      await settle();
      const cell = page.locator('.rg-row[data-measure-id]').nth(1).locator('.rg-cell.rg-responsible');
      await cell.dblclick();
      const editor = page.locator('.rg-editor textarea');
      await editor.fill(`Ответственный ${++k}`);
      const value = `Ответственный ${k}`;
      return page.evaluate(
        (v) =>
          new Promise<number>((resolve) => {
            const ta = document.querySelector<HTMLTextAreaElement>('.rg-editor textarea')!;
            const origFetch = window.fetch;
            const t0 = performance.now();
            window.fetch = async (...args) => {
              const res = await origFetch(...args);
              if (String(args[0]).includes('measures.update')) {
                await res.clone().json();
                window.fetch = origFetch;
                const check = () => {
                  const c = document.querySelectorAll('.rg-row[data-measure-id]')[1]?.querySelector('.rg-responsible');
                  if (c?.textContent === v) resolve(performance.now() - t0);
                  else requestAnimationFrame(check);
                };
                check();
              }
              return res;
            };
            ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          }),
        value,
      );
    };
    const measureId = await page.locator('.rg-row[data-measure-id]').nth(1).getAttribute('data-measure-id');
    const updateRoundTrip = async () => {
      await settle();
      return apiMs('measures.update', { id: measureId, patch: { participants: `Педагоги ${Math.random()}` } });
    };
    const editMs = await medianOf(9, edit);
    const updMs = await medianOf(9, updateRoundTrip);
    r.add({ name: 'сохранить правку одной ячейки (Enter → значение на экране)', value: editMs, unit: 'ms', baseline: { name: 'голый вызов measures.update', value: updMs }, goal: '< 50 ms' });
  } finally {
    await browser.close();
    await host.stop();
  }
}
