import type { Migration } from './types';

/** Indexes for the hot queries: lists by district, overdue visits, roadmap by status and date, sync. */
export const m002Indexes: Migration = {
  version: 2,
  name: 'indexes for lists, visits, roadmaps and sync',
  up: [
    `CREATE INDEX schools_district ON schools (district_id, deleted_at, short_name);`,
    `CREATE INDEX people_district ON people (district_id, deleted_at, last_name);`,
    `CREATE INDEX assignments_school ON curator_assignments (school_id, deleted_at);`,
    `CREATE INDEX assignments_curator ON curator_assignments (curator_id, deleted_at);`,
    `CREATE INDEX risk_profiles_school ON risk_profiles (school_id);`,
    `CREATE INDEX programmes_school ON programmes (school_id);`,
    `CREATE INDEX tasks_programme ON programme_tasks (programme_id);`,
    `CREATE INDEX measures_programme ON measures (programme_id, position);`,
    `CREATE INDEX measures_status_due ON measures (status, date_to);`,
    `CREATE INDEX evidence_measure ON evidence (measure_id);`,
    `CREATE INDEX evidence_verdict ON evidence (verdict);`,
    `CREATE INDEX verdicts_evidence ON evidence_verdicts (evidence_id);`,
    `CREATE INDEX comments_target ON comments (target_table, target_id);`,
    `CREATE INDEX visits_school_date ON visits (school_id, date);`,
    `CREATE INDEX visits_curator_date ON visits (curator_id, date);`,
    `CREATE INDEX scheduled_visits_schedule ON scheduled_visits (schedule_id, planned_date);`,
    `CREATE INDEX schedules_school ON visit_schedules (school_id);`,
    `CREATE INDEX muni_items_section ON muni_roadmap_items (section_id);`,
    `CREATE INDEX muni_reports_item ON muni_roadmap_reports (item_id);`,
    `CREATE INDEX attendance_event ON event_attendance (event_id);`,
    `CREATE INDEX changes_unsent ON changes (server_seq, device_id, device_seq);`,
    `CREATE INDEX changes_row ON changes (tbl, row_id);`,
    `CREATE INDEX conflicts_open ON conflicts (resolved_at, tbl, row_id);`,
  ],
};
