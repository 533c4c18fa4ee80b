import { m001Initial } from './001_initial';
import { m002Indexes } from './002_indexes';
import { m003Sync } from './003_sync';
import { m004Visits } from './004_visits';
import { m006ExpertiseIndexes } from './006_expertise_indexes';
import { m007SyncIndexes } from './007_sync_indexes';
import { m008ChangeAuthor } from './008_change_author';
import { m010ChangesTime } from './010_changes_time';
import { m011WorkingCalendar } from './011_working_calendar';
import type { Migration } from './types';

export type { Migration } from './types';

/**
 * In-code provider: every migration, in ascending version order. Append only, with a
 * number above the highest (005 was never used): a database at version N
 * never runs a migration numbered below N.
 */
export const MIGRATIONS: readonly Migration[] = [m001Initial, m002Indexes, m003Sync, m004Visits, m006ExpertiseIndexes, m007SyncIndexes, m008ChangeAuthor, m010ChangesTime, m011WorkingCalendar].sort((a, b) => a.version - b.version);

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
