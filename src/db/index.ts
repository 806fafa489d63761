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
export {
  type ConnectOptions,
  type DeleteSignalPayload,
  type M2MChangeAction,
  type M2MChangedSignalPayload,
  type ModelSignalPayload,
  m2mChanged,
  postDelete,
  postSave,
  preDelete,
  preSave,
  type Receiver,
  type SaveSignalPayload,
  Signal,
  type SignalOptions,
} from './signals.js';
export { atomic, inTransaction, onCommit, type TransactionOptions } from './transaction.js';
export { type ConnectionSpec, connectionParameters, type DatabaseSetting } from './settings.js';
// Models, fields and queries.
export {
  MultipleObjectsReturned,
  ObjectDoesNotExist,
  ProtectedError,
  type FieldErrors,
  ValidationError,
} from './errors.js';
export type { Field, FieldKind } from './fields/field.js';
export { f, type ForeignKeyOptions, type ManyToManyOptions, type RelationFieldTypes } from './fields/builders.js';
export type { OnDelete, RelationField } from './fields/relation.js';
export type { Family, Validator } from './fields/types.js';
export * as validators from './fields/validators.js';
export { isInstance, ModelInstance } from './instance.js';
export type { ModelMeta, ReverseRelation } from './meta.js';
export { model, type ModelClass, type ModelOptions } from './model.js';
export type {
  AnyModel,
  CreateInput,
  DeleteResult,
  Instance,
  InstanceOf,
  PkValue,
  Row,
  SaveOptions,
  UpdateInput,
} from './model-types.js';
export type {
  PrefetchName,
  RegisteredModels,
  RelatedManager,
  SelectPath,
} from './relation-types.js';
export { allModels, getModel } from './registry.js';
export {
  type Aggregate,
  type Arithmetic,
  Avg,
  Count,
  type Expression,
  F,
  type FieldRef,
  Max,
  Min,
  Now,
  Sum,
} from './query/expressions.js';
export { Q, type QNode } from './query/q.js';
export { QuerySet } from './query/queryset.js';
export type { AggregatePath, Condition, FieldPath, OrderKey, ValueAt, Where } from './query/types.js';
export { createTables, dropTables } from './schema.js';
export { type SwappableRef, swapModel, swappableModel, swappedModel } from './swappable.js';
export { atomicRequest } from './atomic-request.js';
