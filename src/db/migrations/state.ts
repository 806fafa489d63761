// The schema as a migration sees it: plain model states, built by replaying operations (or read
// off the live models), and rendered on demand into historical models that can be queried.
import { CarafeError } from '../../index.js';
import type { Field } from '../fields/field.js';
import type { ConstraintSpec, IndexSpec, ModelMeta } from '../meta.js';
import { defineModel } from '../model.js';
import type { AnyModel } from '../model-types.js';
import { ModelRegistry } from '../registry.js';
import { constraintName } from '../schema.js';
import { swappedLabel } from '../swappable.js';
import { describeField, type FieldDescription, fieldFromDescription } from './field-description.js';

export interface ModelStateOptions {
  readonly indexes: readonly (IndexSpec & { readonly name: string })[];
  readonly uniqueTogether: readonly (readonly string[])[];
  readonly constraints: readonly ConstraintSpec[];
}

/** One model at one point in the migration history. Immutable: operations replace it. */
export interface ModelState {
  /** `'polls.Question'`. */
  readonly label: string;
  readonly table: string;
  /** Field name → description, in definition order, the primary key included. */
  readonly fields: ReadonlyMap<string, FieldDescription>;
  readonly options: ModelStateOptions;
}

export function appOf(label: string): string {
  return label.slice(0, label.indexOf('.'));
}

/** The column a field is stored in: its explicit column, or what the model layer would choose. */
export function columnOf(name: string, description: FieldDescription): string {
  return fieldFromDescription(description).bind(placeholderMeta, name).column;
}

// Binding a field only reads the name and the spec, so any meta does to compute a column.
const placeholderMeta = {} as ModelMeta;

function indexName(table: string, meta: ModelMeta, index: IndexSpec): string {
  if (index.name !== undefined) return index.name;
  const columns = index.fields.map(
    (name) => meta.fieldByName.get(name.replace(/^-/, ''))?.column ?? name,
  );
  return constraintName(table, columns, 'idx');
}

/** The state of a live model (not an automatic join model). */
export function modelStateOf(meta: ModelMeta): ModelState {
  const fields = new Map<string, FieldDescription>();
  for (const field of meta.fields) fields.set(field.name, describeField(field, meta.label));
  return {
    label: meta.label,
    table: meta.table,
    fields,
    options: {
      indexes: meta.indexes.map((index) => ({ ...index, name: indexName(meta.table, meta, index) })),
      uniqueTogether: meta.uniqueTogether,
      constraints: meta.constraints,
    },
  };
}

/**
 * `state` with its relations to swappable models pointed at the project's choice; migration
 * files name the swappable model, so the same file serves every project.
 */
function followSwaps(state: ModelState): ModelState {
  let fields: Map<string, FieldDescription> | undefined;
  for (const [name, description] of state.fields) {
    if (description.swappable === undefined) continue;
    const to = swappedLabel(description.swappable);
    if (to === description.to) continue;
    fields ??= new Map(state.fields);
    fields.set(name, { ...description, to });
  }
  return fields === undefined ? state : { ...state, fields };
}

/** The whole schema at one point: every model state by label, and its rendering when asked. */
export class ProjectState {
  readonly models: Map<string, ModelState>;
  #rendered: ModelRegistry | undefined;

  constructor(models: Iterable<ModelState> = []) {
    this.models = new Map([...models].map((state) => [state.label, followSwaps(state)]));
  }

  /** The state of the given live models; automatic join models are implied by their fields. */
  static fromModels(metas: Iterable<ModelMeta>): ProjectState {
    const states: ModelState[] = [];
    for (const meta of metas) if (!meta.autoCreated) states.push(modelStateOf(meta));
    return new ProjectState(states);
  }

  clone(): ProjectState {
    return new ProjectState(this.models.values());
  }

  /** The model state labelled `label`; a clear error when the history has no such model. */
  model(label: string): ModelState {
    const state = this.models.get(label);
    if (state === undefined) {
      throw new CarafeError(
        'CARAFE_MIGRATION_UNKNOWN_MODEL',
        `No model "${label}" exists at this point of the migration history.`,
      );
    }
    return state;
  }

  /** Adds or replaces a model state; forgets the rendering. */
  put(state: ModelState): void {
    this.models.set(state.label, followSwaps(state));
    this.#rendered = undefined;
  }

  remove(label: string): void {
    this.models.delete(label);
    this.#rendered = undefined;
  }

  /**
   * Historical models: real model classes, with `objects`, for this state only. They live in
   * their own registry, so they never clash with the project's models of the same label.
   */
  render(): ModelRegistry {
    if (this.#rendered !== undefined) return this.#rendered;
    const registry = new ModelRegistry();
    for (const state of this.models.values()) {
      const fields: Record<string, Field> = {};
      for (const [name, description] of state.fields) fields[name] = fieldFromDescription(description);
      defineModel(
        state.label,
        fields,
        {
          table: state.table,
          indexes: state.options.indexes,
          uniqueTogether: state.options.uniqueTogether,
          constraints: state.options.constraints.map((constraint) =>
            constraint.kind === 'unique'
              ? { name: constraint.name, unique: constraint.fields }
              : { name: constraint.name, check: constraint.check },
          ),
        },
        { registry, autoCreated: false },
      );
    }
    registry.resolve();
    this.#rendered = registry;
    return registry;
  }

  /** The rendered model labelled `label` (see `render()`). */
  meta(label: string): ModelMeta {
    this.model(label);
    return this.render().meta(label)!;
  }

  /** The rendered model class, for data migrations: `state.modelClass('polls.Question').objects`. */
  modelClass(label: string): AnyModel {
    return this.meta(label).model;
  }
}
