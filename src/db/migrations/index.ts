// carafe/db/migrations: what migration files and the migration commands use.
export { type DbDefault, describeField, type FieldDescription } from './field-description.js';
export { FieldCode, Operation, type OperationCall } from './operations/operation.js';
export { type ModelState, type ModelStateOptions, modelStateOf, ProjectState } from './state.js';
