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
  /** Tables written (write.ts, the sync apply engine, conflicts): dispatch names them in data.changed. */
  readonly touched = new TableMarks();
  /** Tables the executed statements named: dispatch returns them with a read call's result. */
  readonly read = new TableMarks();
  private readonly statementTables = new Map<string, readonly string[]>();
  private tableNames: ReadonlySet<string> | null = null;

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
    this.read.addAll(this.tablesOf(sql));
    return stmt;
  }

  /**
   * The tables a statement names, worked out once per SQL text. One rule for Kysely-compiled
   * and raw statements alike: every identifier (quoted or bare, outside string literals) that is
   * a table of this database. A column named like a table only makes a screen reload once more.
   */
  private tablesOf(sql: string): readonly string[] {
    let tables = this.statementTables.get(sql);
    if (!tables) {
      this.tableNames ??= new Set(
        (this.sqlite.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as { name: string }[]).map((r) => r.name),
      );
      const found = new Set<string>();
      for (const m of sql.matchAll(SQL_IDENTIFIER)) {
        const name = m[1] ?? m[2];
        if (name && this.tableNames.has(name)) found.add(name);
      }
      tables = [...found];
      this.statementTables.set(sql, tables);
    }
    return tables;
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

/** String literals are matched (and skipped) so that a table's name inside one is not taken for a use. */
const SQL_IDENTIFIER = /'(?:[^']|'')*'|"((?:[^"]|"")+)"|\b([A-Za-z_][A-Za-z0-9_]*)\b/g;

/**
 * Which tables were used since a mark. A counter per table rather than a set per call: a call
 * that awaits (sync) may interleave with others, and then it names their tables too instead of
 * losing its own.
 */
export class TableMarks {
  private seq = 0;
  private readonly last = new Map<string, number>();

  add(table: string): void {
    this.last.set(table, ++this.seq);
  }

  addAll(tables: readonly string[]): void {
    for (const t of tables) this.last.set(t, ++this.seq);
  }

  mark(): number {
    return this.seq;
  }

  /** The tables used after `mark()` returned `mark`. */
  since(mark: number): string[] {
    const out: string[] = [];
    if (this.seq === mark) return out;
    for (const [table, seq] of this.last) if (seq > mark) out.push(table);
    return out;
  }
}
