export {
  closeDatabases,
  configureDatabases,
  Database,
  type DatabaseSchema,
  type DatabaseSettings,
  type Dialect,
  database,
  type QueryEvent,
  type QueryListener,
  type StatementCacheStats,
} from './connection/index.js';
export { atomic, inTransaction, onCommit, type TransactionOptions } from './transaction.js';
export {
  type ConnectOptions,
  type DeleteSignalPayload,
  type M2MChangeAction,
  type M2MChangedSignalPayload,
  m2mChanged,
  type ModelSignalPayload,
  postDelete,
  postSave,
  preDelete,
  preSave,
  type Receiver,
  type SaveSignalPayload,
  Signal,
  type SignalOptions,
} from './signals.js';
