// The `database` setting: the URL of the `default` database, or named databases as
// `configureDatabases()` takes them. Every URL is parsed when the config is resolved, so a typo
// stops the app at startup with the setting's name, not at the first query.
import { CarafeError, registerSetting, type SettingContext } from '../index.js';
import { type DatabaseSettings, parseDatabaseSettings, redactUrl } from './connection/index.js';
import type { ConnectionSpec } from './connection/settings.js';

export type { ConnectionSpec };

/** `'sqlite://db.sqlite3'`, or `{ default: url, replica: url | { url, pool } }`. */
export type DatabaseSetting = string | Readonly<Record<string, string | DatabaseSettings>>;

declare module '../index.js' {
  interface CarafeConfig {
    /**
     * `carafe/db`: the URL of the default database (`env('DATABASE_URL', 'sqlite://db.sqlite3')`),
     * or named databases `{ default: …, replica: … }`. The `carafe` command configures them.
     */
    database?: DatabaseSetting | undefined;
  }
  interface ResolvedConfig {
    /** As written, checked; `undefined` when the project has no database. */
    readonly database: DatabaseSetting | undefined;
  }
}

const exampleUrl = "'sqlite://db.sqlite3'";
const namePattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(redactUrl(value)) : typeof value;
}

function checkOne(value: unknown, path: string, context: SettingContext): void {
  const isSettings = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (typeof value !== 'string' && !isSettings) {
    context.fail(
      path,
      `must be a database URL or { url, pool } (got ${describe(value)})`,
      `Write a URL such as ${exampleUrl}; from the environment use env('DATABASE_URL', ${exampleUrl}).`,
    );
  }
  try {
    parseDatabaseSettings(value as string | DatabaseSettings);
  } catch (error) {
    if (!(error instanceof CarafeError)) throw error;
    context.fail(path, 'cannot be used', error.message);
  }
}

export function resolveDatabaseSetting(
  value: unknown,
  context: SettingContext,
): DatabaseSetting | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    checkOne(value, 'database', context);
    return value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return context.fail(
      'database',
      `must be a URL or an object of named databases (got ${describe(value)})`,
      `Write database: ${exampleUrl}, or database: { default: ${exampleUrl}, replica: '…' }.`,
    );
  }
  const entries = Object.entries(value);
  if (!entries.some(([name]) => name === 'default')) {
    context.fail(
      'database',
      `has no "default" database (got ${entries.map(([name]) => `"${name}"`).join(', ') || 'none'})`,
      `Name the main one default: database: { default: ${exampleUrl}, … }.`,
    );
  }
  for (const [name, entry] of entries) {
    if (!namePattern.test(name)) {
      context.fail(
        `database.${name}`,
        'is not a usable database name',
        'Use letters, digits, "_" and "-", such as default or replica.',
      );
    }
    checkOne(entry, `database.${name}`, context);
  }
  return Object.freeze(Object.fromEntries(entries)) as Readonly<
    Record<string, string | DatabaseSettings>
  >;
}

registerSetting('database', { resolve: resolveDatabaseSetting });

/**
 * How to reach the database named `name` in a `database` setting (host, port, user, file…),
 * for tools such as `carafe dbshell`; `undefined` when there is no such database.
 */
export function connectionParameters(
  setting: DatabaseSetting | undefined,
  name = 'default',
): ConnectionSpec | undefined {
  const entry =
    setting === undefined
      ? undefined
      : typeof setting === 'string'
        ? name === 'default'
          ? setting
          : undefined
        : setting[name];
  return entry === undefined ? undefined : parseDatabaseSettings(entry);
}
