// Real databases for tests: each block gets its own, isolated from other test processes
// (a fresh PostgreSQL schema, a fresh MariaDB/MySQL database, or an in-memory SQLite file),
// configured as the app's databases so model code finds it.
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CarafeError } from '../index.js';
import {
  closeDatabases,
  configureDatabases,
  Database,
  type Dialect,
  database,
  describeLocation,
  parseDatabaseSettings,
} from '../db/connection/index.js';

export type SkipCheck = (dialect: Dialect) => Promise<false | string> | false | string;

export interface TestDatabaseOptions {
  /** Which dialects `forEachDatabase` covers; all three by default. */
  dialects?: readonly Dialect[];
  /** More names to configure besides `default`, each its own isolated database. */
  names?: readonly string[];
  /**
   * Server URLs to create the isolated databases on. Defaults: `CARAFE_TEST_POSTGRES_URL`
   * or `postgres://postgres@127.0.0.1:5432/test`; `CARAFE_TEST_MYSQL_URL` or
   * `mysql://root@127.0.0.1:3306/test`.
   */
  urls?: { postgres?: string; mysql?: string };
  /**
   * Decides whether a dialect's tests run: `false` to run, or the reason to skip. By default
   * a server that does not answer is skipped, except under `CI=true`, where that fails.
   */
  skip?: SkipCheck;
}

export interface TestDatabaseContext {
  readonly dialect: Dialect;
  /** The isolated database configured as `default`. */
  readonly database: Database;
  /** Every configured name (see `names`) to its isolated database. */
  readonly databases: Readonly<Record<string, Database>>;
  /** The URL of the `default` database, to open a second, independent `Database` on it. */
  readonly url: string;
}

export const allDialects: readonly Dialect[] = ['sqlite', 'postgres', 'mysql'];

function serverUrl(dialect: 'postgres' | 'mysql', options: TestDatabaseOptions): string {
  if (dialect === 'postgres') {
    return (
      options.urls?.postgres ??
      process.env.CARAFE_TEST_POSTGRES_URL ??
      'postgres://postgres@127.0.0.1:5432/test'
    );
  }
  return (
    options.urls?.mysql ?? process.env.CARAFE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
  );
}

/** The default skip check: try the server once. */
async function reachable(dialect: Dialect, options: TestDatabaseOptions): Promise<false | string> {
  if (dialect === 'sqlite') return false;
  const url = serverUrl(dialect, options);
  const probe = new Database('carafe_test_probe', url);
  try {
    await probe.raw('SELECT 1');
    return false;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const detail = cause instanceof Error ? cause.message : String(cause);
    const where = describeLocation(parseDatabaseSettings(url));
    const reason = `${dialect} is not reachable at ${where} (${detail}); its tests are skipped`;
    if (process.env.CI === 'true')
      throw new Error(`CI=true but ${reason.split(';')[0]}`, { cause: error });
    return reason;
  } finally {
    await probe.close();
  }
}

interface Provisioned {
  readonly context: TestDatabaseContext;
  teardown(): Promise<void>;
}

const isolatedName = (): string => `t_${randomBytes(6).toString('hex')}`;

async function dropIsolated(
  admin: Database,
  dialect: 'postgres' | 'mysql',
  names: readonly string[],
): Promise<void> {
  try {
    for (const name of names) {
      await admin.raw(
        dialect === 'postgres' ? `DROP SCHEMA ${name} CASCADE` : `DROP DATABASE ${name}`,
      );
    }
  } finally {
    await admin.close();
  }
}

/** Creates one isolated database per name on the server; returns each name's URL. */
async function createIsolated(
  admin: Database,
  dialect: 'postgres' | 'mysql',
  base: string,
  names: readonly string[],
  created: string[],
): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const name of names) {
    const isolated = isolatedName();
    const url = new URL(base);
    if (dialect === 'postgres') {
      await admin.raw(`CREATE SCHEMA ${isolated}`);
      url.searchParams.set('schema', isolated);
    } else {
      await admin.raw(`CREATE DATABASE ${isolated} CHARACTER SET utf8mb4`);
      url.pathname = `/${isolated}`;
    }
    created.push(isolated);
    urls[name] = url.href;
  }
  return urls;
}

interface Isolated {
  readonly urls: Record<string, string>;
  drop(): Promise<void>;
}

async function isolate(
  dialect: Dialect,
  options: TestDatabaseOptions,
  names: readonly string[],
): Promise<Isolated> {
  if (dialect === 'sqlite') {
    return {
      urls: Object.fromEntries(names.map((name) => [name, 'sqlite://:memory:'])),
      drop: async () => {},
    };
  }
  const base = serverUrl(dialect, options);
  const admin = new Database('carafe_test_admin', base);
  const created: string[] = [];
  const drop = () => dropIsolated(admin, dialect, created);
  try {
    return { urls: await createIsolated(admin, dialect, base, names, created), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** Creates the isolated databases, configures them, and knows how to drop them. */
async function provision(dialect: Dialect, options: TestDatabaseOptions): Promise<Provisioned> {
  const names = [...new Set(['default', ...(options.names ?? [])])];
  const { urls, drop } = await isolate(dialect, options, names);
  try {
    configureDatabases(urls);
  } catch (error) {
    await drop();
    throw error;
  }
  const databases = Object.fromEntries(names.map((name) => [name, database(name)]));
  return {
    context: { dialect, database: database(), databases, url: urls.default ?? '' },
    async teardown() {
      await closeDatabases();
      // The test may have configured other databases since; these are closed all the same.
      await Promise.all(Object.values(databases).map((db) => db.close()));
      await drop();
    },
  };
}

/** Runs `fn` with isolated databases of one dialect, then drops them. */
export async function withTestDatabase<T>(
  dialect: Dialect,
  fn: (context: TestDatabaseContext) => Promise<T>,
  options: TestDatabaseOptions = {},
): Promise<T> {
  const provisioned = await provision(dialect, options);
  try {
    return await fn(provisioned.context);
  } finally {
    await provisioned.teardown();
  }
}

function notReady(): CarafeError {
  return new CarafeError(
    'CARAFE_TEST_DATABASE_NOT_READY',
    'The test database is created in a before() hook: use ctx.database inside it(), before() or after(), ' +
      'not directly in the describe body.',
  );
}

/**
 * Defines `describe(\`${title} [${dialect}]\`)` for each dialect, each on its own isolated
 * database configured as `default`. A dialect whose server is unavailable is skipped with
 * one line saying why.
 */
export function forEachDatabase(
  title: string,
  body: (context: TestDatabaseContext) => void,
  options: TestDatabaseOptions = {},
): void {
  for (const dialect of options.dialects ?? allDialects) {
    describe(`${title} [${dialect}]`, async () => {
      const reason = await (options.skip ?? ((d: Dialect) => reachable(d, options)))(dialect);
      if (reason !== false) {
        it(`${dialect} tests`, { skip: reason }, () => {});
        return;
      }
      let provisioned: Provisioned | undefined;
      const ready = (): TestDatabaseContext => {
        if (provisioned === undefined) throw notReady();
        return provisioned.context;
      };
      before(async () => {
        provisioned = await provision(dialect, options);
      });
      after(async () => {
        await provisioned?.teardown();
      });
      body({
        dialect,
        get database() {
          return ready().database;
        },
        get databases() {
          return ready().databases;
        },
        get url() {
          return ready().url;
        },
      });
    });
  }
}
