// carafe/db/migrations: what migration files and the migration commands use.
export { type DbDefault, describeField, type FieldDescription } from './field-description.js';
export { FieldCode, Operation, type OperationCall } from './operations/operation.js';
export { type ModelState, type ModelStateOptions, modelStateOf, ProjectState } from './state.js';
export {
  AddConstraint,
  AddField,
  AddIndex,
  AlterField,
  AlterModelTable,
  AlterUniqueTogether,
  type ConstraintInput,
  CreateModel,
  type CreateModelOptions,
  createModelState,
  DeleteModel,
  type FillOption,
  type HistoricalModel,
  type HistoricalModels,
  type IndexInput,
  op,
  RemoveConstraint,
  RemoveField,
  RemoveIndex,
  RenameField,
  RenameModel,
  RunCode,
  type RunCodeContext,
  type RunCodeFunction,
  RunSql,
  type RunSqlOptions,
} from './operations/index.js';
export { type NamedIndex, type SchemaEditor } from './schema-editor/editor.js';
export { createSchemaEditor, type SchemaEditorOptions } from './schema-editor/index.js';
export {
  type Migration,
  type MigrationDefinition,
  type MigrationDependency,
  type MigrationKey,
  migration,
} from './migration.js';
export {
  type SwappableDependency,
  type SwappableRef,
  swappable,
  swappableDependency,
} from '../swappable.js';
export { type AppChanges, type DetectOptions, detectChanges } from './autodetector.js';
export {
  type FillReason,
  type NonInteractiveOptions,
  type NonInteractiveQuestioner,
  nonInteractiveQuestioner,
  type Questioner,
} from './questioner.js';
export { type InteractiveOptions, interactiveQuestioner } from './interactive-questioner.js';
export { migrationName, nextNumber, suggestName } from './naming.js';
export { migrationSource, type WriteOptions } from './writer.js';
export {
  type MakeMigrationsOptions,
  type MakeMigrationsResult,
  makemigrations,
  type WrittenMigration,
} from './commands/makemigrations.js';
export {
  type MigrateOptions,
  type MigrateResult,
  type MigrateStep,
  migrate,
} from './commands/migrate.js';
export type { CommandOptions, CommandResult } from './commands/shared.js';
export {
  type ShowMigrationsOptions,
  type ShowMigrationsResult,
  type ShownMigration,
  showmigrations,
} from './commands/showmigrations.js';
export {
  type SqlMigrateOptions,
  type SqlMigrateResult,
  sqlmigrate,
} from './commands/sqlmigrate.js';
export {
  type SquashMigrationsOptions,
  type SquashMigrationsResult,
  squashmigrations,
} from './commands/squashmigrations.js';
export { type PostMigratePayload, postMigrate } from './post-migrate.js';
