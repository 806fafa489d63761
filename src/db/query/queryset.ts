// QuerySet: lazy, immutable and chainable; awaiting it runs the query. Every chain method checks
// its input at once (unknown fields and lookups fail here, before SQL exists) and returns a new
// QuerySet; nothing touches the database until it is awaited or a terminal method is called.
import { CarafeError } from '../../index.js';
import { type Dialect, database } from '../connection/index.js';
import type { ModelMeta } from '../meta.js';
import type {
  AnyModel,
  CreateInput,
  DeleteResult,
  Instance,
  InstanceMethods,
  PkKey,
  PkValue,
  Row,
  UpdateInput,
} from '../model-types.js';
import { resolveRelations } from '../registry.js';
import type { PrefetchName, SelectedAll, SelectPath, WithRelations } from '../relation-types.js';
import { selectedChains } from './compile-select.js';
import { deleteQuery } from './delete.js';
import {
  describeRows,
  fetchAggregate,
  fetchCount,
  fetchExists,
  fetchGetBy,
  fetchRows,
  getLimit,
} from './execute.js';
import { Aggregate, type Expression, type ExpressionNode, isExpression } from './expressions.js';
import { iterateChunks } from './iterate.js';
import type { AnnotationNode, OrderTerm, PathNode, WhereNode } from './nodes.js';
import { resolveAggregate, resolveFieldPath, resolvePath } from './paths.js';
import { prefetchInto } from './prefetch.js';
import { rawQuery } from './raw.js';
import { initialState, isInitialState, noOrdering, type QueryState } from './state.js';
import type {
  AggregateResult,
  AggregateSpec,
  Condition,
  OrderKey,
  Path,
  Simplify,
  ValueAt,
} from './types.js';
import { condition, singleEquality, slotExpression, WhereBuilder } from './where.js';
import {
  bulkCreate,
  bulkUpdate,
  createOne,
  getOrCreate,
  type LookupInput,
  updateOrCreate,
  updateQuery,
} from './write.js';

/** The state of a QuerySet, for the ORM's own modules. */
export const queryState: unique symbol = Symbol('carafe.queryState');

type OwnAttr<M extends AnyModel> = keyof Row<M> & string;

function checkCount(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      `${name}() takes a whole number ≥ 0, got ${String(value)}.`,
    );
  }
  return value;
}

