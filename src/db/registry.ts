// Models by label, and the late wiring of relations: a foreign key's target is a thunk or a label,
// resolved the first time any model is used, when every module has finished loading.
// The project's models live in the global registry; migrations render historical models (the
// schema as it was at one migration) into registries of their own, so both can coexist.
import { CarafeError } from '../index.js';
import type { RelationField } from './fields/relation.js';
import { defineRelationAccessor, prototypeOf } from './instance.js';
import type { ModelMeta } from './meta.js';
import type { AnyModel } from './model-types.js';

/** Builds the automatic join model of a many-to-many field; set by model.ts to avoid an import cycle. */
let makeThroughModel: ((field: RelationField) => ModelMeta) | undefined;

export function setThroughFactory(factory: (field: RelationField) => ModelMeta): void {
  makeThroughModel = factory;
}

export class ModelRegistry {
  readonly #models = new Map<string, ModelMeta>();
  readonly #pending = new Set<ModelMeta>();

  register(meta: ModelMeta): void {
    if (this.#models.has(meta.label)) {
      throw new CarafeError(
        'CARAFE_DB_DUPLICATE_MODEL',
        `A model labelled "${meta.label}" is already defined. Each model needs its own 'app.Name' label.`,
      );
    }
    this.#models.set(meta.label, meta);
    if (meta.forwardRelations.length > 0 || meta.manyToMany.length > 0) this.#pending.add(meta);
  }

  /** The metadata of the model labelled `'app.Name'`, or `undefined`. */
  meta(label: string): ModelMeta | undefined {
    return this.#models.get(label);
  }

  /** Every model, automatic join models included, in definition order. */
  metas(): ModelMeta[] {
    return [...this.#models.values()];
  }

  /**
   * Resolves every relation whose target can be reached. Cheap when nothing is pending, so
   * every query entry point calls it.
   */
  resolve(): void {
    // Resolving can register join models, which are pending in turn: repeat while there is progress.
    let progress = true;
    while (progress && this.#pending.size > 0) {
      const before = this.#pending.size;
      progress = false;
      for (const meta of [...this.#pending]) {
        if (this.#resolveModel(meta)) {
          this.#pending.delete(meta);
          progress = true;
        }
      }
      if (this.#pending.size > before) progress = true;
    }
  }

  #resolveModel(meta: ModelMeta): boolean {
    let done = true;
    for (const field of [...meta.forwardRelations, ...meta.manyToMany]) {
      const isManyToMany = field.relation === 'manyToMany';
      if (field.resolved && (!isManyToMany || field.through !== undefined)) continue;
      if (!field.resolve()) {
        done = false;
        continue;
      }
      if (isManyToMany) {
        field.through =
          field.throughRef === undefined
            ? makeThroughModel!(field)
            : this.#models.get(field.throughRef);
        if (field.through === undefined) {
          done = false;
          continue;
        }
      }
      addReverse(field);
    }
    return done;
  }
}

function addReverse(field: RelationField): void {
  const target = field.target;
  target.incoming.push(field);
  const name = field.relatedName;
  if (name === undefined) return;
  if (target.fieldByName.has(name) || target.reverse.has(name)) {
    throw new CarafeError(
      'CARAFE_DB_RELATED_NAME_CLASH',
      `${field.model.label}.${field.name} would add "${name}" to ${target.label}, which already has a field or ` +
        `relation of that name. Give the field a different relatedName (or '+' for none).`,
    );
  }
  target.reverse.set(name, { name, field, related: field.model, relation: field.relation });
  defineRelationAccessor(prototypeOf(target), name);
}

/** The project's models: everything `model()` defines. */
export const projectModels = new ModelRegistry();

/** The model registered under `'app.Name'`, or `undefined`. */
export function getModel(label: string): AnyModel | undefined {
  return projectModels.meta(label)?.model;
}

/** Every registered model, automatic join models included, in definition order. */
export function allModels(): AnyModel[] {
  return projectModels.metas().map((meta) => meta.model);
}

/** Resolves the project's pending relations (see `ModelRegistry.resolve`). */
export function resolveRelations(): void {
  projectModels.resolve();
}
