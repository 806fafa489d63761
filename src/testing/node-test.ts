// The test databases on node:test: `useTestDatabases()` for the file's before/after hooks, and
// `test`/`it` that run each body in its own rolled-back transaction. A transaction opened in a
// beforeEach hook would not reach the test: node:test runs hooks and tests in separate async
// contexts, and the transaction follows the async context. So the wrapper runs the body itself.
import { after, before, test as nodeTest, type TestContext, type TestOptions } from 'node:test';
import { CarafeError } from '../index.js';
import { flushDatabases } from './flush.js';
import { inRollback } from './rollback.js';
import {
  createTestDatabases,
  type TestDatabases,
  type TestDatabasesOptions,
} from './test-databases.js';

/**
 * Creates the test databases in a `before` hook and drops them in an `after` hook of the
 * current file (or `describe` block); the returned handle is usable once they ran.
 */
export function useTestDatabases(options: TestDatabasesOptions): TestDatabases {
  let created: TestDatabases | undefined;
  const ready = (): TestDatabases => {
    if (created !== undefined) return created;
    throw new CarafeError(
      'CARAFE_TEST_DATABASE_NOT_READY',
      'The test databases are created in a before() hook: read them inside a test or a hook, ' +
        'not directly in the file or describe body.',
    );
  };
  before(async () => {
    created = await createTestDatabases(options);
  });
  after(async () => {
    await created?.destroy();
  });
  return {
    get names() {
      return ready().names;
    },
    get urls() {
      return ready().urls;
    },
    destroy: () => ready().destroy(),
  };
}

export interface DatabaseTestOptions extends TestOptions {
  /**
   * `true` (default): the body runs in a transaction rolled back at its end. `false`, for
   * code that must really commit (or checks it runs outside a transaction): the tables are
   * emptied after the test instead, which is slower.
   */
  transaction?: boolean | undefined;
  /** The databases to roll back or empty; every test database when omitted. */
  using?: string | readonly string[] | undefined;
}

export type DatabaseTestFn = (t: TestContext) => unknown;

/** Runs one test body with the database clean-up `options` ask for. */
export async function runDatabaseTest(
  fn: () => unknown,
  options: Pick<DatabaseTestOptions, 'transaction' | 'using'> = {},
): Promise<void> {
  const using = options.using;
  if (options.transaction !== false) {
    await inRollback(fn, { using });
    return;
  }
  try {
    await fn();
  } finally {
    await flushDatabases({ using });
  }
}

function define(
  name: string,
  optionsOrFn: DatabaseTestOptions | DatabaseTestFn,
  maybeFn: DatabaseTestFn | undefined,
  forced: TestOptions,
): Promise<void> {
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  const { transaction, using, ...testOptions } = options;
  return nodeTest(name, { ...testOptions, ...forced }, async (t) => {
    if (fn !== undefined) await runDatabaseTest(() => fn(t), { transaction, using });
  });
}

export interface DatabaseTest {
  (name: string, fn: DatabaseTestFn): Promise<void>;
  (name: string, options: DatabaseTestOptions, fn: DatabaseTestFn): Promise<void>;
  skip(name: string, fn?: DatabaseTestFn): Promise<void>;
  skip(name: string, options: DatabaseTestOptions, fn?: DatabaseTestFn): Promise<void>;
  todo(name: string, fn?: DatabaseTestFn): Promise<void>;
  todo(name: string, options: DatabaseTestOptions, fn?: DatabaseTestFn): Promise<void>;
  only(name: string, fn: DatabaseTestFn): Promise<void>;
  only(name: string, options: DatabaseTestOptions, fn: DatabaseTestFn): Promise<void>;
}

function variant(forced: TestOptions) {
  return (
    name: string,
    optionsOrFn: DatabaseTestOptions | DatabaseTestFn = {},
    fn?: DatabaseTestFn,
  ): Promise<void> => define(name, optionsOrFn, fn, forced);
}

/**
 * node:test's `test`, with the body in a transaction rolled back at its end (Django's
 * TestCase): rows it creates are gone for the next test, even when it fails. `onCommit()`
 * callbacks are dropped (see `captureOnCommitCallbacks`). `{ transaction: false }` opts out.
 */
export const test: DatabaseTest = Object.assign(variant({}), {
  skip: variant({ skip: true }),
  todo: variant({ todo: true }),
  only: variant({ only: true }),
});

/** The same as `test`, for `describe`/`it` style. */
export const it: DatabaseTest = test;
