// Django's test databases: for each configured database, a fresh one made for this test
// process, migrated once with the apps' real migrations, configured under the same names so
// model code finds it, and dropped at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeDatabases,
  configureDatabases,
  type DatabaseSettings,
  database,
  parseDatabaseSettings,
} from '../db/connection/index.js';
import { type AppDefinition, CarafeError } from '../index.js';
import { createServerTestDatabase, testDatabaseBase } from './server-databases.js';

export interface TestDatabasesOptions {
  /** The project's apps (`config.apps`): their migrations build the test databases. */
  apps: readonly AppDefinition[];
  /**
   * The project's databases, as in `config.database`: a URL for `default`, or names to URLs
   * or settings. Each gets a test database of the same kind (and, on a server, the same
   * server and user). `sqlite://:memory:` when omitted.
   */
  databases?: string | Readonly<Record<string, string | DatabaseSettings>> | undefined;
  /**
   * Where SQLite test databases live: `'memory'` (default, the fastest), or `'file'`: a
   * temporary file, deleted at the end, for tests that hand the URL to another process.
   */
  sqlite?: 'memory' | 'file' | undefined;
}

export interface TestDatabases {
  /** The configured names (`default`, …), each now pointing at its test database. */
  readonly names: readonly string[];
  /** Each name's test database URL, to open it from another process or a second connection. */
  readonly urls: Readonly<Record<string, string>>;
  /** Closes the connections and drops the test databases. Safe to call twice. */
  destroy(): Promise<void>;
}

/** The one set of test databases of this process: the configured databases are process-wide. */
let active: TestDatabases | undefined;
/** Set while a set is being made, so that a second call cannot slip in meanwhile. */
let creating = false;

/** The names the transaction and flush helpers work on: `using`, or every test database. */
export function testDatabaseNames(using?: string | readonly string[]): readonly string[] {
  if (using !== undefined) return typeof using === 'string' ? [using] : using;
  return active?.names ?? ['default'];
}

interface Made {
  readonly url: string;
  remove(): Promise<void>;
}

type Settings = string | DatabaseSettings;

function entriesOf(options: TestDatabasesOptions): [string, Settings][] {
  const databases = options.databases ?? 'sqlite://:memory:';
  const entries: [string, Settings][] =
    typeof databases === 'string' ? [['default', databases]] : Object.entries(databases);
  if (!entries.some(([name]) => name === 'default')) {
    throw new CarafeError(
      'CARAFE_TEST_DATABASE_DEFAULT',
      `createTestDatabases() needs a "default" database; got ${entries.map(([name]) => `"${name}"`).join(', ') || 'none'}. ` +
        "Pass `databases: config.database`, a URL, or { default: 'postgres://…', … }.",
    );
  }
  return entries;
}

async function makeOne(
  name: string,
  settings: Settings,
  options: TestDatabasesOptions,
  taken: Set<string>,
): Promise<Made> {
  const url = typeof settings === 'string' ? settings : settings.url;
  const spec = parseDatabaseSettings(settings);
  if (spec.dialect !== 'sqlite') {
    const base = testDatabaseBase(name, spec.database);
    const made = await createServerTestDatabase(url, spec.dialect, base, taken);
    return { url: made.url, remove: () => made.drop() };
  }
  if (options.sqlite !== 'file') return { url: 'sqlite://:memory:', remove: async () => {} };
  const folder = mkdtempSync(join(tmpdir(), 'carafe-test-'));
  return {
    url: `sqlite://${join(folder, `${name}.sqlite3`)}`,
    remove: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** Removes everything, reporting the first failure after trying all. */
async function removeAll(made: readonly Made[]): Promise<void> {
  const results = await Promise.allSettled(made.map((one) => one.remove()));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

async function configureAndMigrate(
  entries: readonly [string, Settings][],
  urls: Readonly<Record<string, string>>,
  options: TestDatabasesOptions,
): Promise<void> {
  const configured = Object.fromEntries(
    entries.map(([name, settings]): [string, Settings] => {
      const url = urls[name] ?? '';
      return [name, typeof settings === 'string' ? url : { ...settings, url }];
    }),
  );
  configureDatabases(configured);
  // Loaded here: files that only count queries need not load the migration machinery.
  const { migrate } = await import('../db/migrations/index.js');
  for (const [name, settings] of entries) {
    const spec = parseDatabaseSettings(settings);
    // The URL's schema lives inside the database, which has only `public` when new.
    if (spec.dialect === 'postgres' && spec.schema !== undefined) {
      await database(name).raw(`CREATE SCHEMA IF NOT EXISTS "${spec.schema}"`);
    }
    await migrate({ apps: options.apps, using: name, output: () => {} });
  }
}

/**
 * Creates a test database for each of `databases`, configures them under the same names
 * (replacing whatever was configured) and migrates them. SQLite: in memory. PostgreSQL and
 * MariaDB: `test_<database>` on the same server, dropped first if a crashed run left it
 * (`test_<database>_2`, … while other test processes use it). One set per process at a time.
 */
export async function createTestDatabases(options: TestDatabasesOptions): Promise<TestDatabases> {
  if (active !== undefined || creating) {
    throw new CarafeError(
      'CARAFE_TEST_DATABASES_ACTIVE',
      'Test databases are already set up in this process (databases are configured process-wide). ' +
        'Call useTestDatabases() once per test file, or destroy() the first set before making another.',
    );
  }
  const entries = entriesOf(options);
  // Bad settings fail here, before anything is created.
  for (const [, settings] of entries) parseDatabaseSettings(settings);
  creating = true;
  try {
    const created = await create(entries, options);
    active = created;
    return created;
  } finally {
    creating = false;
  }
}

async function create(
  entries: readonly [string, Settings][],
  options: TestDatabasesOptions,
): Promise<TestDatabases> {
  const made: Made[] = [];
  const taken = new Set<string>();
  const urls: Record<string, string> = {};
  try {
    for (const [name, settings] of entries) {
      const one = await makeOne(name, settings, options, taken);
      made.push(one);
      urls[name] = one.url;
    }
    await configureAndMigrate(entries, urls, options);
  } catch (error) {
    await closeDatabases();
    await removeAll(made).catch(() => {});
    throw error;
  }
  let destroying: Promise<void> | undefined;
  const created: TestDatabases = {
    names: entries.map(([name]) => name),
    urls,
    destroy() {
      destroying ??= (async () => {
        try {
          await closeDatabases();
          await removeAll(made);
        } finally {
          if (active === created) active = undefined;
        }
      })();
      return destroying;
    },
  };
  return created;
}
