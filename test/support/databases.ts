// The repository's own tests run against the local servers, skipping (or, under CI=true,
// failing) through serviceSkip like every other service-backed test.
import type { Dialect } from '../../src/db/connection/index.js';
import {
  forEachDatabase as forEachTestDatabase,
  type TestDatabaseContext,
  type TestDatabaseOptions,
} from '../../src/testing/databases.js';
import { serviceSkip } from './services.js';

// A single database for one test; an unreachable server makes it throw, which is the point there.
export { withTestDatabase } from '../../src/testing/databases.js';
export type { TestDatabaseContext, TestDatabaseOptions };

function skip(dialect: Dialect): Promise<false | string> | false {
  if (dialect === 'sqlite') return false;
  return serviceSkip(dialect === 'mysql' ? 'mariadb' : 'postgres');
}

export function forEachDatabase(
  title: string,
  body: (context: TestDatabaseContext) => void,
  options: Omit<TestDatabaseOptions, 'skip'> = {},
): void {
  forEachTestDatabase(title, body, { ...options, skip });
}
