// The connection layer of carafe/db: named databases, their pools, and the current transaction.
export {
  type CommitCallback,
  currentTransaction,
  isOpen,
  runInTransaction,
  type TransactionFrame,
} from './context.js';
export { Database, type DatabaseSchema, type QueryListener } from './database.js';
export type { QueryEvent } from './instrumented-driver.js';
export { preferPrepared } from './postgres.js';
export { closeDatabases, configureDatabases, database } from './registry.js';
export {
  type DatabaseSettings,
  type Dialect,
  describeLocation,
  parseDatabaseSettings,
  redactUrl,
} from './settings.js';
export type { ReadShape, StatementCacheStats } from './sqlite.js';
