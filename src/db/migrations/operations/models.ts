// CreateModel, DeleteModel, RenameModel, AlterModelTable.
import { CarafeError } from '../../../index.js';
import type { Field } from '../../fields/field.js';
import { describeField, type FieldDescription } from '../field-description.js';
import type { SchemaEditor } from '../schema-editor/editor.js';
import type { ModelState, ProjectState } from '../state.js';
import { FieldCode, Operation, type OperationCall } from './operation.js';
import {
  type ConstraintInput,
  constraintInput,
  constraintSpec,
  type IndexInput,
  indexInput,
  tablesOf,
  withChanges,
} from './shared.js';

export interface CreateModelOptions {
  readonly table: string;
  /** Field name → field, the primary key included (an `id` big auto key is added if none is). */
  readonly fields: Readonly<Record<string, Field>>;
  readonly indexes?: readonly IndexInput[];
  readonly uniqueTogether?: readonly (readonly string[])[];
  readonly constraints?: readonly ConstraintInput[];
}

/** The model state `op.createModel(label, options)` describes. */
export function createModelState(label: string, options: CreateModelOptions): ModelState {
  const fields = new Map<string, FieldDescription>();
  const entries = Object.entries(options.fields);
  if (!entries.some(([, field]) => field.primaryKey))
    fields.set('id', { kind: 'bigAuto', primaryKey: true });
  for (const [name, field] of entries) fields.set(name, describeField(field, label));
  return {
    label,
    table: options.table,
    fields,
    options: {
      indexes: (options.indexes ?? []).map((index) => ({ ...index })),
      uniqueTogether: options.uniqueTogether ?? [],
      constraints: (options.constraints ?? []).map(constraintSpec),
    },
  };
}

function absent(state: ProjectState, label: string, what: string): void {
  if (state.models.has(label)) {
    throw new CarafeError(
      'CARAFE_MIGRATION_DUPLICATE_MODEL',
      `${what}: a model "${label}" already exists at this point of the migration history.`,
    );
  }
}

export class CreateModel extends Operation {
  constructor(readonly state: ModelState) {
    super();
  }

  get label(): string {
    return this.state.label;
  }

  stateForwards(state: ProjectState): void {
    absent(state, this.label, `Create model ${this.label}`);
    state.put(this.state);
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.createModel(to.meta(this.label), tablesOf(from));
  }

  async databaseBackwards(editor: SchemaEditor, from: ProjectState): Promise<void> {
    await editor.deleteModel(from.meta(this.label));
  }

  describe(): string {
    return `Create model ${this.label}`;
  }

  toCall(): OperationCall {
    const { table, fields, options } = this.state;
    return {
      name: 'createModel',
      args: [
        this.label,
        {
          table,
          fields: Object.fromEntries([...fields].map(([name, d]) => [name, new FieldCode(d)])),
          ...(options.indexes.length > 0 && { indexes: options.indexes.map(indexInput) }),
          ...(options.uniqueTogether.length > 0 && { uniqueTogether: options.uniqueTogether }),
          ...(options.constraints.length > 0 && {
            constraints: options.constraints.map(constraintInput),
          }),
        },
      ],
    };
  }
}

export class DeleteModel extends Operation {
  constructor(readonly label: string) {
    super();
  }

  stateForwards(state: ProjectState): void {
    state.model(this.label);
    for (const other of state.models.values()) {
      if (other.label === this.label) continue;
      for (const [name, field] of other.fields) {
        if (field.to === this.label || field.through === this.label) {
          throw new CarafeError(
            'CARAFE_MIGRATION_MODEL_IN_USE',
            `Delete model ${this.label}: ${other.label}.${name} still points at it; remove or alter that field first.`,
          );
        }
      }
    }
    state.remove(this.label);
  }

  async databaseForwards(editor: SchemaEditor, from: ProjectState): Promise<void> {
    await editor.deleteModel(from.meta(this.label));
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.createModel(to.meta(this.label), tablesOf(from));
  }

  describe(): string {
    return `Delete model ${this.label}`;
  }

  toCall(): OperationCall {
    return { name: 'deleteModel', args: [this.label] };
  }
}

/** Labels of the models with a many-to-many field pointing at `label` (other than `label`). */
function modelsWithManyToManyTo(state: ProjectState, label: string): string[] {
  const found: string[] = [];
  for (const other of state.models.values()) {
    if (other.label === label) continue;
    for (const field of other.fields.values()) {
      if (field.kind === 'manyToMany' && field.to === label && field.through === undefined) {
        found.push(other.label);
        break;
      }
    }
  }
  return found;
}

export class RenameModel extends Operation {
  constructor(
    readonly oldLabel: string,
    readonly newLabel: string,
    /** The new table, when the table is renamed too. */
    readonly table?: string,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    const current = state.model(this.oldLabel);
    absent(state, this.newLabel, this.describe());
    const relabel = (d: FieldDescription): FieldDescription =>
      d.to === this.oldLabel || d.through === this.oldLabel
        ? {
            ...d,
            ...(d.to === this.oldLabel && { to: this.newLabel }),
            ...(d.through === this.oldLabel && { through: this.newLabel }),
          }
        : d;
    const relabelled = (model: ModelState): ModelState =>
      withChanges(model, {
        fields: new Map([...model.fields].map(([name, d]) => [name, relabel(d)])),
      });
    state.remove(this.oldLabel);
    for (const other of [...state.models.values()]) state.put(relabelled(other));
    state.put(
      withChanges(relabelled(current), {
        label: this.newLabel,
        ...(this.table !== undefined && { table: this.table }),
      }),
    );
  }

  async #apply(
    editor: SchemaEditor,
    before: ProjectState,
    after: ProjectState,
    beforeLabel: string,
    afterLabel: string,
  ): Promise<void> {
    await editor.alterModelTable(before.meta(beforeLabel), after.meta(afterLabel));
    // Automatic join tables of other models name their columns after this model.
    for (const label of modelsWithManyToManyTo(after, afterLabel)) {
      await editor.alterModelTable(before.meta(label), after.meta(label));
    }
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.#apply(editor, from, to, this.oldLabel, this.newLabel);
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await this.#apply(editor, from, to, this.newLabel, this.oldLabel);
  }

  describe(): string {
    return `Rename model ${this.oldLabel} to ${this.newLabel}`;
  }

  toCall(): OperationCall {
    return {
      name: 'renameModel',
      args: [
        this.oldLabel,
        this.newLabel,
        ...(this.table === undefined ? [] : [{ table: this.table }]),
      ],
    };
  }
}

export class AlterModelTable extends Operation {
  constructor(
    readonly label: string,
    readonly table: string,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    state.put(withChanges(state.model(this.label), { table: this.table }));
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterModelTable(from.meta(this.label), to.meta(this.label));
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterModelTable(from.meta(this.label), to.meta(this.label));
  }

  describe(): string {
    return `Rename table of ${this.label} to ${this.table}`;
  }

  toCall(): OperationCall {
    return { name: 'alterModelTable', args: [this.label, this.table] };
  }
}
