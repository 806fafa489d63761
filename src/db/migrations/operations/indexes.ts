// AddIndex, RemoveIndex, AddConstraint, RemoveConstraint, AlterUniqueTogether.
import { CarafeError } from '../../../index.js';
import type { ConstraintSpec } from '../../meta.js';
import type { NamedIndex, SchemaEditor } from '../schema-editor/editor.js';
import type { ModelState, ProjectState } from '../state.js';
import { Operation, type OperationCall } from './operation.js';
import { constraintInput, indexInput, withChanges } from './shared.js';

function checkNames(model: ModelState, names: readonly string[], what: string): void {
  for (const raw of names) {
    const name = raw.replace(/^-/, '');
    const field = model.fields.get(name);
    if (field === undefined || field.kind === 'manyToMany') {
      throw new CarafeError(
        'CARAFE_MIGRATION_UNKNOWN_FIELD',
        `${what}: ${model.label} has no stored field "${name}" at this point of the migration history.`,
      );
    }
  }
}

function duplicate(what: string, name: string, label: string): CarafeError {
  return new CarafeError(
    'CARAFE_MIGRATION_DUPLICATE_NAME',
    `${what}: ${label} already has an index or constraint named "${name}".`,
  );
}

function missing(what: string, name: string, label: string): CarafeError {
  return new CarafeError(
    'CARAFE_MIGRATION_UNKNOWN_NAME',
    `${what}: ${label} has no ${what.startsWith('Remove index') ? 'index' : 'constraint'} named "${name}" at this point of the migration history.`,
  );
}

function nameTaken(model: ModelState, name: string): boolean {
  const { indexes, constraints } = model.options;
  return indexes.some((index) => index.name === name) || constraints.some((c) => c.name === name);
}

export class AddIndex extends Operation {
  constructor(
    readonly label: string,
    readonly index: NamedIndex,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    const model = state.model(this.label);
    if (nameTaken(model, this.index.name))
      throw duplicate(this.describe(), this.index.name, this.label);
    checkNames(model, this.index.fields, this.describe());
    state.put(withChanges(model, { options: { indexes: [...model.options.indexes, this.index] } }));
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.addIndex(from.meta(this.label), to.meta(this.label), this.index);
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.removeIndex(from.meta(this.label), to.meta(this.label), this.index);
  }

  describe(): string {
    return `Create index ${this.index.name} on ${this.label}`;
  }

  toCall(): OperationCall {
    return { name: 'addIndex', args: [this.label, indexInput(this.index)] };
  }
}

export class RemoveIndex extends Operation {
  constructor(
    readonly label: string,
    readonly name: string,
  ) {
    super();
  }

  #index(state: ProjectState): NamedIndex {
    const index = state
      .model(this.label)
      .options.indexes.find((candidate) => candidate.name === this.name);
    if (index === undefined) throw missing(this.describe(), this.name, this.label);
    return index;
  }

  stateForwards(state: ProjectState): void {
    const model = state.model(this.label);
    this.#index(state);
    state.put(
      withChanges(model, {
        options: { indexes: model.options.indexes.filter((index) => index.name !== this.name) },
      }),
    );
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.removeIndex(from.meta(this.label), to.meta(this.label), this.#index(from));
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.addIndex(from.meta(this.label), to.meta(this.label), this.#index(to));
  }

  describe(): string {
    return `Remove index ${this.name} from ${this.label}`;
  }

  toCall(): OperationCall {
    return { name: 'removeIndex', args: [this.label, this.name] };
  }
}

export class AddConstraint extends Operation {
  constructor(
    readonly label: string,
    readonly constraint: ConstraintSpec,
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    const model = state.model(this.label);
    if (nameTaken(model, this.constraint.name)) {
      throw duplicate(this.describe(), this.constraint.name, this.label);
    }
    if (this.constraint.kind === 'unique')
      checkNames(model, this.constraint.fields, this.describe());
    state.put(
      withChanges(model, {
        options: { constraints: [...model.options.constraints, this.constraint] },
      }),
    );
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.addConstraint(from.meta(this.label), to.meta(this.label), this.constraint);
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.removeConstraint(from.meta(this.label), to.meta(this.label), this.constraint);
  }

  describe(): string {
    return `Create constraint ${this.constraint.name} on ${this.label}`;
  }

  toCall(): OperationCall {
    return { name: 'addConstraint', args: [this.label, constraintInput(this.constraint)] };
  }
}

export class RemoveConstraint extends Operation {
  constructor(
    readonly label: string,
    readonly name: string,
  ) {
    super();
  }

  #constraint(state: ProjectState): ConstraintSpec {
    const found = state.model(this.label).options.constraints.find((c) => c.name === this.name);
    if (found === undefined) throw missing(this.describe(), this.name, this.label);
    return found;
  }

  stateForwards(state: ProjectState): void {
    const model = state.model(this.label);
    this.#constraint(state);
    state.put(
      withChanges(model, {
        options: { constraints: model.options.constraints.filter((c) => c.name !== this.name) },
      }),
    );
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.removeConstraint(
      from.meta(this.label),
      to.meta(this.label),
      this.#constraint(from),
    );
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.addConstraint(from.meta(this.label), to.meta(this.label), this.#constraint(to));
  }

  describe(): string {
    return `Remove constraint ${this.name} from ${this.label}`;
  }

  toCall(): OperationCall {
    return { name: 'removeConstraint', args: [this.label, this.name] };
  }
}

export class AlterUniqueTogether extends Operation {
  constructor(
    readonly label: string,
    readonly groups: readonly (readonly string[])[],
  ) {
    super();
  }

  stateForwards(state: ProjectState): void {
    const model = state.model(this.label);
    for (const group of this.groups) checkNames(model, group, this.describe());
    state.put(withChanges(model, { options: { uniqueTogether: this.groups } }));
  }

  async databaseForwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterUniqueTogether(from.meta(this.label), to.meta(this.label));
  }

  async databaseBackwards(
    editor: SchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void> {
    await editor.alterUniqueTogether(from.meta(this.label), to.meta(this.label));
  }

  describe(): string {
    const count = this.groups.length;
    return `Alter uniqueTogether for ${this.label} (${count} group${count === 1 ? '' : 's'})`;
  }

  toCall(): OperationCall {
    return { name: 'alterUniqueTogether', args: [this.label, this.groups] };
  }
}
