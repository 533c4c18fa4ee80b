/**
 * The local store: better-sqlite3 executes, Kysely only builds and types the queries.
 *
 * Everything is synchronous on purpose: a write and its change-log entries commit in one
 * better-sqlite3 transaction, with no await in between for another call to interleave.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import {
  Kysely,
  DummyDriver,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  type CompiledQuery,
} from 'kysely';
import type { DB, SyncedTable } from './schema';
import type { Role } from '../core/rules/permissions';

/**
 * Who is signed in on this store: every change it writes carries the account (db/write.ts),
 * authorship columns take the person, and the permissions rule decides by the role.
 * Null before any account exists on the laptop (a database from before accounts, tests).
 */
export type WriteGuard = (table: SyncedTable, rowAfter: Readonly<Record<string, unknown>>, rowBefore: Readonly<Record<string, unknown>> | undefined) => void;

/**
 * One local write as db/write.ts made it, for the undo history (core/undo): the written
 * fields' values and clocks before the write and after it.
 */
export interface WrittenChange {
  table: SyncedTable;
  id: string;
  /** The written fields' values before the write; null when the write inserted the row. */
  before: Readonly<Record<string, string | number | null>> | null;
  /** The written fields' clocks before the write (a field no one wrote yet has none). */
  beforeClocks: Readonly<Record<string, string>>;
  after: Readonly<Record<string, string | number | null>>;
  hlc: string;
}

export interface Session {
  accountId: string;
  /** The person of the district the account belongs to. */
  personId: string | null;
  role: Role;
  /** The person's name as the sign-in screen shows it. */
  name: string;
}


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
  /** Prepared statements by SQL text, each with the tables it names (as ids of `read`). */
  private readonly statements = new Map<string, { stmt: BetterSqlite3.Statement; tables: readonly number[] }>();
  /** Tables written (write.ts, the sync apply engine, conflicts): dispatch names them in data.changed. */
  readonly touched = new TableMarks();
  /** Tables the executed statements named: dispatch returns them with a call's result. */
  readonly read = new TableMarks();
  private tableNames: ReadonlySet<string> | null = null;
  /** The signed-in account (see Session); set by core/accounts on sign-in. */
  session: Session | null = null;
  /**
   * Checks every local write before it is made (db/write.ts): throws to refuse it, and the
   * call's transaction then writes nothing. Set by core/accounts with the permissions rule.
   */
  guard: WriteGuard | null = null;
  /** Told of every local write while set: core/undo sets it around an undoable call. */
  journal: ((change: WrittenChange) => void) | null = null;

  constructor(
    readonly sqlite: BetterSqlite3.Database,
    readonly path: string,
    /** The data key the database is encrypted with (db/cipher.ts); attachments are encrypted with it too. Null: a plain database. */
    readonly dataKey: Buffer | null = null,
  ) {}

  /** Prepared statements are cached by SQL text: Kysely compiles the same text for the same shape. */
  prepare(sql: string): BetterSqlite3.Statement {
    let entry = this.statements.get(sql);
    if (!entry) {
      entry = { stmt: this.sqlite.prepare(sql), tables: this.tablesOf(sql).map((t) => this.read.idOf(t)) };
      this.statements.set(sql, entry);
    }
    this.read.addIds(entry.tables);
    return entry.stmt;
  }

  /**
   * The tables a statement names, worked out once per SQL text. One rule for Kysely-compiled
   * and raw statements alike: every identifier (quoted or bare, outside string literals) that is
   * a table of this database. A column named like a table only makes a screen reload once more.
   */
  private tablesOf(sql: string): string[] {
    this.tableNames ??= new Set(
      (this.sqlite.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as { name: string }[]).map((r) => r.name),
    );
    const found = new Set<string>();
    for (const m of sql.matchAll(SQL_IDENTIFIER)) {
      const name = m[1] ?? m[2];
      if (name && this.tableNames.has(name)) found.add(name);
    }
    return [...found];
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
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** By table id: the sequence number of its last use. An array, as this is on every statement's path. */
  private readonly last: number[] = [];

  idOf(table: string): number {
    let id = this.ids.get(table);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(table, id);
      this.names.push(table);
      this.last.push(0);
    }
    return id;
  }

  add(table: string): void {
    this.last[this.idOf(table)] = ++this.seq;
  }

  addIds(ids: readonly number[]): void {
    for (let i = 0; i < ids.length; i++) this.last[ids[i]!] = ++this.seq;
  }

  mark(): number {
    return this.seq;
  }

  /** The tables used after `mark()` returned `mark`. */
  since(mark: number): string[] {
    const out: string[] = [];
    if (this.seq === mark) return out;
    for (let id = 0; id < this.last.length; id++) if (this.last[id]! > mark) out.push(this.names[id]!);
    return out;
  }
}
