import type { Kysely } from 'kysely';

export type HubDialect = 'sqlite' | 'postgres';

/**
 * A numbered step of the hub's schema, run inside the migration transaction. `up` gets an
 * untyped Kysely: a migration describes the schema as it was at its version, not as
 * server/schema.ts says it is today.
 */
export interface HubMigration {
  version: number;
  name: string;
  up(db: Kysely<unknown>, dialect: HubDialect): Promise<void>;
}