// Variance is declared: measuring it structurally over these recursive types is very slow.
export class QuerySet<in out M extends AnyModel, out R = Instance<M>, in out A = unknown>
  implements PromiseLike<R[]>
{
  readonly [queryState]: QueryState;

  constructor(meta: ModelMeta, state?: QueryState) {
    this[queryState] = state ?? initialState(meta);
  }

  #next<R2 = R, A2 = A>(changes: Partial<QueryState>): QuerySet<M, R2, A2> {
    const state = this[queryState];
    return new QuerySet<M, R2, A2>(state.meta, { ...state, ...changes });
  }

  get #meta(): ModelMeta {
    resolveRelations();
    return this[queryState].meta;
  }

  /** A copy of this QuerySet (the same rows). */
  all(): QuerySet<M, R, A> {
    return this.#next({});
  }

  /** The state with `inputs` AND-ed in; `ordering`, when given, replaces the ordering in the same copy. */
  #whereState(
    inputs: readonly unknown[],
    negated: boolean,
    ordering?: readonly OrderTerm[],
  ): QueryState {
    const meta = this.#meta;
    const state = this[queryState];
    if (inputs.length === 0) return ordering === undefined ? state : { ...state, ordering };
    const builder = new WhereBuilder(state.values, state.annotations);
    let node: WhereNode;
    let signature: string;
    if (inputs.length === 1 && !negated) {
      ({ node, signature } = condition(builder, meta, inputs[0]));
    } else {
      const parts = inputs.map((input) => condition(builder, meta, input));
      node = { kind: 'group', connector: 'and', negated, children: parts.map((part) => part.node) };
      signature = `${negated ? '!' : ''}(${parts.map((part) => part.signature).join(',')})`;
    }
    return {
      ...state,
      where: state.where.length === 0 ? [node] : [...state.where, node],
      whereSignature: `${state.whereSignature}(${signature})`,
      values: builder.values,
      ordering: ordering ?? state.ordering,
    };
  }

  #where(inputs: readonly unknown[], negated: boolean): QuerySet<M, R, A> {
    return new QuerySet<M, R, A>(this[queryState].meta, this.#whereState(inputs, negated));
  }

  /** Rows matching every condition: `filter({ votes: { gt: 0 } })`. */
  filter(...conditions: Condition<M, A>[]): QuerySet<M, R, A> {
    return this.#where(conditions, false);
  }

  /** Rows not matching the conditions (all of them together). */
  exclude(...conditions: Condition<M, A>[]): QuerySet<M, R, A> {
    return this.#where(conditions, true);
  }

  /** Orders by fields (`'-pubDate'` descends), paths through foreign keys, or annotations. */
  orderBy(...keys: OrderKey<M, A>[]): QuerySet<M, R, A> {
    const meta = this.#meta;
    const state = this[queryState];
    const ordering: OrderTerm[] = keys.map((key) => {
      const text = String(key);
      const descending = text.startsWith('-');
      return {
        path: resolvePath(meta, descending ? text.slice(1) : text, state.annotations, 'orderBy()'),
        descending,
      };
    });
    return this.#next({ ordering });
  }

  /** At most `count` rows. */
  limit(count: number): QuerySet<M, R, A> {
    const state = this[queryState];
    return this.#next({
      values: [...state.values, checkCount('limit', count)],
      limit: state.values.length,
    });
  }

  /** Skips the first `count` rows. */
  offset(count: number): QuerySet<M, R, A> {
    const state = this[queryState];
    return this.#next({
      values: [...state.values, checkCount('offset', count)],
      offset: state.values.length,
    });
  }

  /** Rows `start` (inclusive) to `end` (exclusive), like `Array.prototype.slice` with whole numbers ≥ 0. */
  slice(start: number, end?: number): QuerySet<M, R, A> {
    const from = checkCount('slice', start);
    if (end === undefined) return this.offset(from);
    const to = checkCount('slice', end);
    const limited = this.limit(Math.max(0, to - from));
    return from === 0 ? limited : limited.offset(from);
  }

  /** Drops duplicate rows (SELECT DISTINCT). */
  distinct(): QuerySet<M, R, A> {
    return this.#next({ distinct: true });
  }

  #paths(paths: readonly string[], where: string): PathNode[] {
    const meta = this.#meta;
    const annotations = this[queryState].annotations;
    return paths.map((path) => resolvePath(meta, path, annotations, where));
  }

  /** Plain objects with the named paths (all stored fields when none are named). */
  values(): QuerySet<M, Simplify<Row<M> & A>, A>;
  values<const P extends readonly Path<M, A>[]>(
    ...paths: P
  ): QuerySet<M, { [K in P[number]]: ValueAt<M, A, K> }, A>;
  values(...paths: string[]): QuerySet<M, unknown, A> {
    const chosen = paths.length > 0 ? paths : this.#defaultValuePaths();
    return this.#next({
      projection: { kind: 'values', paths: this.#paths(chosen, 'values()'), shape: 'object' },
    });
  }

  #defaultValuePaths(): string[] {
    return [
      ...this.#meta.concreteFields.map((field) => field.attname),
      ...this[queryState].annotations.keys(),
    ];
  }

  /** Tuples of the named paths, or with `{ flat: true }` the single path's values. */
  valuesList<P extends Path<M, A>>(
    path: P,
    options: { readonly flat: true },
  ): QuerySet<M, ValueAt<M, A, P>, A>;
  valuesList<const P extends readonly Path<M, A>[]>(
    ...paths: P
  ): QuerySet<M, { -readonly [I in keyof P]: ValueAt<M, A, P[I]> }, A>;
  valuesList(...args: unknown[]): QuerySet<M, unknown, A> {
    const last = args[args.length - 1];
    if (typeof last === 'object' && last !== null) {
      const paths = args.slice(0, -1) as string[];
      if ((last as { flat?: unknown }).flat !== true || paths.length !== 1) {
        throw new CarafeError(
          'CARAFE_DB_BAD_VALUE',
          'valuesList(path, { flat: true }) takes exactly one path.',
        );
      }
      return this.#next({
        projection: { kind: 'values', paths: this.#paths(paths, 'valuesList()'), shape: 'flat' },
      });
    }
    const paths = args.length > 0 ? (args as string[]) : this.#defaultValuePaths();
    return this.#next({
      projection: { kind: 'values', paths: this.#paths(paths, 'valuesList()'), shape: 'tuple' },
    });
  }

  #fieldSet(names: readonly string[], where: string): Set<string> {
    const meta = this.#meta;
    return new Set(
      names
        .map((name) => resolveFieldPath(meta, name, where))
        .map((path) => {
          if (path.joins.length > 0) {
            throw new CarafeError(
              'CARAFE_DB_UNKNOWN_FIELD',
              `${where} takes fields of ${meta.label} itself, got "${path.name}".`,
            );
          }
          return path.field.attname;
        }),
    );
  }

  /** Loads only these fields (and the primary key); `save()` then writes only them. */
  only<K extends OwnAttr<M>>(
    ...names: K[]
  ): QuerySet<M, Pick<Row<M>, (K | PkKey<M>) & keyof Row<M>> & InstanceMethods<M>, A> {
    return this.#next({
      projection: { kind: 'instances', fields: this.#fieldSet(names, 'only()') },
    });
  }

  /** Loads every field except these. */
  defer<K extends Exclude<OwnAttr<M>, PkKey<M>>>(
    ...names: K[]
  ): QuerySet<M, Omit<Row<M>, K> & InstanceMethods<M>, A> {
    const skipped = this.#fieldSet(names, 'defer()');
    const fields = new Set(
      this.#meta.concreteFields.map((field) => field.attname).filter((name) => !skipped.has(name)),
    );
    return this.#next({ projection: { kind: 'instances', fields } });
  }

  /**
   * Joins foreign keys into the same query: `select('question')` makes `choice.question`
   * available; `select('question.author')` goes one hop further.
   */
  select<const N extends readonly SelectPath<M>[]>(
    ...names: N
  ): QuerySet<M, R & SelectedAll<M, N>, A> {
    selectedChains(this.#meta, names);
    return this.#next({ selected: [...new Set([...this[queryState].selected, ...names])] });
  }

  /** Loads related rows with one extra query per relation: `prefetch('choices')`. */
  prefetch<const N extends readonly PrefetchName<M>[]>(
    ...names: N
  ): QuerySet<M, WithRelations<M, R, N[number]>, A> {
    const meta = this.#meta;
    for (const name of names) {
      const field = meta.fieldByName.get(name);
      const ok =
        (field?.isRelation && (!field.concrete || field.attname !== name)) ||
        meta.reverse.has(name);
      if (!ok) {
        const choices = [...meta.forwardRelations, ...meta.manyToMany].map(
          (candidate) => candidate.name,
        );
        throw new CarafeError(
          'CARAFE_DB_UNKNOWN_FIELD',
          `prefetch('${name}'): ${meta.label} has no relation "${name}". Relations: ` +
            `${[...choices, ...meta.reverse.keys()].map((candidate) => `"${candidate}"`).join(', ') || 'none'}.`,
        );
      }
    }
    return this.#next({ prefetched: [...new Set([...this[queryState].prefetched, ...names])] });
  }

  #annotations(
    spec: Record<string, unknown>,
    where: string,
  ): { annotations: Map<string, AnnotationNode>; values: unknown[] } {
    const meta = this.#meta;
    const state = this[queryState];
    const annotations = new Map(state.annotations);
    const values = [...state.values];
    const slots = { slot: (value: unknown) => values.push(value) - 1 };
    for (const [name, value] of Object.entries(spec)) {
      if (meta.fieldByName.has(name) || meta.reverse.has(name) || annotations.has(name)) {
        throw new CarafeError(
          'CARAFE_DB_BAD_VALUE',
          `${where}: "${name}" is already a field or annotation of ${meta.label}; choose another name.`,
        );
      }
      if (value instanceof Aggregate) {
        annotations.set(name, resolveAggregate(meta, value, where));
      } else if (isExpression(value)) {
        const node = slotExpression(slots, value.expression);
        const reference = node.type === 'field' ? node.path : firstField(node);
        annotations.set(name, {
          kind: 'expression',
          node,
          field: reference === undefined ? undefined : meta.fieldByName.get(reference),
        });
      } else {
        throw new CarafeError(
          'CARAFE_DB_BAD_VALUE',
          `${where}: "${name}" must be an aggregate (Count, Sum, Avg, Min, Max) or an F() expression.`,
        );
      }
    }
    return { annotations, values };
  }

  /** Adds computed values to each row: `annotate({ choiceCount: Count('choices') })`. */
  annotate<const S extends AggregateSpec<M>>(
    spec: S,
  ): QuerySet<M, R & AggregateResult<M, S>, A & AggregateResult<M, S>> {
    const { annotations, values } = this.#annotations(spec, 'annotate()');
    const state = this[queryState];
    const projection =
      state.projection.kind === 'values' && state.projection.shape === 'object'
        ? {
            ...state.projection,
            paths: [
              ...state.projection.paths,
              ...Object.keys(spec).map((name): PathNode => ({ kind: 'annotation', name })),
            ],
          }
        : state.projection;
    return this.#next({ annotations, values, projection });
  }

  /** One row of totals over the filtered rows: `aggregate({ total: Sum('votes') })`. */
  async aggregate<const S extends AggregateSpec<M>>(spec: S): Promise<AggregateResult<M, S>> {
    const { annotations, values } = this.#annotations(spec, 'aggregate()');
    const state = { ...this[queryState], annotations, values };
    return (await fetchAggregate(state, Object.keys(spec))) as AggregateResult<M, S>;
  }

  /** The number of rows (SELECT COUNT(*)). */
  count(): Promise<number> {
    return fetchCount(this[queryState]);
  }

  /** Whether any row matches (cheaper than count()). */
  exists(): Promise<boolean> {
    return fetchExists(this[queryState]);
  }

  #rows(state: QueryState, fixedLimit?: number): Promise<R[]> {
    resolveRelations();
    const rows = fetchRows(state, fixedLimit) as Promise<R[]>;
    if (state.prefetched.length === 0) return rows;
    return rows.then(async (found) => {
      if (found.length > 0) await prefetchInto(state, found);
      return found;
    });
  }

  /** The one row matching the conditions; throws `Model.DoesNotExist` or `Model.MultipleObjectsReturned`. */
  get(...conditions: Condition<M, A>[]): Promise<R> {
    const base = this[queryState];
    if (conditions.length === 1 && isInitialState(base)) {
      const equality = singleEquality(this.#meta, conditions[0]);
      if (equality !== undefined) {
        let rows: R[] | Promise<R[]>;
        try {
          rows = fetchGetBy(equality.field, equality.checked, () =>
            this.#whereState(conditions, false, noOrdering),
          ) as R[] | Promise<R[]>;
        } catch (error) {
          return Promise.reject(error);
        }
        if (!Array.isArray(rows))
          return rows.then((found) =>
            found.length === 1 ? found[0]! : this.#notOne(base, found.length),
          );
        return rows.length === 1
          ? Promise.resolve(rows[0]!)
          : Promise.reject(this.#notOneError(base, rows.length));
      }
    }
    const state = this.#whereState(conditions, false, noOrdering);
    return this.#rows(state, getLimit).then((rows) =>
      rows.length === 1 ? rows[0]! : this.#notOne(state, rows.length),
    );
  }

  #notOne(state: QueryState, count: number): never {
    throw this.#notOneError(state, count);
  }

  #notOneError(state: QueryState, count: number): Error {
    const meta = state.meta;
    if (count === 0)
      return new meta.DoesNotExist(`${meta.modelName} matching query does not exist.`);
    return new meta.MultipleObjectsReturned(
      `get() returned more than one ${meta.modelName} -- it returned ${count > 20 ? 'more than 20' : count}!`,
    );
  }

  #ordered(reverse: boolean): QueryState {
    const state = this[queryState];
    const meta = this.#meta;
    let ordering = state.ordering ?? (meta.ordering.length > 0 ? undefined : []);
    if (ordering === undefined) {
      ordering = meta.ordering.map((key) => ({
        path: resolveFieldPath(meta, key.replace(/^-/, ''), `${meta.label} ordering`),
        descending: key.startsWith('-'),
      }));
    }
    if (ordering.length === 0)
      ordering = [{ path: resolveFieldPath(meta, meta.pk.name, 'first()'), descending: false }];
    if (reverse) ordering = ordering.map((term) => ({ ...term, descending: !term.descending }));
    return { ...state, ordering };
  }

  /** The first row in the query's order (by primary key when unordered), or `null`. */
  async first(): Promise<R | null> {
    const [row] = await this.#rows(this.#ordered(false), 1);
    return row ?? null;
  }

  /** The last row in the query's order, or `null`. */
  async last(): Promise<R | null> {
    const [row] = await this.#rows(this.#ordered(true), 1);
    return row ?? null;
  }

  /** Rows by primary key (all rows, or those with the given keys). */
  async inBulk(ids?: readonly PkValue<M>[]): Promise<Map<PkValue<M>, R>> {
    const meta = this.#meta;
    const query =
      ids === undefined ? this : this.filter({ [meta.pk.name]: { in: ids } } as Condition<M, A>);
    const rows = await query;
    return new Map(
      rows.map((row) => [Reflect.get(row as object, meta.pk.attname) as PkValue<M>, row]),
    );
  }

  /** Streams rows in chunks (`chunkSize`, default 1000) so large tables never sit in memory at once. */
  iterate(options: { readonly chunkSize?: number } = {}): AsyncIterable<R> {
    const chunkSize = checkCount('iterate chunkSize', options.chunkSize ?? 1000);
    if (chunkSize === 0)
      throw new CarafeError('CARAFE_DB_BAD_VALUE', 'iterate() needs a chunkSize ≥ 1.');
    resolveRelations();
    return iterateChunks(this[queryState], chunkSize, (state) => this.#rows(state));
  }

  /** Inserts one row and returns it as an instance (defaults applied, primary key set). */
  create(data: CreateInput<M>): Promise<Instance<M>> {
    resolveRelations();
    return createOne(this[queryState], data) as unknown as Promise<Instance<M>>;
  }

  /** The row matching `lookup`, or a new one made from `lookup` and `defaults`; with whether it was created. */
  getOrCreate(
    lookup: LookupInput<M>,
    defaults: UpdateInput<M, never> = {},
  ): Promise<[Instance<M>, boolean]> {
    resolveRelations();
    return getOrCreate(this[queryState], lookup, defaults) as unknown as Promise<
      [Instance<M>, boolean]
    >;
  }

  /** Updates the row matching `lookup` with `defaults`, or creates it; with whether it was created. */
  updateOrCreate(
    lookup: LookupInput<M>,
    defaults: UpdateInput<M, never> = {},
  ): Promise<[Instance<M>, boolean]> {
    resolveRelations();
    return updateOrCreate(this[queryState], lookup, defaults) as unknown as Promise<
      [Instance<M>, boolean]
    >;
  }

  /** Inserts many rows with multi-row INSERTs (no signals, like Django); returns the instances. */
  bulkCreate(
    rows: readonly CreateInput<M>[],
    options: { readonly batchSize?: number } = {},
  ): Promise<Instance<M>[]> {
    resolveRelations();
    return bulkCreate(this[queryState], rows, options.batchSize) as unknown as Promise<
      Instance<M>[]
    >;
  }

  /** Saves `fields` of many instances in few statements; returns the number of rows updated. */
  bulkUpdate(
    instances: readonly Instance<M>[],
    fields: readonly OwnAttr<M>[],
    options: { readonly batchSize?: number } = {},
  ): Promise<number> {
    resolveRelations();
    return bulkUpdate(this[queryState], instances, fields, options.batchSize);
  }

  /** Sets columns on every matching row in one UPDATE; returns how many rows matched. */
  update(values: UpdateInput<M, Expression>): Promise<number> {
    resolveRelations();
    return updateQuery(this[queryState], values);
  }

  /** Deletes the matching rows and what cascades from them (in a transaction); counts per model. */
  delete(): Promise<DeleteResult> {
    resolveRelations();
    return deleteQuery(this[queryState]);
  }

  /** Locks the rows until the transaction ends (PostgreSQL, MariaDB/MySQL; no-op on SQLite). */
  selectForUpdate(
    options: { readonly noWait?: boolean; readonly skipLocked?: boolean } = {},
  ): QuerySet<M, R, A> {
    if (options.noWait === true && options.skipLocked === true) {
      throw new CarafeError(
        'CARAFE_DB_BAD_VALUE',
        'selectForUpdate() takes noWait or skipLocked, not both.',
      );
    }
    return this.#next({
      lock: { noWait: options.noWait === true, skipLocked: options.skipLocked === true },
    });
  }

  /** Runs on the named database instead of `default`. */
  using(name: string): QuerySet<M, R, A> {
    database(name);
    return this.#next({ using: name });
  }

  /**
   * Runs your own SELECT and returns instances: `Question.objects.raw\`SELECT * FROM polls_question WHERE id = ${id}\``.
   * Interpolated values are bound parameters. The columns must include the primary key.
   */
  raw(strings: TemplateStringsArray, ...values: readonly unknown[]): Promise<Instance<M>[]> {
    resolveRelations();
    return rawQuery(this[queryState], strings, values) as unknown as Promise<Instance<M>[]>;
  }

  /** The SQL and parameters this QuerySet would run (on `dialect`, default: its database's). */
  toSQL(dialect?: Dialect): { sql: string; parameters: readonly unknown[] } {
    resolveRelations();
    const state = this[queryState];
    return describeRows(state, dialect ?? database(state.using).dialect);
  }

  // biome-ignore lint/suspicious/noThenProperty: awaiting a QuerySet runs it, by design
  then<T1 = R[], T2 = never>(
    onFulfilled?: ((rows: R[]) => T1 | PromiseLike<T1>) | null,
    onRejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return this.#rows(this[queryState]).then(onFulfilled, onRejected);
  }
}

function firstField(node: ExpressionNode): string | undefined {
  if (node.type === 'field') return node.path;
  if (node.type === 'arithmetic') return firstField(node.left) ?? firstField(node.right);
  return undefined;
}
