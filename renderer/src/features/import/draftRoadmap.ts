/**
 * The previewed roadmap as the rows the roadmap grid shows (programmes/RoadmapGrid), so
 * the preview is the grid itself with its date-lint marks. The ids are placeholders that
 * live only on this screen; nothing here is written.
 */
import type { MeasureRow } from '../../../../core/contract/programmes';
import type { RoadmapDraftMeasure } from '../../../../core/contract/roadmapImports';
import type { Row } from '../../../../db/schema';

export const PREVIEW_PROGRAMME = 'import-preview';

export function draftRoadmap(measures: readonly RoadmapDraftMeasure[]): { tasks: Row<'programme_tasks'>[]; measures: MeasureRow[] } {
  const stamp = '1970-01-01T00:00:00.000Z';
  const tasks = new Map<string, Row<'programme_tasks'>>();
  const rows: MeasureRow[] = [];
  measures.forEach((m, i) => {
    let task = m.task ? tasks.get(m.task) : undefined;
    if (m.task && !task) {
      task = { id: `task-${tasks.size}`, created_at: stamp, updated_at: stamp, deleted_at: null, programme_id: PREVIEW_PROGRAMME, position: tasks.size, title: m.task };
      tasks.set(m.task, task);
    }
    if (!m.title) return;
    rows.push({
      id: `measure-${i}`,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
      programme_id: PREVIEW_PROGRAMME,
      task_id: task?.id ?? null,
      position: i,
      title: m.title,
      date_text: m.date_text,
      date_from: null,
      date_to: null,
      responsible: m.responsible,
      participants: m.participants,
      indicator: m.indicator,
      expected_result: m.expected_result,
      unplanned: 0,
      status: 'planned',
      evidence: m.evidence.length,
      confirmed: 0,
      pending: m.evidence.length,
      rework: 0,
      comments: 0,
    });
  });
  return { tasks: [...tasks.values()], measures: rows };
}
