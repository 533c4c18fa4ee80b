/**
 * Writing an imported roadmap: the previewed rows into a programme (an existing one, the
 * school's АРП for the risk factor, or a new АРП), inside the call's one transaction.
 *
 * Rows are matched by their text, so importing the same file again writes nothing:
 * a task by its title, a measure by its task and title, a link by its URL on that
 * measure. A matched measure takes the file's non-empty cells that differ (a date
 * corrected in Word comes in); what the file leaves empty never blanks what the app
 * has, and measures the file does not name are left alone.
 */
import { AppError } from '../../db/errors';
import type { Row } from '../../db/schema';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, updateRow } from '../../db/write';
import type { ImportCounts, RoadmapCommit, RoadmapCommitResult, RoadmapDraftMeasure } from '../contract/roadmapImports';
import { arpTitle, measureDates } from '../handlers/programmes.node';
import { headerWords } from './tableHeader';

const counts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });

/** How two texts are the same row: case, ё/е, spaces and a final dot do not matter. */
export const sameText = (s: string) => headerWords(s).replace(/[.;]+$/, '');

const MEASURE_FIELDS = ['date_text', 'responsible', 'participants', 'indicator', 'expected_result'] as const;

/** The programme the roadmap goes to, created (an АРП titled by its risk factor) when the school has none for it. */
function targetProgramme(store: Store, target: RoadmapCommit['target']): { programme: Row<'programmes'>; created: boolean } {
  if ('programme_id' in target) {
    const p = getRow(store, 'programmes', target.programme_id);
    if (!p || p.deleted_at) throw new AppError('not_found', 'Программа не найдена: возможно, её удалили.');
    return { programme: p, created: false };
  }
  const school = getRow(store, 'schools', target.school_id);
  if (!school || school.deleted_at) throw new AppError('not_found', 'Школа не найдена: возможно, её удалили.');
  const factor = getRow(store, 'risk_factors', target.risk_factor_id);
  if (!factor || factor.deleted_at) throw new AppError('validation', 'Проверьте выделенные поля', { risk_factor_id: 'Такого фактора риска нет в справочнике' });
  const existing = store.first(
    qb
      .selectFrom('programmes')
      .selectAll()
      .where('school_id', '=', school.id)
      .where('kind', '=', 'arp')
      .where('risk_factor_id', '=', factor.id)
      .where('deleted_at', 'is', null),
  );
  if (existing) return { programme: existing, created: false };
  const programme = insertRow(store, 'programmes', {
    school_id: school.id,
    kind: 'arp',
    risk_factor_id: factor.id,
    title: arpTitle(factor.title),
    goal: null,
    target_indicators: null,
    period_from: null,
    period_to: null,
  });
  return { programme, created: true };
}

export function commitRoadmap(
  store: Store,
  input: { target: RoadmapCommit['target']; measures: readonly RoadmapDraftMeasure[] },
  uploadedBy: string | null,
): RoadmapCommitResult {
  const { programme, created } = targetProgramme(store, input.target);
  const result: RoadmapCommitResult = { programme_id: programme.id, programme_created: created, tasks: counts(), measures: counts(), links_added: 0 };

  const tasks = new Map<string, string>();
  let taskPosition = 0;
  for (const t of store.all(qb.selectFrom('programme_tasks').select(['id', 'title', 'position']).where('programme_id', '=', programme.id).where('deleted_at', 'is', null))) {
    tasks.set(sameText(t.title), t.id);
    taskPosition = Math.max(taskPosition, t.position);
  }
  const measures = new Map<string, Row<'measures'>>();
  let measurePosition = 0;
  for (const m of store.all(qb.selectFrom('measures').selectAll().where('programme_id', '=', programme.id).where('deleted_at', 'is', null))) {
    measures.set(`${m.task_id ?? ''}|${sameText(m.title)}`, m);
    measurePosition = Math.max(measurePosition, m.position);
  }
  const links = new Set(
    store
      .all(
        qb
          .selectFrom('evidence as e')
          .innerJoin('measures as m', 'm.id', 'e.measure_id')
          .select(['e.measure_id', 'e.url'])
          .where('m.programme_id', '=', programme.id)
          .where('e.deleted_at', 'is', null)
          .where('e.url', 'is not', null),
      )
      .map((e) => `${e.measure_id}|${e.url}`),
  );
  const seenTasks = new Set<string>();
  const now = new Date().toISOString();

  for (const draft of input.measures) {
    let taskId: string | null = null;
    if (draft.task) {
      const key = sameText(draft.task);
      taskId = tasks.get(key) ?? null;
      if (!taskId) {
        taskId = insertRow(store, 'programme_tasks', { programme_id: programme.id, title: draft.task, position: ++taskPosition }).id;
        tasks.set(key, taskId);
        result.tasks.created++;
      } else if (!seenTasks.has(key)) result.tasks.unchanged++;
      seenTasks.add(key);
    }
    if (!draft.title) continue;

    const key = `${taskId ?? ''}|${sameText(draft.title)}`;
    let measure = measures.get(key);
    if (!measure) {
      measure = insertRow(store, 'measures', {
        programme_id: programme.id,
        task_id: taskId,
        position: ++measurePosition,
        title: draft.title,
        date_text: draft.date_text,
        ...measureDates(draft.date_text),
        responsible: draft.responsible,
        participants: draft.participants,
        indicator: draft.indicator,
        expected_result: draft.expected_result,
        unplanned: false,
        status: 'planned',
      });
      measures.set(key, measure);
      result.measures.created++;
    } else {
      const patch: Partial<Pick<Row<'measures'>, (typeof MEASURE_FIELDS)[number] | 'date_from' | 'date_to'>> = {};
      for (const f of MEASURE_FIELDS) {
        const v = draft[f];
        if (v && v !== measure[f]) patch[f] = v;
      }
      if (patch.date_text !== undefined) Object.assign(patch, measureDates(patch.date_text));
      if (Object.keys(patch).length > 0) {
        measure = updateRow(store, 'measures', measure.id, patch);
        measures.set(key, measure);
        result.measures.updated++;
      } else result.measures.unchanged++;
    }

    for (const e of draft.evidence) {
      const linkKey = `${measure.id}|${e.url}`;
      if (!e.url || links.has(linkKey)) continue;
      links.add(linkKey);
      const row = insertRow(store, 'evidence', {
        measure_id: measure.id,
        title: e.title,
        kind: e.kind,
        url: e.url,
        file_sha256: null,
        file_name: null,
        file_size: null,
        mime: null,
        uploaded_by: uploadedBy,
        uploaded_at: now,
        verdict: 'pending',
      });
      insertRow(store, 'evidence_verdicts', { evidence_id: row.id, verdict: 'pending', comment: null, by_person_id: uploadedBy, at: now });
      result.links_added++;
    }
  }
  return result;
}
