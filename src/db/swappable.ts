// Models a project may replace with its own, as Django's AUTH_USER_MODEL: relations declared
// to a swappable model follow the replacement, in the models and in the migrations. A project
// decides once, before its first migration; the tables pointing at the model are made for it.
//
// The choice is per process, like Django's settings: a model class has one set of relations.
// The first relation that resolves pins it, so the live models, the migration state and the
// database keep agreeing even if a later call names another model.
import type { AnyModel } from './model-types.js';
import { projectModels } from './registry.js';

/** A relation target that follows a swappable model: `f.foreignKey(userModel, …)`. */
export type SwappableRef<M extends AnyModel = AnyModel> = (() => M) & {
  /** The label of the model that may be replaced: `'auth.User'`. */
  readonly swappable: string;
};

/** A dependency on the first migration of whichever app holds the swappable model now. */
export interface SwappableDependency {
  readonly swappable: string;
}

const replacements = new Map<string, AnyModel>();
const pinned = new Map<string, AnyModel>();

/**
 * Replaces the swappable model `label` by `model` for this process (what `auth({ userModel })`
 * does for `'auth.User'`). Without effect once a relation to it has resolved: see `swappedModel`.
 */
export function swapModel(label: string, model: AnyModel): void {
  replacements.set(label, model);
}

/** The model relations to `label` point at, once one has resolved; else `undefined`. */
export function swappedModel(label: string): AnyModel | undefined {
  return pinned.get(label);
}

/** The label relations to the swappable `label` point at: the replacement's, or `label` itself. */
export function swappedLabel(label: string): string {
  return (pinned.get(label) ?? replacements.get(label))?.meta.label ?? label;
}

function refTo<M extends AnyModel>(label: string, resolve: () => M | undefined): SwappableRef<M> {
  // `undefined` (a model not defined yet) leaves the relation pending, as for any thunk.
  return Object.assign(resolve as () => M, { swappable: label });
}

/**
 * A relation target for models, following the swappable model `label`; `fallback` gives the
 * model itself while nothing replaces it: `swappableModel('auth.User', () => User)`.
 */
export function swappableModel<M extends AnyModel>(
  label: string,
  fallback: () => M,
): SwappableRef<M> {
  return refTo(label, () => {
    const model = pinned.get(label) ?? replacements.get(label) ?? fallback();
    pinned.set(label, model);
    return model as M;
  });
}

/**
 * In migration files, the target of a relation to a swappable model:
 * `f.foreignKey(swappable('auth.User'), { onDelete: 'cascade' })`. The migration state points it
 * at the project's replacement, if it has one, when the state is built.
 */
export function swappable(label: `${string}.${string}`): SwappableRef {
  return refTo(label, () => projectModels.meta(swappedLabel(label))?.model);
}

/**
 * In migration files, a dependency on the first migration of the app holding the swappable
 * model (Django's `swappable_dependency`): `dependencies: [swappableDependency('auth.User')]`.
 */
export function swappableDependency(label: string): SwappableDependency {
  return Object.freeze({ swappable: label });
}

/** The swappable label of a relation target, if it is a swappable reference. */
export function swappableOf(target: unknown): string | undefined {
  if (typeof target !== 'function') return undefined;
  const label: unknown = (target as { swappable?: unknown }).swappable;
  return typeof label === 'string' ? label : undefined;
}

export function isSwappableDependency(value: unknown): value is SwappableDependency {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { swappable?: unknown }).swappable === 'string'
  );
}
