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
  const rawLogged: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = await freshSchool();
    try {
      const t0 = performance.now();
      await call(a.ctx, 'imports.roadmapCommit', { target: { school_id: a.schoolId, risk_factor_id: factor }, measures });
      commits.push(performance.now() - t0);
    } finally {
      a.close();
    }
    for (const [logged, out] of [[false, raws], [true, rawLogged]] as const) {
      const b = await freshSchool();
      try {
        const t0 = performance.now();
        rawInsert(b.ctx, rowsOf(b.schoolId, factor, measures), logged);
        out.push(performance.now() - t0);
      } finally {
        b.close();
      }
    }
  }
  r.add({
    name: `запись дорожной карты (${MEASURES} мероприятий, 30 задач, ${MEASURES} ссылок с историей проверки) одним вызовом (imports.roadmapCommit)`,
    value: median(commits),
    unit: 'мс',
    baseline: { name: 'raw batched INSERT тех же строк', value: median(raws) },
    goal: '≤ 3× raw',
  });
  r.add({
    name: `запись дорожной карты (${MEASURES} мероприятий) одним вызовом`,
    value: median(commits),
    unit: 'мс',
    baseline: { name: 'raw batched INSERT тех же строк с часами их полей и записями журнала изменений', value: median(rawLogged) },
  });
}

type RawRow = { table: string; values: Record<string, string | number | null> };

/** The rows the commit writes: the programme, its tasks, measures, evidence links and their first verdicts. */
function rowsOf(schoolId: string, factor: string, measures: RoadmapPreview['tables'][number]['measures']): RawRow[] {
  const now = new Date().toISOString();
  const stamp = { created_at: now, updated_at: now };
  const programmeId = uuidv7();
  const rows: RawRow[] = [{ table: 'programmes', values: { id: programmeId, school_id: schoolId, kind: 'arp', risk_factor_id: factor, title: 'АРП', ...stamp } }];
  const tasks = new Map<string, string>();
  measures.forEach((m, n) => {
    let taskId = tasks.get(m.task);
    if (!taskId) {
      taskId = uuidv7();
      tasks.set(m.task, taskId);
      rows.push({ table: 'programme_tasks', values: { id: taskId, programme_id: programmeId, position: tasks.size, title: m.task, ...stamp } });
    }
    const id = uuidv7();
    rows.push({
      table: 'measures',
      values: { id, programme_id: programmeId, task_id: taskId, position: n, title: m.title, date_text: m.date_text, responsible: m.responsible, participants: m.participants, indicator: m.indicator, unplanned: 0, status: 'planned', ...stamp },
    });
    for (const e of m.evidence) {
      const evidenceId = uuidv7();
      rows.push({ table: 'evidence', values: { id: evidenceId, measure_id: id, title: e.title, kind: e.kind, url: e.url ?? null, uploaded_at: now, verdict: 'pending', ...stamp } });
      rows.push({ table: 'evidence_verdicts', values: { id: uuidv7(), evidence_id: evidenceId, verdict: 'pending', at: now, ...stamp } });
    }
  });
  return rows;
}

/** One transaction of plain INSERTs; `logged`: also a clock per column and a change-log entry per row, as db/write.ts stores them. */
function rawInsert(ctx: Ctx, rows: readonly RawRow[], logged: boolean): void {
  const db = ctx.store.sqlite;
  const statements = new Map<string, ReturnType<typeof db.prepare>>();
  const insert = (r: RawRow) => {
    const cols = Object.keys(r.values);
    const sql = `INSERT INTO ${r.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
    stmt.run(Object.values(r.values));
  };
  const clock = db.prepare('INSERT INTO field_clocks (tbl, row_id, col, hlc) VALUES (?, ?, ?, ?)');
  const change = db.prepare('INSERT INTO changes (device_id, device_seq, hlc, tbl, row_id, data, server_seq, meta, author) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)');
  const device = uuidv7();
  db.transaction(() => {
    rows.forEach((r, seq) => {
      insert(r);
      if (!logged) return;
      const hlc = `${String(Date.now()).padStart(15, '0')}:${String(seq).padStart(5, '0')}:${device}`;
      for (const col of Object.keys(r.values)) if (col !== 'id') clock.run(r.table, r.values.id, col, hlc);
      change.run(device, seq + 1, hlc, r.table, r.values.id, JSON.stringify(r.values));
    });
  })();
}
