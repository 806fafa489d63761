// The admin builds its queries from names it reads at run time (the options, the query string),
// which the typed query API cannot check at compile time; these go through one narrow, untyped
// door. Every name was checked against the model's metadata when the model was registered.
import type {
  AnyModel,
  DeleteResult,
  ModelInstance,
  ModelMeta,
  QNode,
  QuerySet,
} from '../db/index.js';

export type Row = ModelInstance;
export type Condition = Readonly<Record<string, unknown>> | QNode<unknown>;

export interface LooseQuery extends PromiseLike<Row[]> {
  filter(...conditions: Condition[]): LooseQuery;
  exclude(...conditions: Condition[]): LooseQuery;
  orderBy(...keys: string[]): LooseQuery;
  select(...names: string[]): LooseQuery;
  slice(start: number, end?: number): LooseQuery;
  limit(count: number): LooseQuery;
  values(...paths: string[]): LooseGrouping;
  count(): Promise<number>;
  first(): Promise<Row | null>;
  delete(): Promise<DeleteResult>;
}

interface LooseGrouping {
  annotate(spec: Readonly<Record<string, unknown>>): PromiseLike<Record<string, unknown>[]>;
}

export function objectsOf(meta: ModelMeta): LooseQuery {
  return (meta.model as unknown as { objects: LooseQuery }).objects;
}

/** The same query, typed for the model, for code the developer writes (actions). */
export function typedQuery<M extends AnyModel>(_model: M, query: LooseQuery): QuerySet<M> {
  return query as unknown as QuerySet<M>;
}

/** A stored value or loaded relation of a row, by name. */
export function read(row: object, name: string): unknown {
  return Reflect.get(row, name);
}

export function pkOf(meta: ModelMeta, row: object): unknown {
  return Reflect.get(row, meta.pk.attname);
}
