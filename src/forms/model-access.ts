// The few model-layer calls model forms make with names known only at run time (a foreign key
// found in the metadata, a many-to-many chosen by the developer). The typed query API wants
// names known to the compiler, so these go through one narrow, untyped door.
import type { AnyModel, Instance, ModelMeta } from './from-db.js';

interface Query extends PromiseLike<object[]> {
  filter(condition: Readonly<Record<string, unknown>>): Query;
  orderBy(...keys: string[]): Query;
  all(): Query;
}

interface Related {
  related(name: string): { all(): Query; set(items: readonly unknown[]): Promise<void> };
}

type Constructor<M extends AnyModel> = new (data: Record<string, unknown>) => Instance<M>;

function objects(meta: ModelMeta): Query {
  return (meta.model as unknown as { objects: Query }).objects;
}

/** Every row of a model, in its default order. */
export async function allRows(meta: ModelMeta): Promise<object[]> {
  return objects(meta).all();
}

/** Rows whose `field` is `value`, by primary key. */
export async function rowsWhere(meta: ModelMeta, field: string, value: unknown): Promise<object[]> {
  return objects(meta)
    .filter({ [field]: value })
    .orderBy(meta.pk.name);
}

/** The rows a to-many relation of `instance` holds. */
export async function relatedRows(instance: object, name: string): Promise<object[]> {
  return (instance as Related).related(name).all();
}

export function setRelated(
  instance: object,
  name: string,
  items: readonly unknown[],
): Promise<void> {
  return (instance as Related).related(name).set(items);
}

/** `new Model(data)` for a model known by its type. */
export function construct<M extends AnyModel>(
  model: M,
  data: Record<string, unknown>,
): Instance<M> {
  const Model = model as unknown as Constructor<M>;
  return new Model(data);
}
