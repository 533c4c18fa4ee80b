import type { Migration } from './types';

/**
 * The working calendar of visit schedules (issue 13): the region's yearly table of the
 * production calendar's transfers (reference data) and the district's school breaks.
 */
export const m011WorkingCalendar: Migration = {
  version: 11,
  name: 'production calendar transfers, school breaks',
  up: [
    `CREATE TABLE production_calendar (
      id TEXT PRIMARY KEY NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT,
      year INTEGER NOT NULL,
      date TEXT NOT NULL,
      kind TEXT NOT NULL,
      title TEXT NOT NULL
    ) STRICT;`,
    `CREATE TABLE school_breaks (
      id TEXT PRIMARY KEY NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT,
      district_id TEXT NOT NULL,
      date_from TEXT NOT NULL,
      date_to TEXT NOT NULL,
      title TEXT NOT NULL
    ) STRICT;`,
  ],
};
