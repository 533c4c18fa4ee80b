/**
 * The shape of a schema's runtime twin (db/schema.ts COLUMNS, server/schema.ts HUB_COLUMNS):
 * per table, per column, the SQL storage class its TypeScript type allows, with `?` when the
 * column is nullable. A mapped type, so `satisfies SchemaColumns<DB>` on an object literal
 * refuses a missing table or column (required keys), an extra one (excess property check)
 * and a storage class or nullability the interface does not allow.
 */
import type { Selectable } from 'kysely';

/** SQLite's storage classes the app uses; PostgreSQL's types map onto them in the schema test. */
export type StorageClass = 'text' | 'integer' | 'real';

type ClassOf<T> = [T] extends [string] ? 'text' : [T] extends [number] ? 'integer' | 'real' : never;

export type ColumnSpec<T> = null extends T ? `${ClassOf<NonNullable<T>>}?` : ClassOf<T>;

export type SchemaColumns<D> = {
  readonly [T in keyof D]: { readonly [C in keyof Selectable<D[T]>]-?: ColumnSpec<Selectable<D[T]>[C]> };
};

/** A column spec taken apart: its storage class and whether it may be null. */
export function parseSpec(spec: string): { type: StorageClass; nullable: boolean } {
  const nullable = spec.endsWith('?');
  return { type: (nullable ? spec.slice(0, -1) : spec) as StorageClass, nullable };
}
