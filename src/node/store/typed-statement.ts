// Typed statements: each is prepared once by the table module that owns it, with its parameter
// tuple in the type and a row parser attached, so a caller can neither pass the wrong arguments
// nor see an unparsed row. (The old repository looked statements up by string name.)
import type { RunResult, Statement } from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase } from './encrypted-database.js';

/** What SQLite accepts as a bound value. */
export type SqlValue = string | number | bigint | Buffer | null;

/** A parser from one driver row (`unknown`) to a typed value; it throws VAULT_CORRUPT on a bad row. */
export type RowParser<R> = (row: unknown) => R;

/** A statement that returns rows, each passed through its parser. */
export class Query<P extends SqlValue[], R> {
  private readonly stmt: Statement<P, unknown>;

  constructor(
    db: SqliteDatabase,
    sql: string,
    private readonly parse: RowParser<R>,
    opts: { raw?: boolean } = {},
  ) {
    this.stmt = db.prepare<P, unknown>(sql);
    if (opts.raw) this.stmt.raw(true);
  }

  get(...params: P): R | undefined {
    const row = this.stmt.get(...params);
    return row === undefined ? undefined : this.parse(row);
  }

  all(...params: P): R[] {
    return this.stmt.all(...params).map(this.parse);
  }
}

/** A statement that changes rows and returns none. */
export class Command<P extends SqlValue[] | [Readonly<Record<string, SqlValue>>]> {
  // The driver's own parameter type is loose; `P` on run() is what callers are held to.
  private readonly stmt: Statement<unknown[], unknown>;

  constructor(db: SqliteDatabase, sql: string) {
    this.stmt = db.prepare<unknown[], unknown>(sql);
  }

  run(...params: P): RunResult {
    return this.stmt.run(...params);
  }
}
