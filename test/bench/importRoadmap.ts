/**
 * Issue 14 figures for roadmaps: a 300-measure АРП roadmap typed in Word (30 tasks merged
 * over their measures, a link in every «Подтверждающие документы»):
 * - preview: imports.roadmapPreview through dispatch (unzip, parse the document XML, find the
 *   header, read the rows, lint every date);
 * - commit: imports.roadmapCommit through dispatch into a new АРП (one transaction, every row
 *   through db/write.ts with its clocks and change-log entry, the undo step recorded) beside a
 *   raw batched insert of the same tasks, measures and evidence links (goal: ≤ 3× raw).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { CallName } from '../../core/contract';
import type { Ctx } from '../../core/context';
import type { RoadmapPreview } from '../../core/contract/roadmapImports';
import { dispatch } from '../../core/dispatch';
import { referenceId } from '../../core/reference';
import { openStore } from '../../db/open';
import { bigRoadmapDocx } from '../fixtures/import/roadmaps';
import { timeMedian, type Reporter } from './report';

const MEASURES = 300;
const RUNS = 5;

async function call<T>(ctx: Ctx, name: CallName, input: unknown): Promise<T> {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value as T;
}

async function freshSchool(): Promise<{ ctx: Ctx; schoolId: string; close: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-roadmap-'));
  const ctx: Ctx = { store: openStore(path.join(dir, 'district.sqlite')), dataDir: dir, emit: () => {} };
  await call(ctx, 'app.createDistrict', { region: 'Ростовская область', district: 'г. Шахты' });
  const school = await call<{ id: string }>(ctx, 'schools.create', { full_name: 'МБОУ СОШ № 7 г. Шахты', short_name: 'СОШ № 7', kind: 'СОШ', is_participant: true, stage: 'implementing' });
  return { ctx, schoolId: school.id, close: () => (ctx.store.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

export default async function (r: Reporter): Promise<void> {
  r.section(`Импорт дорожной карты АРП (${MEASURES} мероприятий, DOCX)`);
  const base64 = (await bigRoadmapDocx(MEASURES)).toString('base64');
  let preview: RoadmapPreview | null = null;
  const first = await freshSchool();
  try {
    const t = await timeMedian(RUNS, async () => {
      preview = await call<RoadmapPreview>(first.ctx, 'imports.roadmapPreview', { fileName: 'АРП.docx', base64 });
    });
    r.add({ name: `предпросмотр дорожной карты (${MEASURES} мероприятий) через dispatch`, value: t, unit: 'мс' });
  } finally {
    first.close();
  }
  const measures = preview!.tables[0]!.measures;
  const factor = referenceId('risk_factor', '2021:РФ8');

  const commits: number[] = [];
  const raws: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = await freshSchool();
    try {
      const t0 = performance.now();
      await call(a.ctx, 'imports.roadmapCommit', { target: { school_id: a.schoolId, risk_factor_id: factor }, measures });
      commits.push(performance.now() - t0);
    } finally {
      a.close();
    }
    const b = await freshSchool();
    try {
      const db = b.ctx.store.sqlite;
      const now = new Date().toISOString();
      const t0 = performance.now();
      const programme = db.prepare('INSERT INTO programmes (id, school_id, kind, risk_factor_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const task = db.prepare('INSERT INTO programme_tasks (id, programme_id, position, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
      const measure = db.prepare(
        'INSERT INTO measures (id, programme_id, task_id, position, title, date_text, responsible, participants, indicator, unplanned, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)',
      );
      const evidence = db.prepare("INSERT INTO evidence (id, measure_id, title, kind, url, uploaded_at, verdict, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)");
      const verdict = db.prepare("INSERT INTO evidence_verdicts (id, evidence_id, verdict, at, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?)");
      db.transaction(() => {
        const programmeId = uuidv7();
        programme.run(programmeId, b.schoolId, 'arp', factor, 'АРП', now, now);
        const tasks = new Map<string, string>();
        measures.forEach((m, n) => {
          let taskId = tasks.get(m.task);
          if (!taskId) {
            taskId = uuidv7();
            tasks.set(m.task, taskId);
            task.run(taskId, programmeId, tasks.size, m.task, now, now);
          }
          const id = uuidv7();
          measure.run(id, programmeId, taskId, n, m.title, m.date_text, m.responsible, m.participants, m.indicator, 'planned', now, now);
          for (const e of m.evidence) {
            const evidenceId = uuidv7();
            evidence.run(evidenceId, id, e.title, e.kind, e.url, now, now, now);
            verdict.run(uuidv7(), evidenceId, now, now, now);
          }
        });
      })();
      raws.push(performance.now() - t0);
    } finally {
      b.close();
    }
  }
  r.add({
    name: `запись дорожной карты (${MEASURES} мероприятий, 30 задач, ${MEASURES} ссылок с историей проверки) одним вызовом (imports.roadmapCommit)`,
    value: median(commits),
    unit: 'мс',
    baseline: { name: 'raw batched INSERT тех же строк', value: median(raws) },
    goal: '≤ 3× raw',
  });
}
