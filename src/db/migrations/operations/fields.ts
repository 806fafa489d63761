// AddField, RemoveField, AlterField, RenameField.
import { CarafeError } from '../../../index.js';
import type { FieldDescription } from '../field-description.js';
import type { SchemaEditor } from '../schema-editor/editor.js';
import { columnOf, type ProjectState } from '../state.js';
import { FieldCode, Operation, type OperationCall } from './operation.js';
import { dropFieldFromOptions, putField, renameFieldInOptions, withChanges } from './shared.js';

export interface FillOption {
  /** A one-off value for the rows that exist when the migration runs; not kept in the model. */
  readonly fill?: unknown;
}

function fieldMissing(label: string, name: string, what: string): CarafeError {
  return new CarafeError(
    'CARAFE_MIGRATION_UNKNOWN_FIELD',
    `${what}: ${label} has no field "${name}" at this point of the migration history.`,
  );
}

function existingField(
  state: ProjectState,
  label: string,
  name: string,
  what: string,
): FieldDescription {
  const field = state.model(label).fields.get(name);
  if (field === undefined) throw fieldMissing(label, name, what);
  return field;
}

function fillArgs(fill: unknown): unknown[] {
  return fill === undefined ? [] : [{ fill }];
}

export class AddField extends Operation {
  constructor(
    readonly label: string,
    readonly name: string,
    readonly field: FieldDescription,
    readonly fill?: unknown,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    if (state.model(this.label).fields.has(this.name)) {
      throw new CarafeError(
        'CARAFE_MIGRATION_DUPLICATE_FIELD',
        `${this.describe()}: the field already exists at this point of the migration history.`,
      );
    }
    putField(state, this.label, this.name, this.field);
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.addField(from.meta(this.label), to.meta(this.label), this.name, this.fill);
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.removeField(from.meta(this.label), to.meta(this.label), this.name);
  }

  describe(): string {
    return `Add field ${this.name} to ${this.label}`;
  }

  toCall(): OperationCall {
    return {
      name: 'addField',
      args: [this.label, this.name, new FieldCode(this.field), ...fillArgs(this.fill)],
    };
  }
}

export class RemoveField extends Operation {
  constructor(
    readonly label: string,
    readonly name: string,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    const model = state.model(this.label);
    const field = existingField(state, this.label, this.name, this.describe());
    if (field.primaryKey === true) {
      throw new CarafeError(
        'CARAFE_MIGRATION_PRIMARY_KEY',
        `${this.describe()}: a model cannot lose its primary key; give another field primaryKey: true first.`,
      );
    }
    const fields = new Map(model.fields);
    fields.delete(this.name);
    state.put(withChanges(model, { fields, options: dropFieldFromOptions(model, this.name) }));
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.removeField(from.meta(this.label), to.meta(this.label), this.name);
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    // The earlier state still has the field, and the indexes and constraints that went with it.
    await editor.addField(from.meta(this.label), to.meta(this.label), this.name);
  }

  describe(): string {
    return `Remove field ${this.name} from ${this.label}`;
  }

  toCall(): OperationCall {
    return { name: 'removeField', args: [this.label, this.name] };
  }
}

export class AlterField extends Operation {
  constructor(
    readonly label: string,
    readonly name: string,
    readonly field: FieldDescription,
    readonly fill?: unknown,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    existingField(state, this.label, this.name, this.describe());
    putField(state, this.label, this.name, this.field);
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterField(
      from.meta(this.label),
      to.meta(this.label),
      this.name,
      this.name,
      this.fill,
    );
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterField(from.meta(this.label), to.meta(this.label), this.name, this.name);
  }

  describe(): string {
    return `Alter field ${this.name} on ${this.label}`;
  }

  toCall(): OperationCall {
    return {
      name: 'alterField',
      args: [this.label, this.name, new FieldCode(this.field), ...fillArgs(this.fill)],
    };
  }
}

export class RenameField extends Operation {
  constructor(
    readonly label: string,
    readonly oldName: string,
    readonly newName: string,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    const model = state.model(this.label);
    const field = existingField(state, this.label, this.oldName, this.describe());
    if (model.fields.has(this.newName)) {
      throw new CarafeError(
        'CARAFE_MIGRATION_DUPLICATE_FIELD',
        `${this.describe()}: ${this.label} already has a field "${this.newName}".`,
      );
    }
    // Keep the field's position: historical models list fields in definition order.
    const fields = new Map(
      [...model.fields].map(([name, d]) =>
        name === this.oldName ? [this.newName, field] : [name, d],
      ),
    );
    state.put(
      withChanges(model, {
        fields,
        options: renameFieldInOptions(model.options, this.oldName, this.newName, {
          from: columnOf(this.oldName, field),
          to: columnOf(this.newName, field),
        }),
      }),
    );
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterField(from.meta(this.label), to.meta(this.label), this.oldName, this.newName);
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterField(from.meta(this.label), to.meta(this.label), this.newName, this.oldName);
  }

  describe(): string {
    return `Rename field ${this.oldName} on ${this.label} to ${this.newName}`;
  }

  toCall(): OperationCall {
    return { name: 'renameField', args: [this.label, this.oldName, this.newName] };
  }
}
