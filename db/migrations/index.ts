import { m001Initial } from './001_initial';
import { m002Indexes } from './002_indexes';
import type { Migration } from './types';

export type { Migration } from './types';

/** In-code provider: every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Initial, m002Indexes];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
