// Turns a database URL (plus optional settings) into a checked, dialect-specific spec.
// Every mistake is reported here, at configuration time, never at the first query.
import { isAbsolute, resolve } from 'node:path';
import { CarafeError } from '../../index.js';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export interface DatabaseSettings {
  url: string;
  pool?: { max?: number; idleTimeoutMs?: number };
  /** SQLite only: how many prepared statements to keep (LRU keyed by SQL). 0 turns the cache off. */
  statementCache?: number;
}

export interface SqliteSpec {
  readonly dialect: 'sqlite';
  /** An absolute file path, or `:memory:`. */
  readonly filename: string;
  readonly statementCache: number;
}

export interface ServerSpec {
  readonly dialect: 'postgres' | 'mysql';
  /** A host name, or the directory / file of a Unix socket (starts with `/`). */
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly database: string | undefined;
  readonly max: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** PostgreSQL only: the schema put first on `search_path`. */
  readonly schema: string | undefined;
  /** `false`, or TLS with (`verify`) or without certificate checks. */
  readonly tls: false | 'verify' | 'no-verify';
}

export type ConnectionSpec = SqliteSpec | ServerSpec;

const acceptedUrlForms = [
  'sqlite://relative/path.sqlite3',
  'sqlite:///absolute/path.sqlite3',
  'sqlite://:memory:',
  'postgres://user:password@host:5432/database (or postgresql://)',
  'mysql://user:password@host:3306/database (or mariadb://)',
];

const defaults = { max: 10, idleTimeoutMs: 10_000, connectTimeoutMs: 10_000, statementCache: 200 };

const optionsByDialect: Record<Dialect, readonly string[]> = {
  sqlite: ['statementCache'],
  postgres: ['max', 'idleTimeoutMs', 'connectTimeoutMs', 'schema', 'sslmode'],
  mysql: ['max', 'idleTimeoutMs', 'connectTimeoutMs', 'ssl'],
};

