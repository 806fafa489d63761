// All models by label, and the late wiring of relations: a foreign key's target is a thunk,
// called the first time any model is used, when every module has finished loading.
import { CarafeError } from '../index.js';
import { type RelationField, setModelLookup } from './fields/relation.js';
import { defineRelationAccessor, prototypeOf } from './instance.js';
import type { ModelMeta } from './meta.js';
import type { AnyModel } from './model-types.js';

const models = new Map<string, ModelMeta>();
const pending = new Set<ModelMeta>();

/** Builds the automatic join model of a many-to-many field; set by model.ts to avoid an import cycle. */
let makeThroughModel: ((field: RelationField) => ModelMeta) | undefined;

export function setThroughFactory(factory: (field: RelationField) => ModelMeta): void {
  makeThroughModel = factory;
}

export function registerModel(meta: ModelMeta): void {
  if (models.has(meta.label)) {
    throw new CarafeError(
      'CARAFE_DB_DUPLICATE_MODEL',
      `A model labelled "${meta.label}" is already defined. Each model needs its own 'app.Name' label.`,
    );
  }
  models.set(meta.label, meta);
  if (meta.forwardRelations.length > 0 || meta.manyToMany.length > 0) pending.add(meta);
}

/** The model registered under `'app.Name'`, or `undefined`. */
export function getModel(label: string): AnyModel | undefined {
  return models.get(label)?.model;
}

setModelLookup(getModel);

/** Every registered model, automatic join models included, in definition order. */
export function allModels(): AnyModel[] {
  return [...models.values()].map((meta) => meta.model);
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

function throughOf(field: RelationField): ModelMeta | undefined {
  if (field.throughRef === undefined) return makeThroughModel!(field);
  return models.get(field.throughRef);
}

function resolveModel(meta: ModelMeta): boolean {
  let done = true;
  for (const field of [...meta.forwardRelations, ...meta.manyToMany]) {
    const isManyToMany = field.relation === 'manyToMany';
    if (field.resolved && (!isManyToMany || field.through !== undefined)) continue;
    if (!field.resolve()) {
      done = false;
      continue;
    }
    if (isManyToMany) {
      field.through = throughOf(field);
      if (field.through === undefined) {
        done = false;
        continue;
      }
    }
    addReverse(field);
  }
  return done;
}

/**
 * Resolves every relation whose target can be reached. Cheap when nothing is pending, so
 * every query entry point calls it.
 */
export function resolveRelations(): void {
  // Resolving can register join models, which are pending in turn: repeat while there is progress.
  let progress = true;
  while (progress && pending.size > 0) {
    const before = pending.size;
    progress = false;
    for (const meta of [...pending]) {
      if (resolveModel(meta)) {
        pending.delete(meta);
        progress = true;
      }
    }
    if (pending.size > before) progress = true;
  }
}

/** Throws when `meta` still has relations whose target module never loaded. */
export function ensureResolved(meta: ModelMeta): void {
  resolveRelations();
  if (!pending.has(meta)) return;
  const field = [...meta.forwardRelations, ...meta.manyToMany].find(
    (candidate) => !candidate.resolved,
  );
  if (field !== undefined) void field.target;
}
