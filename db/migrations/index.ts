import { m001Initial } from './001_initial';
import { m002Indexes } from './002_indexes';
import { m004Visits } from './004_visits';
import type { Migration } from './types';

export type { Migration } from './types';

/** In-code provider: every migration, in ascending version order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Initial, m002Indexes, m004Visits].sort((a, b) => a.version - b.version);

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
