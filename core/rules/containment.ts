/**
 * Which rows live inside another row: a screen reaches them only through their parent (a
 * programme's tasks and measures, a measure's evidence, a visit's topics…). Deleting the
 * parent puts them out of sight with it; sync uses this to notice a row added or edited
 * under a parent that another laptop deleted at the same time (core/sync/deletionConflicts.ts),
 * and a deletion records which of its children it had seen (db/write.ts).
 */
import type { SyncedTable } from '../../db/schema';

export interface Containment {
  child: SyncedTable;
  /** The child's column naming its parent. */
  column: string;
  parent: SyncedTable;
}

export const CONTAINMENT: readonly Containment[] = [
  { child: 'programmes', column: 'school_id', parent: 'schools' },
  { child: 'risk_profiles', column: 'school_id', parent: 'schools' },
  { child: 'result_indicators', column: 'school_id', parent: 'schools' },
  { child: 'programme_tasks', column: 'programme_id', parent: 'programmes' },
  { child: 'measures', column: 'programme_id', parent: 'programmes' },
  { child: 'expertise_marks', column: 'programme_id', parent: 'programmes' },
  { child: 'evidence', column: 'measure_id', parent: 'measures' },
  { child: 'evidence_verdicts', column: 'evidence_id', parent: 'evidence' },
  { child: 'scheduled_visits', column: 'schedule_id', parent: 'visit_schedules' },
  { child: 'visit_topics', column: 'visit_id', parent: 'visits' },
  { child: 'visit_steps', column: 'visit_id', parent: 'visits' },
  { child: 'muni_roadmap_items', column: 'section_id', parent: 'muni_roadmap_sections' },
  { child: 'muni_roadmap_reports', column: 'item_id', parent: 'muni_roadmap_items' },
  { child: 'event_attendance', column: 'event_id', parent: 'events' },
];

/** The relations in which `table` is the parent. */
export const childrenOf = (table: string): readonly Containment[] => CONTAINMENT.filter((c) => c.parent === table);

/** The relation in which `table` is the child, if any (each child table has one parent). */
export const parentOf = (table: string): Containment | undefined => CONTAINMENT.find((c) => c.child === table);
