// 'carafe/testing/db': real test databases and query counting. Kept apart from 'carafe/testing'
// because it uses node:test's describe/before/after and loads the database layer.
export {
  allDialects,
  forEachDatabase,
  type TestDatabaseContext,
  type TestDatabaseOptions,
  withTestDatabase,
} from './databases.js';
export { flushDatabases } from './flush.js';
export {
  type DatabaseTest,
  type DatabaseTestFn,
  type DatabaseTestOptions,
  it,
  test,
  useTestDatabases,
} from './node-test.js';
export { assertNumQueries, type CaptureQueriesOptions, captureQueries } from './queries.js';
export {
  type CaptureOnCommitOptions,
  captureOnCommitCallbacks,
  inRollback,
  type RollbackOptions,
} from './rollback.js';
export {
  createTestDatabases,
  type TestDatabases,
  type TestDatabasesOptions,
} from './test-databases.js';
