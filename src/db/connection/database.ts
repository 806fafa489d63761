// One configured database: its Kysely instance over an instrumented driver, query listeners,
// and the choice between the current transaction's connection and the pool.
import { CompiledQuery, Kysely, type Dialect as KyselyDialect, type QueryResult } from 'kysely';
import { CarafeError } from '../../index.js';
import { currentTransaction, pinnedExecutor, runPinned } from './context.js';
import { closedError, connectionError, isConnectionError } from './errors.js';
import {
  type InstrumentedDialect,
  instrumentDialect,
  type QueryEvent,
} from './instrumented-driver.js';
import { createMysql } from './mysql.js';
import { createPostgres, postgresParameters } from './postgres.js';
import {
  type ConnectionSpec,
  type DatabaseSettings,
  type Dialect,
  describeLocation,
  parseDatabaseSettings,
} from './settings.js';
import { createSqlite, type ReadShape, type StatementCacheStats } from './sqlite.js';

/**
 * The table map Carafe's Kysely instances are typed with. Models know their own tables and
 * columns; at this layer any table name and column name is allowed.
 */
export type DatabaseSchema = Record<string, Record<string, unknown>>;

export type QueryListener = (event: QueryEvent) => void;

// A client whose socket dies also emits an 'error' event; the query that was using it (or
// the next one) already fails with the translated error, so the event needs no handling.
const alreadyReported = (): void => {};

interface Opened {
  readonly dialect: KyselyDialect;
  readonly prepareParameters: (parameters: readonly unknown[]) => readonly unknown[];
  readonly statementCacheStats: (() => StatementCacheStats) | undefined;
  readonly readNow:
    | ((
        sqlText: string,
        parameters: readonly unknown[],
        shape?: ReadShape,
      ) => unknown[] | undefined)
    | undefined;
  readonly readPooled:
    | ((sqlText: string, parameters: readonly unknown[]) => Promise<unknown[]> | undefined)
    | undefined;
  readonly runNow:
    | ((sqlText: string, parameters: readonly unknown[]) => QueryResult<unknown> | undefined)
    | undefined;
}

function open(spec: ConnectionSpec): Opened {
  const unchanged = (parameters: readonly unknown[]) => parameters;
  switch (spec.dialect) {
    case 'sqlite': {
      const sqlite = createSqlite(spec);
      // SQLite conversions happen when binding, inside the statement wrapper.
      return {
        dialect: sqlite.dialect,
        prepareParameters: unchanged,
        statementCacheStats: sqlite.statementCacheStats,
        readNow: sqlite.readNow,
        readPooled: undefined,
        runNow: sqlite.runNow,
      };
    }
    case 'postgres': {
      const postgres = createPostgres(spec, alreadyReported);
      return {
        dialect: postgres.dialect,
        prepareParameters: postgresParameters,
        statementCacheStats: undefined,
        readNow: undefined,
        readPooled: postgres.readPooled,
        runNow: undefined,
      };
    }
    case 'mysql':
      return {
        dialect: createMysql(spec, alreadyReported),
        prepareParameters: unchanged,
        statementCacheStats: undefined,
        readNow: undefined,
        readPooled: undefined,
        runNow: undefined,
      };
  }
}

function checkName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
    throw new CarafeError(
      'CARAFE_DB_NAME',
      `"${name}" is not a usable database name; use letters, digits, "_" and "-" (e.g. "default", "replica").`,
    );
  }
}

export class Database {
  readonly name: string;
  readonly dialect: Dialect;
  readonly #kysely: Kysely<DatabaseSchema>;
  readonly #instrumented: InstrumentedDialect;
  readonly #statementCacheStats: (() => StatementCacheStats) | undefined;
  readonly #readNow: Opened['readNow'];
  readonly #readPooled: Opened['readPooled'];
  readonly #runNow: Opened['runNow'];
  readonly #prepareParameters: Opened['prepareParameters'];
  readonly #translateError: (error: unknown) => unknown;
  readonly #listeners = new Set<QueryListener>();
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Open `pinned()` blocks: while there are none, `executor()` skips looking for one. */
  #pins = 0;

