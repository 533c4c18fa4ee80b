/**
 * Issue 3 (visits) figures on the region-scale generated database (5,000 schools) plus
 * 200,000 visits:
 * - the overdue-schools query (`visits.compliance`, attention only) through the whole
 *   dispatch path beside the very same SQL in raw better-sqlite3 (goal: within 2×);
 * - the start page summary through dispatch (compliance, week plan, deadlines, counts),
 *   beside the same raw compliance SQL.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { todayOf } from '../../core/localDay';
import { COMPLIANCE_SQL } from '../../core/handlers/visits';
import { shiftDate } from '../../core/rules/visits';
import { openStore } from '../../db/open';
import { qb } from '../../db/store';
import { insertRow } from '../../db/write';
import { generateRegion, seededRandom } from '../fixtures/generate';
import { timeMedian, type Reporter } from './report';

const VISITS = 200_000;
const RUNS = 9;

export default async function (r: Reporter): Promise<void> {
  r.section('Посещения: просроченные школы (5 000 школ, 200 000 посещений)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-visits-'));
  const file = path.join(dir, 'district.sqlite');
  const store = openStore(file);
  try {
    const t0 = performance.now();
    generateRegion(store);
    const schools = store.all(
      qb
        .selectFrom('schools as s')
        .innerJoin('curator_assignments as a', 'a.school_id', 's.id')
        .select(['s.id', 's.stage', 'a.curator_id'])
        .where('s.is_participant', '=', 1),
    );
    const rnd = seededRandom(303);
    const today = todayOf(store);
    // Every visit through the write layer (change log and field clocks included), one transaction.
    store.tx(() => {
      for (let i = 0; i < VISITS; i++) {
        const s = schools[Math.floor(rnd() * schools.length)]!;
        insertRow(store, 'visits', {
          curator_id: s.curator_id,
          school_id: s.id,
          date: shiftDate(today, -Math.floor(rnd() * 400)),
          format: rnd() < 0.8 ? 'school' : 'online',
          stage: s.stage,
          topics: 'Согласование дорожной карты',
          is_draft: rnd() < 0.02,
        });
      }
    });
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    store.sqlite.exec('ANALYZE');
    console.log(`  данные: ${schools.length} школ-участниц, ${VISITS} посещений, ${((performance.now() - t0) / 1000).toFixed(1)} с`);

    const ctx: Ctx = { store, dataDir: dir, emit: () => {} };
    const call = async (name: string, input: unknown) => {
      const res = await dispatch(ctx, name, input);
      if (!res.ok) throw new Error(`${name}: ${res.error.message}`);
      return res.value;
    };
    const raw = new Database(file, { readonly: true });
    const stmt = raw.prepare(COMPLIANCE_SQL);
    const rawRun = () => stmt.all({ today });

    const overdue = (await call('visits.compliance', { attention: true })) as { rows: unknown[]; counts: Record<string, number> };
    console.log(`  нуждаются в посещении: ${overdue.rows.length} (просрочено ${overdue.counts.overdue}, не посещались ${overdue.counts.never}, пора ${overdue.counts.due})`);

    // Warm both paths equally, then interleave-free medians.
    rawRun();
    const rawMs = await timeMedian(RUNS, rawRun);
    const dispatchMs = await timeMedian(RUNS, () => call('visits.compliance', { attention: true }));
    r.add({ name: 'Просроченные школы через dispatch (visits.compliance)', value: dispatchMs, unit: 'мс', baseline: { name: 'тот же SQL в better-sqlite3', value: rawMs }, goal: 'не более 2×' });

    const startMs = await timeMedian(RUNS, () => call('start.summary', {}));
    r.add({ name: 'Главная страница через dispatch (start.summary)', value: startMs, unit: 'мс', baseline: { name: 'SQL просроченных школ в better-sqlite3', value: rawMs } });

    raw.close();
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
