// The process-wide set of named databases: configured once at startup, looked up by name.
import { CarafeError } from '../../index.js';
import { Database } from './database.js';
import type { DatabaseSettings } from './settings.js';

let databases = new Map<string, Database>();

/**
 * Declares the databases the app uses. A string is the URL of the `default` database; an
 * object maps names to URLs or settings and must include `default`. Calling it again
 * replaces the set and closes the databases of the previous call.
 */
export function configureDatabases(
  settings: string | Record<string, string | DatabaseSettings>,
): void {
  const entries =
    typeof settings === 'string' ? [['default', settings] as const] : Object.entries(settings);
  if (!entries.some(([name]) => name === 'default')) {
    throw new CarafeError(
      'CARAFE_DB_DEFAULT_MISSING',
      `configureDatabases() needs a "default" database; got ${entries.length === 0 ? 'none' : entries.map(([name]) => `"${name}"`).join(', ')}. ` +
        "Pass a URL string, or { default: 'sqlite://db.sqlite3', … }.",
    );
  }
  // Build every database before replacing anything, so a bad URL leaves the old set in place.
  const configured = new Map(entries.map(([name, value]) => [name, new Database(name, value)]));
  const previous = databases;
  databases = configured;
  // Nobody can act on a failure to close a pool that is being thrown away.
  for (const old of previous.values()) old.close().catch(() => {});
}

/** The database configured under `name` (`default` when omitted). */
export function database(name = 'default'): Database {
  const found = databases.get(name);
  if (found !== undefined) return found;
  if (databases.size === 0) {
    throw new CarafeError(
      'CARAFE_DB_NOT_CONFIGURED',
      `No databases are configured, so "${name}" cannot be used. Set \`database\` in carafe.config.ts ` +
        "or call configureDatabases('sqlite://db.sqlite3') at startup.",
    );
  }
  throw new CarafeError(
    'CARAFE_DB_UNKNOWN',
    `There is no database named "${name}". Configured: ${[...databases.keys()].map((key) => `"${key}"`).join(', ')}. ` +
      'Add it to configureDatabases() or fix the name passed as `using`.',
  );
}

/** Closes every configured database and forgets them (for shutdown and test teardown). */
export async function closeDatabases(): Promise<void> {
  const closing = [...databases.values()].map((db) => db.close());
  databases = new Map();
  await Promise.all(closing);
}
