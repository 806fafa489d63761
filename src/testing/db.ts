// 'carafe/testing/db': real test databases and query counting. Kept apart from 'carafe/testing'
// because it uses node:test's describe/before/after and loads the database layer.
export {
  allDialects,
  forEachDatabase,
  type TestDatabaseContext,
  type TestDatabaseOptions,
  withTestDatabase,
} from './databases.js';
export { assertNumQueries, type CaptureQueriesOptions, captureQueries } from './queries.js';
