/**
 * The local store: better-sqlite3 executes, Kysely only builds and types the queries.
 *
 * Everything is synchronous on purpose: a write and its change-log entries commit in one
 * better-sqlite3 transaction, with no await in between for another call to interleave.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  DummyDriver,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  type CompiledQuery,
} from 'kysely';
import type { DB } from './schema';

export const qb = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

export type QueryBuilder = typeof qb;

export class Store {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  /** Synced tables written since the last clear(): dispatch turns it into a data.changed event. */
  readonly touched = new Set<string>();

  constructor(
    readonly sqlite: BetterSqlite3.Database,
    readonly path: string,
  ) {}

  /** Prepared statements are cached by SQL text: Kysely compiles the same text for the same shape. */
  prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  all<R>(query: Compilable<R>): R[] {
    const c = query.compile();
    return this.prepare(c.sql).all(...(c.parameters as unknown[])) as R[];
  }

  first<R>(query: Compilable<R>): R | undefined {
    const c = query.compile();
    return this.prepare(c.sql).get(...(c.parameters as unknown[])) as R | undefined;
  }

  run(query: Compilable<unknown> | CompiledQuery): BetterSqlite3.RunResult {
    const c = 'compile' in query ? query.compile() : query;
    return this.prepare(c.sql).run(...(c.parameters as unknown[]));
  }

  /** Runs fn in one transaction (nested calls become savepoints). */
  tx<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  close(): void {
    this.statements.clear();
    this.sqlite.close();
  }
}