/** Hides the password of a URL-shaped string so it can be shown in an error message. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/i, '$1:***@');
}

function urlError(url: string, problem: string): CarafeError {
  return new CarafeError(
    'CARAFE_DB_URL',
    `Invalid database URL "${redactUrl(url)}": ${problem}. Accepted forms: ${acceptedUrlForms.join(', ')}; ` +
      'options go in the query string, e.g. ?max=10.',
  );
}

function dialectOf(scheme: string): Dialect | undefined {
  switch (scheme) {
    case 'sqlite:':
      return 'sqlite';
    case 'postgres:':
    case 'postgresql:':
      return 'postgres';
    case 'mysql:':
    case 'mariadb:':
      return 'mysql';
    default:
      return undefined;
  }
}

function wholeNumber(url: string, name: string, text: string | number, min: number): number {
  const value = typeof text === 'number' ? text : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw urlError(url, `option ${name} must be a whole number ≥ ${min}, got "${text}"`);
  }
  return value;
}

function readOptions(url: string, dialect: Dialect, query: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(query)) {
    if (!optionsByDialect[dialect].includes(key)) {
      throw urlError(
        url,
        `unknown option "${key}" for ${dialect} (accepted: ${optionsByDialect[dialect].join(', ')})`,
      );
    }
    options.set(key, value);
  }
  return options;
}

function decode(url: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw urlError(url, `"${part}" is not valid percent-encoding`);
  }
}

function sqliteSpec(url: string, settings: DatabaseSettings): SqliteSpec {
  const rest = url.slice('sqlite://'.length);
  const queryAt = rest.indexOf('?');
  const location = decode(url, queryAt === -1 ? rest : rest.slice(0, queryAt));
  const options = readOptions(url, 'sqlite', queryAt === -1 ? '' : rest.slice(queryAt + 1));
  if (location === '') throw urlError(url, 'the SQLite file path is missing');
  const filename =
    location === ':memory:' ? location : isAbsolute(location) ? location : resolve(location);
  const cacheOption = options.get('statementCache');
  const statementCache =
    settings.statementCache !== undefined
      ? wholeNumber(url, 'statementCache', settings.statementCache, 0)
      : cacheOption !== undefined
        ? wholeNumber(url, 'statementCache', cacheOption, 0)
        : defaults.statementCache;
  return { dialect: 'sqlite', filename, statementCache };
}

function tlsOption(
  url: string,
  dialect: 'postgres' | 'mysql',
  options: Map<string, string>,
): ServerSpec['tls'] {
  const value = dialect === 'postgres' ? options.get('sslmode') : options.get('ssl');
  if (value === undefined) return false;
  const modes: Record<string, ServerSpec['tls']> =
    dialect === 'postgres'
      ? { disable: false, require: 'verify', 'verify-full': 'verify', 'no-verify': 'no-verify' }
      : { false: false, true: 'verify', 'no-verify': 'no-verify' };
  const mode = modes[value];
  if (mode === undefined) {
    const name = dialect === 'postgres' ? 'sslmode' : 'ssl';
    throw urlError(
      url,
      `option ${name} must be one of ${Object.keys(modes).join(', ')}, got "${value}"`,
    );
  }
  return mode;
}

function serverSpec(
  url: string,
  dialect: 'postgres' | 'mysql',
  settings: DatabaseSettings,
): ServerSpec {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw urlError(url, 'it cannot be parsed as a URL');
  }
  const host = decode(url, parsed.hostname);
  if (host === '') throw urlError(url, 'the host is missing');
  const path = decode(url, parsed.pathname.replace(/^\//, ''));
  if (path.includes('/')) throw urlError(url, `"${path}" is not a database name`);
  const options = readOptions(url, dialect, parsed.search);
  const number = (
    name: 'max' | 'idleTimeoutMs' | 'connectTimeoutMs',
    fromSettings: number | undefined,
    min: number,
  ) => {
    if (fromSettings !== undefined) return wholeNumber(url, name, fromSettings, min);
    const text = options.get(name);
    return text === undefined ? defaults[name] : wholeNumber(url, name, text, min);
  };
  const schema = options.get('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(schema)) {
    throw urlError(url, `option schema must be a plain identifier, got "${schema}"`);
  }
  return {
    dialect,
    host,
    port: parsed.port === '' ? (dialect === 'postgres' ? 5432 : 3306) : Number(parsed.port),
    user: parsed.username === '' ? undefined : decode(url, parsed.username),
    password: parsed.password === '' ? undefined : decode(url, parsed.password),
    database: path === '' ? undefined : path,
    max: number('max', settings.pool?.max, 1),
    idleTimeoutMs: number('idleTimeoutMs', settings.pool?.idleTimeoutMs, 0),
    connectTimeoutMs: number('connectTimeoutMs', undefined, 1),
    schema,
    tls: tlsOption(url, dialect, options),
  };
}

/** Checks a URL or settings object and returns everything needed to open the database. */
export function parseDatabaseSettings(settings: string | DatabaseSettings): ConnectionSpec {
  const resolved = typeof settings === 'string' ? { url: settings } : settings;
  const url: unknown = resolved.url;
  if (typeof url !== 'string' || url === '') {
    throw new CarafeError(
      'CARAFE_DB_URL',
      `A database needs a URL string, got ${typeof url === 'string' ? 'an empty string' : typeof url}. ` +
        `Accepted forms: ${acceptedUrlForms.join(', ')}.`,
    );
  }
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url)?.[1]?.toLowerCase();
  const dialect = scheme === undefined ? undefined : dialectOf(scheme);
  if (dialect === undefined) {
    throw urlError(
      url,
      scheme === undefined ? 'it has no scheme://' : `the scheme "${scheme}//" is not supported`,
    );
  }
  return dialect === 'sqlite' ? sqliteSpec(url, resolved) : serverSpec(url, dialect, resolved);
}

/** Where a spec points, for error messages (never includes the password). */
export function describeLocation(spec: ConnectionSpec): string {
  if (spec.dialect === 'sqlite') return spec.filename;
  const user = spec.user === undefined ? '' : `${spec.user}@`;
  return `${spec.dialect}://${user}${spec.host}:${spec.port}/${spec.database ?? ''}`;
}
