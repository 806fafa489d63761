// Wraps a Kysely dialect's driver so every query, whichever way it is issued (Kysely builder,
// compiled query, raw SQL, transaction control), is timed, reported and has its errors translated.
import type {
  CompiledQuery,
  DatabaseConnection,
  Driver,
  Dialect as KyselyDialect,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

export interface QueryEvent {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly durationMs: number;
  readonly database: string;
  /** Set when the query failed (after translation, so a lost connection is a `CARAFE_DB_CONNECTION`). */
  readonly error?: unknown;
}

export interface DriverHooks {
  readonly database: string;
  prepareParameters(parameters: readonly unknown[]): readonly unknown[];
  /** `connecting` is true while opening or acquiring a connection: then every failure is a connection failure. */
  translateError(error: unknown, connecting: boolean): unknown;
  onQuery(event: QueryEvent): void;
  /** Throws when the database may no longer be used. */
  assertOpen(): void;
}

class InstrumentedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  readonly #hooks: DriverHooks;

  constructor(inner: DatabaseConnection, hooks: DriverHooks) {
    this.inner = inner;
    this.#hooks = hooks;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const hooks = this.#hooks;
    const parameters = hooks.prepareParameters(compiledQuery.parameters);
    const query =
      parameters === compiledQuery.parameters ? compiledQuery : { ...compiledQuery, parameters };
    const started = performance.now();
    try {
      const result = await this.inner.executeQuery<R>(query);
      this.#report(query, started, undefined);
      return result;
    } catch (error) {
      const translated = hooks.translateError(error, false);
      this.#report(query, started, translated);
      throw translated;
    }
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    const hooks = this.#hooks;
    const parameters = hooks.prepareParameters(compiledQuery.parameters);
    const query =
      parameters === compiledQuery.parameters ? compiledQuery : { ...compiledQuery, parameters };
    const started = performance.now();
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
      this.#report(query, started, undefined);
    } catch (error) {
      const translated = hooks.translateError(error, false);
      this.#report(query, started, translated);
      throw translated;
    }
  }

  #report(query: CompiledQuery, started: number, error: unknown): void {
    this.#hooks.onQuery({
      sql: query.sql,
      params: query.parameters,
      durationMs: performance.now() - started,
      database: this.#hooks.database,
      ...(error === undefined ? {} : { error }),
    });
  }
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof InstrumentedConnection ? connection.inner : connection;
}

class InstrumentedDriver implements Driver {
  readonly #inner: Driver;
  readonly #hooks: DriverHooks;
  readonly #wrapped = new WeakMap<DatabaseConnection, InstrumentedConnection>();
  #initializing: Promise<void> | undefined;
  /** Connections acquired or being waited for; SQLite's direct path needs the one connection idle. */
  held = 0;

  constructor(inner: Driver, hooks: DriverHooks) {
    this.#inner = inner;
    this.#hooks = hooks;
  }

  async init(): Promise<void> {
    this.#hooks.assertOpen();
    const initializing = this.#inner.init();
    this.#initializing = initializing;
    try {
      await initializing;
    } catch (error) {
      this.#initializing = undefined;
      throw this.#hooks.translateError(error, true);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#hooks.assertOpen();
    let inner: DatabaseConnection;
    this.held++;
    try {
      inner = await this.#inner.acquireConnection();
    } catch (error) {
      this.held--;
      throw this.#hooks.translateError(error, true);
    }
    let wrapped = this.#wrapped.get(inner);
    if (wrapped === undefined) {
      wrapped = new InstrumentedConnection(inner, this.#hooks);
      this.#wrapped.set(inner, wrapped);
    }
    return wrapped;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.releaseSavepoint?.(connection, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.releaseConnection(unwrap(connection));
    } finally {
      this.held--;
    }
  }

  async destroy(): Promise<void> {
    // Some drivers cannot be destroyed before init() (their pool is only set there).
    if (this.#initializing === undefined) return;
    try {
      await this.#initializing;
    } catch {
      return;
    }
    await this.#inner.destroy();
  }
}

export interface InstrumentedDialect {
  readonly dialect: KyselyDialect;
  /** Destroys the driver directly, so later use fails through `assertOpen` with our own error. */
  destroy(): Promise<void>;
  /** Whether no connection is acquired or awaited right now. */
  idle(): boolean;
}

/** The same dialect, with a driver that reports and translates through `hooks`. */
export function instrumentDialect(dialect: KyselyDialect, hooks: DriverHooks): InstrumentedDialect {
  const drivers: InstrumentedDriver[] = [];
  return {
    dialect: {
      createDriver: () => {
        const driver = new InstrumentedDriver(dialect.createDriver(), hooks);
        drivers.push(driver);
        return driver;
      },
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
    },
    destroy: async () => {
      await Promise.all(drivers.map((driver) => driver.destroy()));
    },
    idle: () => drivers.every((driver) => driver.held === 0),
  };
}
