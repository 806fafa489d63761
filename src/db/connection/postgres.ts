// PostgreSQL through a pg.Pool, with value parsing that is exact and independent of the
// server's and the process's time zones.
import pg from 'pg';
import {
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import { isConnectionError } from './errors.js';
import type { ServerSpec } from './settings.js';
import { exactInteger } from './values.js';

const oids = { int8: 20, int8Array: 1016, date: 1082, dateArray: 1182, timestamp: 1114, timestampArray: 1115 };

const parseTimestamptz: (text: string) => unknown = pg.types.getTypeParser(1184, 'text');

/** `timestamp without time zone` holds UTC wall time in Carafe; read it as such, not as local time. */
function utcTimestamp(text: string): unknown {
  if (text === 'infinity' || text === '-infinity') return parseTimestamptz(text);
  return parseTimestamptz(text.endsWith(' BC') ? `${text.slice(0, -3)}+00 BC` : `${text}+00`);
}

const keepText = (text: string): string => text;

const textParsers = new Map<number, (text: string) => unknown>([
  [oids.int8, exactInteger],
  [oids.int8Array, (text) => pg.types.arrayParser(text, exactInteger)],
  // A date is a calendar day, not an instant: keep 'YYYY-MM-DD' rather than a local-midnight Date.
  [oids.date, keepText],
  [oids.dateArray, (text) => pg.types.arrayParser(text, keepText)],
  [oids.timestamp, utcTimestamp],
  [oids.timestampArray, (text) => pg.types.arrayParser(text, utcTimestamp)],
]);

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format ?? 'text') === 'text'
      ? (textParsers.get(oid) ?? pg.types.getTypeParser(oid, 'text'))
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

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

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * pg can hand a client back to the pool before it has noticed that its socket died (the
 * server's error reply arrives before the close), and the next query would get the corpse.
 * A client whose query failed for connection reasons is therefore destroyed on release.
 */
class GuardedClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  #broken = false;

  constructor(client: pg.PoolClient) {
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
      throw new Error('Streaming PostgreSQL results needs a cursor class, which Carafe does not configure');
    }
    return this.#run<R>(sqlOrCursor, parameters);
  }

  async #run<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    try {
      const result = await this.#client.query(sqlText, [...parameters]);
      return { command: result.command as PostgresQueryResult<R>['command'], rowCount: result.rowCount ?? 0, rows: result.rows };
    } catch (error) {
      if (isConnectionError('postgres', error)) this.#broken = true;
      throw error;
    }
  }

  release(): void {
    this.#client.release(this.#broken);
  }
}

function guardedPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => new GuardedClient(await pool.connect()),
    end: () => pool.end(),
  };
}

export interface PostgresConnection {
  readonly dialect: PostgresDialect;
  readonly pool: pg.Pool;
}

export function createPostgres(spec: ServerSpec, onBrokenClient: (error: Error) => void): PostgresConnection {
  // Session settings travel in the startup packet, so every pooled client has them before its first query.
  const settingsOption = ['-c TimeZone=UTC'];
  if (spec.schema !== undefined) settingsOption.push(`-c search_path=${quoteIdentifier(spec.schema)}`);
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
    options: settingsOption.join(' '),
    types,
  });
  // A client whose socket dies emits 'error'. While checked out no pool listener is attached,
  // and an unhandled 'error' would crash the process; the failing query reports it instead,
  // and the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', onBrokenClient));
  // An idle client that dies is removed by the pool, which then emits this.
  pool.on('error', onBrokenClient);
  return { dialect: new PostgresDialect({ pool: guardedPool(pool) }), pool };
}
