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

/** Every column of the model's instances: what a QuerySet reads until `only()`/`values()` says otherwise. */
export const allColumns: InstanceProjection = Object.freeze({
  kind: 'instances',
  fields: undefined,
});

const initialStates = new WeakSet<QueryState>();

/** Whether `state` is a model's untouched starting state: every row, nothing chained yet. */
export function isInitialState(state: QueryState): boolean {
  return initialStates.has(state);
}

export function initialState(meta: ModelMeta): QueryState {
  const state: QueryState = {
    meta,
    where: [],
    whereSignature: '',
    values: [],
    ordering: undefined,
    limit: undefined,
    offset: undefined,
    distinct: false,
    projection: allColumns,
    selected: [],
    prefetched: [],
    annotations: new Map(),
    using: undefined,
    lock: undefined,
  };
  initialStates.add(state);
  return state;
}

function pathSignature(path: PathNode): string {
  return path.kind === 'annotation' ? `@${path.name}` : path.name;
}

function annotationSignature(name: string, node: AnnotationNode): string {
  if (node.kind === 'expression') return `${name}=${expressionSignature(node.node)}`;
  return `${name}=${node.fn}(${node.distinct ? 'd:' : ''}${node.relation?.field.name ?? ''}.${node.field?.name ?? '*'})`;
}

// Each part's text is cached by the identity of the (immutable) part, so a QuerySet that only
// differs by its filters (the common case: one per request) joins a few cached strings.
const orderingTexts = new WeakMap<readonly OrderTerm[], string>();
const projectionTexts = new WeakMap<Projection, string>();
const annotationTexts = new WeakMap<ReadonlyMap<string, AnnotationNode>, string>();

function cached<K extends object>(
  cache: WeakMap<K, string>,
  key: K,
  make: (key: K) => string,
): string {
  let text = cache.get(key);
  if (text === undefined) {
    text = make(key);
    cache.set(key, text);
  }
  return text;
}

const orderingText = (ordering: readonly OrderTerm[]) =>
  ordering.map((term) => `${term.descending ? '-' : ''}${pathSignature(term.path)}`).join(',');

const projectionText = (projection: Projection) =>
  projection.kind === 'values'
    ? `v:${projection.shape}:${projection.paths.map(pathSignature).join(',')}`
    : `i:${projection.fields === undefined ? '*' : [...projection.fields].join(',')}`;

const annotationsText = (annotations: ReadonlyMap<string, AnnotationNode>) =>
  [...annotations].map(([name, node]) => annotationSignature(name, node)).join(',');

/** The query's shape without its values; equal signatures compile to the same SQL. */
export function signatureOf(state: QueryState, mode: string): string {
  const ordering =
    state.ordering === undefined ? '~' : cached(orderingTexts, state.ordering, orderingText);
  const annotations =
    state.annotations.size === 0 ? '' : cached(annotationTexts, state.annotations, annotationsText);
  const lock = state.lock === undefined ? '' : `lock:${state.lock.noWait}:${state.lock.skipLocked}`;
  return `${mode}|${state.meta.label}|${state.whereSignature}|${ordering}|${state.limit ?? ''}|${state.offset ?? ''}|${state.distinct ? 'D' : ''}|${cached(projectionTexts, state.projection, projectionText)}|${state.selected.join(',')}|${annotations}|${lock}`;
}

/** An empty ordering to share, so "no ORDER BY" has one cached signature text. */
export const noOrdering: readonly OrderTerm[] = Object.freeze([]);
