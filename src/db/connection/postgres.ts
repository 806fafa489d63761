// PostgreSQL through a pg.Pool, with value parsing that is exact and independent of the
// server's and the process's time zones. `pg` is loaded on first use, so apps on another
// dialect never pay for it.
import {
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import type pgModule from 'pg';
import type { CustomTypesConfig, Pool, PoolClient } from 'pg';
import { isConnectionError } from './errors.js';
import type { ServerSpec } from './settings.js';
import { exactInteger } from './values.js';

type PgTypes = typeof pgModule.types;

const oids = {
  int8: 20,
  int8Array: 1016,
  date: 1082,
  dateArray: 1182,
  timestamp: 1114,
  timestampArray: 1115,
  timestamptz: 1184,
  textArray: 1009,
};

function carafeTypes(pgTypes: PgTypes): CustomTypesConfig {
  const parseTimestamptz: (text: string) => unknown = pgTypes.getTypeParser(
    oids.timestamptz,
    'text',
  );
  const parseTextArray: (text: string) => unknown = pgTypes.getTypeParser(oids.textArray, 'text');

  /** `timestamp without time zone` holds UTC wall time in Carafe; read it as such, not as local time. */
  const utcTimestamp = (text: string): unknown => {
    if (text === 'infinity' || text === '-infinity') return parseTimestamptz(text);
    return parseTimestamptz(text.endsWith(' BC') ? `${text.slice(0, -3)}+00 BC` : `${text}+00`);
  };

  /** Parses an array literal (of any depth) as text, then each non-null element with `parse`. */
  const arrayOf = (parse: (text: string) => unknown): ((text: string) => unknown) => {
    const convert = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(convert) : typeof value === 'string' ? parse(value) : value;
    return (text) => convert(parseTextArray(text));
  };

  const keepText = (text: string): string => text;

  const textParsers = new Map<number, (text: string) => unknown>([
    [oids.int8, exactInteger],
    [oids.int8Array, arrayOf(exactInteger)],
    // A date is a calendar day, not an instant: keep 'YYYY-MM-DD' rather than a local-midnight Date.
    [oids.date, keepText],
    [oids.dateArray, arrayOf(keepText)],
    [oids.timestamp, utcTimestamp],
    [oids.timestampArray, arrayOf(utcTimestamp)],
  ]);

  return {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      (format ?? 'text') === 'text'
        ? (textParsers.get(oid) ?? pgTypes.getTypeParser(oid, 'text'))
        : pgTypes.getTypeParser(oid, format),
  };
}

/**
 * Date parameters go over the wire as UTC ISO strings: pg would otherwise format them in
 * the process's local zone, which a `timestamp without time zone` column would keep.
 */
export function postgresParameters(parameters: readonly unknown[]): readonly unknown[] {
  let converted: unknown[] | undefined;
  for (let i = 0; i < parameters.length; i++) {
    const value = parameters[i];
    if (!(value instanceof Date)) continue;
    converted ??= [...parameters];
    converted[i] = Number.isNaN(value.getTime()) ? value : value.toISOString();
  }
  return converted ?? parameters;
}

// Server-side prepared statements for the ORM's read templates: each pooled connection parses
// and plans a template's SQL once, as a hand-written driver call with a statement name would.
// Bounded, because every connection keeps every statement it has prepared.
const maxPrepared = 500;
const statementNames = new Map<string, string>();
// Names are never reused: pg refuses a name it has prepared for other SQL on that connection.
let nameCount = 0;
const nextName = () => `carafe_${nameCount++}`;

/** Marks SQL text as worth preparing (it will be run many times with different parameters). */
export function preferPrepared(sqlText: string): void {
  if (statementNames.size < maxPrepared && !statementNames.has(sqlText)) {
    statementNames.set(sqlText, nextName());
  }
}

/**
 * A prepared statement goes stale when a migration changes a table its result comes from
 * ("cached plan must not change result type"), or a pooler discards it. Renaming the
 * statement makes every connection prepare it afresh.
 */
function isStalePreparedStatement(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '0A000' || code === '26000';
}

function renameStatement(sqlText: string): void {
  statementNames.set(sqlText, nextName());
}

/** Runs SQL on a client or the pool, as a named statement when the SQL is marked for it. */
async function queryPrepared(
  runner: Pool | PoolClient,
  sqlText: string,
  parameters: ReadonlyArray<unknown>,
) {
  const name = statementNames.get(sqlText);
  if (name === undefined) return runner.query(sqlText, [...parameters]);
  try {
    return await runner.query({ name, text: sqlText, values: [...parameters] });
  } catch (error) {
    if (!isStalePreparedStatement(error)) throw error;
    renameStatement(sqlText);
    return runner.query({
      name: statementNames.get(sqlText),
      text: sqlText,
      values: [...parameters],
    });
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * pg can hand a client back to the pool before it has noticed that its socket died (the
 * server's error reply arrives before the close), and the next query would get the corpse.
 * A client whose query failed for connection reasons is therefore destroyed on release.
 */
class GuardedClient implements PostgresPoolClient {
  readonly #client: PoolClient;
  #broken = false;

  constructor(client: PoolClient) {
    this.#client = client;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') {
      // Kysely only streams with a cursor class configured in the dialect, and Carafe configures none.
      throw new Error(
        'Streaming PostgreSQL results needs a cursor class, which Carafe does not configure',
      );
    }
    return this.#run<R>(sqlOrCursor, parameters);
  }

  async #run<R>(
    sqlText: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    try {
      const result = await this.#query(sqlText, parameters);
      return {
        command: result.command as PostgresQueryResult<R>['command'],
        rowCount: result.rowCount ?? 0,
        rows: result.rows,
      };
    } catch (error) {
      if (isConnectionError('postgres', error)) this.#broken = true;
      throw error;
    }
  }

  #query(sqlText: string, parameters: ReadonlyArray<unknown>) {
    return queryPrepared(this.#client, sqlText, parameters);
  }

  release(): void {
    this.#client.release(this.#broken);
  }
}

function guardedPool(pool: Pool, onOpen: (pool: Pool) => void): PostgresPool {
  onOpen(pool);
  return {
    connect: async () => new GuardedClient(await pool.connect()),
    end: () => pool.end(),
  };
}

async function openPool(
  spec: ServerSpec,
  onBrokenClient: (error: Error) => void,
  onOpen: (pool: Pool) => void,
): Promise<PostgresPool> {
  const { default: pg } = await import('pg');
  // Session settings travel in the startup packet, so every pooled client has them before its first query.
  const sessionOptions = ['-c TimeZone=UTC'];
  if (spec.schema !== undefined)
    sessionOptions.push(`-c search_path=${quoteIdentifier(spec.schema)}`);
  const pool = new pg.Pool({
    host: spec.host,
    port: spec.port,
    user: spec.user,
    password: spec.password,
    database: spec.database,
    max: spec.max,
    idleTimeoutMillis: spec.idleTimeoutMs,
    connectionTimeoutMillis: spec.connectTimeoutMs,
    ssl: spec.tls === false ? false : { rejectUnauthorized: spec.tls === 'verify' },
    options: sessionOptions.join(' '),
    types: carafeTypes(pg.types),
  });
  // A client whose socket dies emits 'error'. While checked out no pool listener is attached,
  // and an unhandled 'error' would crash the process; the failing query reports it instead,
  // and the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', onBrokenClient));
  // An idle client that dies is removed by the pool, which then emits this.
  pool.on('error', onBrokenClient);
  return guardedPool(pool, onOpen);
}

export interface PostgresConnection {
  readonly dialect: PostgresDialect;
  /**
   * Runs a read straight on the pool (pg checks a client out and back in itself), skipping
   * Kysely's connection hand-off — or `undefined` before the pool exists. Only for reads
   * outside a transaction: the caller checks.
   */
  readPooled(sqlText: string, parameters: readonly unknown[]): Promise<unknown[]> | undefined;
}

/** The pool is created on the first query. */
export function createPostgres(
  spec: ServerSpec,
  onBrokenClient: (error: Error) => void,
): PostgresConnection {
  let opened: Pool | undefined;
  const dialect = new PostgresDialect({
    pool: () =>
      openPool(spec, onBrokenClient, (pool) => {
        opened = pool;
      }),
  });
  return {
    dialect,
    readPooled: (sqlText, parameters) =>
      opened === undefined
        ? undefined
        : queryPrepared(opened, sqlText, parameters).then((result) => result.rows),
  };
}
