import type { Migration } from './types';

/**
 * Visits: the «last counting visit per school» lookup (schools list, start page, overdue
 * list) reads only this partial index — MAX(date) for one school is one index seek instead
 * of a scan over every visit of that school including drafts and tombstones.
 */
export const m004Visits: Migration = {
  version: 4,
  name: 'visits: last counting visit per school, schedules by curator, events by date',
  up: [
    `CREATE INDEX visits_school_counting ON visits (school_id, date) WHERE deleted_at IS NULL AND is_draft = 0;`,
    `CREATE INDEX visit_steps_visit ON visit_steps (visit_id);`,
    `CREATE INDEX visit_topics_visit ON visit_topics (visit_id);`,
    `CREATE INDEX schedules_curator ON visit_schedules (curator_id);`,
    `CREATE INDEX events_district_date ON events (district_id, date);`,
  ],
};
