/**
 * Issue 5 figures on region-scale data (5,000 schools, 15,000 АРП with measures and evidence):
 * - all expertise sheets and summaries, beside one SQL aggregate over the same rows;
 * - the municipal coordinator report DOCX of the largest district, and the region XLSX (goal < 2 s each).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeSheets } from '../../core/monitoring/expertiseData';
import { summarise } from '../../core/monitoring/summary';
import { buildReport, renderBuilt } from '../../core/reports/exports.node';
import { readAsOfDay } from '../../core/asOfDay';
import { restampUnsentAt } from '../../core/sync/restamp';
import { openStore } from '../../db/open';
import { updateRow } from '../../db/write';
import { generateRegion } from '../fixtures/generate';
import { generateProgrammes } from '../fixtures/expertiseRegion';
import { timeMedian, type Reporter } from './report';

const REPORTING_DATE = '2022-06-30';

export default async function (r: Reporter): Promise<void> {
  r.section('Экспертиза и отчёты (5 000 школ, 15 000 АРП)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-reports-'));
  const store = openStore(path.join(dir, 'region.sqlite'));
  const t0 = performance.now();
  generateRegion(store, { schools: 5000 });
  const gen = generateProgrammes(store, { programmes: 15_000 });
  console.log(`  данные: ${gen.programmes} АРП, ${gen.measures} мероприятий, ${gen.evidence} документов за ${((performance.now() - t0) / 1000).toFixed(1)} с`);
  // The region entered this in the spring of 2022 and went on working: 5% of the measures changed
  // status since, so a report as of 30.06.2022 rebuilds those rows from the change log.
  restampUnsentAt(store, Date.parse('2022-03-01T09:00:00+03:00'));
  const later = store.sqlite.prepare(`SELECT id, status FROM measures WHERE abs(random()) % 20 = 0`).all() as { id: string; status: string }[];
  store.tx(() => {
    for (const m of later) updateRow(store, 'measures', m.id, { status: m.status === 'done' ? 'not_done' : 'done' });
  });

  // Baseline: one SQL aggregate over the same rows (due, done-and-confirmed and evidence counts per programme).
  const aggregate = store.sqlite.prepare(`
    WITH ev AS (SELECT measure_id, MAX(verdict = 'confirmed') AS confirmed, COUNT(*) AS n FROM evidence WHERE deleted_at IS NULL GROUP BY measure_id)
    SELECT p.id,
      SUM(m.unplanned = 0 AND m.status != 'cancelled' AND COALESCE(COALESCE(m.date_to, m.date_from) <= @d, 1)) AS due,
      SUM(m.unplanned = 0 AND m.status = 'done' AND COALESCE(m.date_to, m.date_from) <= @d AND COALESCE(ev.confirmed, 0)) AS ok,
      SUM(COALESCE(ev.n, 0)) AS docs
    FROM programmes p LEFT JOIN measures m ON m.programme_id = p.id AND m.deleted_at IS NULL LEFT JOIN ev ON ev.measure_id = m.id
    WHERE p.kind = 'arp' AND p.deleted_at IS NULL
    GROUP BY p.id`);
  const sqlMs = await timeMedian(3, () => aggregate.all({ d: REPORTING_DATE }));
  let count = 0;
  const sheetsMs = await timeMedian(3, () => {
    const rows = computeSheets(store, {}, REPORTING_DATE);
    count = summarise(REPORTING_DATE, rows).programmes;
  });
  r.add({ name: `все экспертные листы и сводки (${count} АРП)`, value: sheetsMs, unit: 'ms', baseline: { name: 'один SQL-агрегат по тем же строкам', value: sqlMs } });
  const asOfMs = await timeMedian(3, () => readAsOfDay(store, REPORTING_DATE, () => summarise(REPORTING_DATE, computeSheets(store, {}, REPORTING_DATE))));
  r.add({ name: 'expertise 15k', value: asOfMs, unit: 'ms', baseline: { name: `один SQL-агрегат по тем же строкам (на ${REPORTING_DATE}, ${later.length} мероприятий изменены позже)`, value: sqlMs }, goal: '≤ 2×' });

  const largest = store.sqlite.prepare(`SELECT s.district_id AS id, COUNT(*) AS n FROM programmes p JOIN schools s ON s.id = p.school_id GROUP BY s.district_id ORDER BY n DESC LIMIT 1`).get() as { id: string; n: number };
  const muniMs = await timeMedian(3, async () => {
    const b = buildReport(store, { kind: 'muni', districtId: largest.id, year: 2022, stageId: gen.stageId, narrative: 'Отчёт', date: '2022-07-01' });
    await renderBuilt(b);
  });
  const regionMs = await timeMedian(3, async () => {
    const b = buildReport(store, { kind: 'expertise', districtId: null, reportingDate: REPORTING_DATE, scope: 'region' });
    await renderBuilt(b);
  });
  r.add({ name: `отчёт муниципального координатора DOCX (${largest.n} АРП района)`, value: muniMs, unit: 'ms', baseline: { name: 'сводки по всему региону', value: sheetsMs }, goal: '< 2000 ms' });
  r.add({ name: `XLSX экспертизы по региону (${count} строк)`, value: regionMs, unit: 'ms', baseline: { name: 'сводки по всему региону', value: sheetsMs }, goal: '< 2000 ms' });
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