  /** Usually made by `configureDatabases()`; the connection opens on the first query. */
  constructor(name: string, settings: string | DatabaseSettings) {
    checkName(name);
    const spec = parseDatabaseSettings(settings);
    const location = describeLocation(spec);
    const opened = open(spec);
    this.name = name;
    this.dialect = spec.dialect;
    this.#statementCacheStats = opened.statementCacheStats;
    this.#readNow = opened.readNow;
    this.#readPooled = opened.readPooled;
    this.#runNow = opened.runNow;
    this.#prepareParameters = opened.prepareParameters;
    this.#translateError = (error) =>
      error instanceof CarafeError || !isConnectionError(spec.dialect, error)
        ? error
        : connectionError(name, spec.dialect, location, error);
    this.#instrumented = instrumentDialect(opened.dialect, {
      database: name,
      prepareParameters: opened.prepareParameters,
      translateError: (error, connecting) =>
        error instanceof CarafeError || !(connecting || isConnectionError(spec.dialect, error))
          ? error
          : connectionError(name, spec.dialect, location, error),
      onQuery: (event) => {
        if (event.error !== undefined) {
          const frame = currentTransaction(this);
          if (frame !== undefined) frame.failed = true;
        }
        for (const listener of this.#listeners) listener(event);
      },
      assertOpen: () => {
        if (this.#closed) throw closedError(name);
      },
    });
    this.#kysely = new Kysely<DatabaseSchema>({ dialect: this.#instrumented.dialect });
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The Kysely executor to use right now: the open transaction's for this database, else the pool's. */
  executor(): Kysely<DatabaseSchema> {
    const transaction = currentTransaction(this);
    if (transaction !== undefined) return transaction.executor;
    return (this.#pins > 0 ? pinnedExecutor(this) : undefined) ?? this.#kysely;
  }

  /**
   * Runs `fn` with this database's queries outside a transaction (and the transactions of
   * `atomic()` blocks) on one connection of the pool, held until `fn` settles — for session
   * state that must last, such as the advisory lock `migrate` takes. Nested calls share it.
   */
  async pinned<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#pins > 0 && pinnedExecutor(this) !== undefined) return fn();
    this.#pins++;
    try {
      return await this.#kysely.connection().execute((executor) => runPinned(this, executor, fn));
    } finally {
      this.#pins--;
    }
  }

  /**
   * Runs a compiled query (from Kysely's `.compile()` or `sql```) through `executor()` — or,
   * on SQLite with the connection idle and no transaction open, on the connection at once:
   * the hand-off's promise turns cost more than a short indexed write.
   */
  run<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>> {
    if (this.#runNow !== undefined && this.#canRunNow()) {
      const started = this.#listeners.size > 0 ? performance.now() : 0;
      try {
        const result = this.#runNow(query.sql, query.parameters);
        if (result !== undefined) {
          this.#report(query.sql, query.parameters, started, undefined);
          // The driver's rows are untyped everywhere; Kysely's own path makes the same leap.
          return Promise.resolve(result as QueryResult<Row>);
        }
      } catch (error) {
        const translated = this.#translateError(error);
        this.#report(query.sql, query.parameters, started, translated);
        return Promise.reject(translated);
      }
    }
    return this.executor().executeQuery(query);
  }

  /** No transaction or pinned block in this context and nobody holding or awaiting the connection. */
  #canRunNow(): boolean {
    return !this.#closed && this.#instrumented.idle() && currentTransaction(this) === undefined;
  }

  /**
   * SQLite only: runs a read synchronously and returns its rows, skipping the connection
   * hand-off (several promise turns per query, most of an indexed lookup's cost). `undefined`
   * when that is not safe — another dialect, inside a transaction, the connection in use or
   * not open yet, a statement that writes — and the caller takes the usual path.
   */
  readNow(
    sqlText: string,
    parameters: readonly unknown[],
    shape?: ReadShape,
  ): unknown[] | undefined {
    const read = this.#readNow;
    if (read === undefined || !this.#canRunNow()) return undefined;
    const started = this.#listeners.size > 0 ? performance.now() : 0;
    let rows: unknown[] | undefined;
    try {
      rows = read(sqlText, parameters, shape);
    } catch (error) {
      this.#report(sqlText, parameters, started, error);
      throw error;
    }
    if (rows !== undefined) this.#report(sqlText, parameters, started, undefined);
    return rows;
  }

  /**
   * PostgreSQL only: runs a read on the pool directly (pg checks a connection out and in),
   * skipping Kysely's connection hand-off, which costs more than the rest of a short query's
   * client-side work. `undefined` inside a transaction or before the pool exists; the caller
   * then takes the usual path.
   */
  readPooled(sqlText: string, parameters: readonly unknown[]): Promise<unknown[]> | undefined {
    const read = this.#readPooled;
    if (read === undefined || this.#closed) return undefined;
    if (currentTransaction(this) !== undefined) return undefined;
    const started = this.#listeners.size > 0 ? performance.now() : 0;
    const rows = read(sqlText, this.#prepareParameters(parameters));
    if (rows === undefined) return undefined;
    return rows.then(
      (found) => {
        this.#report(sqlText, parameters, started, undefined);
        return found;
      },
      (error: unknown) => {
        const translated = this.#translateError(error);
        this.#report(sqlText, parameters, started, translated);
        throw translated;
      },
    );
  }

  #report(sqlText: string, params: readonly unknown[], started: number, error: unknown): void {
    if (this.#listeners.size === 0) return;
    const event: QueryEvent = {
      sql: sqlText,
      params,
      durationMs: performance.now() - started,
      database: this.name,
      ...(error === undefined ? {} : { error }),
    };
    for (const listener of this.#listeners) listener(event);
  }

  /**
   * Runs SQL text with bound parameters and returns its rows. Placeholders are the
   * dialect's own: `?` on SQLite and MySQL, `$1, $2, …` on PostgreSQL. Values are never
   * spliced into the SQL text.
   */
  async raw<Row = Record<string, unknown>>(
    sqlText: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> {
    const result = await this.run<Row>(CompiledQuery.raw(sqlText, [...params]));
    return result.rows;
  }

  /** Calls `listener` after every query on this database; returns a function that stops it. */
  onQuery(listener: QueryListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Hits and misses of the SQLite prepared-statement cache; `undefined` on other dialects. */
  statementCacheStats(): StatementCacheStats | undefined {
    return this.#statementCacheStats?.();
  }

  /** Closes the pool (or the SQLite file). Later queries fail with `CARAFE_DB_CLOSED`. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#instrumented.destroy();
    return this.#closing;
  }
}
