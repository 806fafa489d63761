// `op`: the operation constructors migration files call, and the operation classes behind them.
import type { Field } from '../../fields/field.js';
import { describeField } from '../field-description.js';
import { AddField, AlterField, type FillOption, RemoveField, RenameField } from './fields.js';
import {
  AddConstraint,
  AddIndex,
  AlterUniqueTogether,
  RemoveConstraint,
  RemoveIndex,
} from './indexes.js';
import {
  AlterModelTable,
  CreateModel,
  type CreateModelOptions,
  createModelState,
  DeleteModel,
  RenameModel,
} from './models.js';
import { type ConstraintInput, constraintSpec, type IndexInput } from './shared.js';
import { RunCode, type RunCodeFunction, RunSql, type RunSqlOptions } from './special.js';

export { AddField, AlterField, type FillOption, RemoveField, RenameField } from './fields.js';
export {
  AddConstraint,
  AddIndex,
  AlterUniqueTogether,
  RemoveConstraint,
  RemoveIndex,
} from './indexes.js';
export {
  AlterModelTable,
  CreateModel,
  type CreateModelOptions,
  createModelState,
  DeleteModel,
  RenameModel,
} from './models.js';
export { FieldCode, Operation, type OperationCall } from './operation.js';
export type { ConstraintInput, IndexInput } from './shared.js';
export {
  type HistoricalModel,
  type HistoricalModels,
  RunCode,
  type RunCodeContext,
  type RunCodeFunction,
  RunSql,
  type RunSqlOptions,
} from './special.js';

export const op = {
  createModel: (label: string, options: CreateModelOptions): CreateModel =>
    new CreateModel(createModelState(label, options)),
  deleteModel: (label: string): DeleteModel => new DeleteModel(label),
  /** With `table`, the table is renamed too. */
  renameModel: (
    oldLabel: string,
    newLabel: string,
    options: { table?: string } = {},
  ): RenameModel => new RenameModel(oldLabel, newLabel, options.table),
  alterModelTable: (label: string, table: string): AlterModelTable =>
    new AlterModelTable(label, table),
  addField: (label: string, name: string, field: Field, options: FillOption = {}): AddField =>
    new AddField(label, name, describeField(field, label), options.fill),
  removeField: (label: string, name: string): RemoveField => new RemoveField(label, name),
  /** `fill` replaces NULLs when the field becomes NOT NULL. */
  alterField: (label: string, name: string, field: Field, options: FillOption = {}): AlterField =>
    new AlterField(label, name, describeField(field, label), options.fill),
  renameField: (label: string, oldName: string, newName: string): RenameField =>
    new RenameField(label, oldName, newName),
  addIndex: (label: string, index: IndexInput): AddIndex => new AddIndex(label, index),
  removeIndex: (label: string, name: string): RemoveIndex => new RemoveIndex(label, name),
  addConstraint: (label: string, constraint: ConstraintInput): AddConstraint =>
    new AddConstraint(label, constraintSpec(constraint)),
  removeConstraint: (label: string, name: string): RemoveConstraint =>
    new RemoveConstraint(label, name),
  alterUniqueTogether: (
    label: string,
    groups: readonly (readonly string[])[],
  ): AlterUniqueTogether => new AlterUniqueTogether(label, groups),
  runSql: (options: RunSqlOptions): RunSql => new RunSql(options),
  runCode: (forward: RunCodeFunction, reverse?: RunCodeFunction): RunCode =>
    new RunCode(forward, reverse),
};
