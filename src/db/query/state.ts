// The immutable description a QuerySet carries. Every chain method returns a new QuerySet with
// a new state; the signature (shape without values) keys the compiled-SQL cache.
import type { ModelMeta } from '../meta.js';
import type { AnnotationNode, OrderTerm, PathNode, WhereNode } from './nodes.js';
import { expressionSignature } from './where.js';

export interface ValuesProjection {
  readonly kind: 'values';
  readonly paths: readonly PathNode[];
  readonly shape: 'object' | 'tuple' | 'flat';
}

export interface InstanceProjection {
  readonly kind: 'instances';
  /** Attnames to load (`only`), or `undefined` for every column; the primary key is always loaded. */
  readonly fields: ReadonlySet<string> | undefined;
}

export type Projection = ValuesProjection | InstanceProjection;

export interface LockOptions {
  readonly noWait: boolean;
  readonly skipLocked: boolean;
}

export interface QueryState {
  readonly meta: ModelMeta;
  /** Conditions AND-ed together; each may be a group. */
  readonly where: readonly WhereNode[];
  readonly whereSignature: string;
  /** Values the nodes point at by slot. */
  readonly values: readonly unknown[];
  /** `undefined`: the model's default ordering. */
  readonly ordering: readonly OrderTerm[] | undefined;
  /** Slots of limit and offset. */
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  readonly distinct: boolean;
  readonly projection: Projection;
  /** Forward relation paths joined into the query (`select('question')`). */
  readonly selected: readonly string[];
  readonly prefetched: readonly string[];
  readonly annotations: ReadonlyMap<string, AnnotationNode>;
  readonly using: string | undefined;
  readonly lock: LockOptions | undefined;
}

export function initialState(meta: ModelMeta): QueryState {
  return {
    meta,
    where: [],
    whereSignature: '',
    values: [],
    ordering: undefined,
    limit: undefined,
    offset: undefined,
    distinct: false,
    projection: { kind: 'instances', fields: undefined },
    selected: [],
    prefetched: [],
    annotations: new Map(),
    using: undefined,
    lock: undefined,
  };
}

function pathSignature(path: PathNode): string {
  return path.kind === 'annotation' ? `@${path.name}` : path.name;
}

function annotationSignature(name: string, node: AnnotationNode): string {
  if (node.kind === 'expression') return `${name}=${expressionSignature(node.node)}`;
  return `${name}=${node.fn}(${node.distinct ? 'd:' : ''}${node.relation?.field.name ?? ''}.${node.field?.name ?? '*'})`;
}

const signatures = new WeakMap<QueryState, string>();

/** The query's shape without its values; equal signatures compile to the same SQL. */
export function signatureOf(state: QueryState, mode: string): string {
  let base = signatures.get(state);
  if (base === undefined) {
    const projection =
      state.projection.kind === 'values'
        ? `v:${state.projection.shape}:${state.projection.paths.map(pathSignature).join(',')}`
        : `i:${state.projection.fields === undefined ? '*' : [...state.projection.fields].join(',')}`;
    base = [
      state.meta.label,
      state.whereSignature,
      state.ordering === undefined ? '~' : state.ordering.map((t) => `${t.descending ? '-' : ''}${pathSignature(t.path)}`).join(','),
      state.limit === undefined ? '' : `L#${state.limit}`,
      state.offset === undefined ? '' : `O#${state.offset}`,
      state.distinct ? 'D' : '',
      projection,
      state.selected.join(','),
      [...state.annotations].map(([name, node]) => annotationSignature(name, node)).join(','),
      state.lock === undefined ? '' : `lock:${state.lock.noWait}:${state.lock.skipLocked}`,
    ].join('|');
    signatures.set(state, base);
  }
  return `${mode}|${base}`;
}
