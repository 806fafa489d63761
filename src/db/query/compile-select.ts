// SELECT queries: rows as instances or values, count, exists and aggregate(), each with a reader
// that turns driver rows into results using converters chosen once per template.
import { CarafeError } from '../../index.js';
import type { Dialect, ReadShape } from '../connection/index.js';
import { type Codec, decoderFor } from '../fields/codecs.js';
import type { Field } from '../fields/field.js';
import type { RelationField } from '../fields/relation.js';
import type { ModelMeta } from '../meta.js';
import {
  type AnnotationContext,
  annotationAlias,
  annotationDecoder,
  annotationSql,
  isAggregate,
  isolatedAggregate,
  usesAggregate,
} from './annotations.js';
import { compileConditions, type Scope } from './compile-where.js';
import { Joins } from './joins.js';
import type { AnnotationNode, OrderTerm, PathNode, WhereNode } from './nodes.js';
import { resolveFieldPath } from './paths.js';
import { instanceReadShape } from './read-shape.js';
import {
  type ColumnReader,
  instanceReader,
  type NestedReader,
  type Reader,
  valuesReader,
} from './readers.js';
import { column, identifier, list, type Sql, sql } from './sql.js';
import type { QueryState } from './state.js';
import { ParamCollector, type Template } from './template.js';

export type { Reader };

const defaultOrdering = new WeakMap<ModelMeta, readonly OrderTerm[]>();

/** The model's `ordering` option as terms, resolved on first use (relations must be ready). */
export function modelOrdering(meta: ModelMeta): readonly OrderTerm[] {
  let terms = defaultOrdering.get(meta);
  if (terms === undefined) {
    terms = meta.ordering.map((key) => {
      const descending = key.startsWith('-');
      return {
        path: resolveFieldPath(meta, descending ? key.slice(1) : key, `${meta.label} ordering`),
        descending,
      };
    });
    defaultOrdering.set(meta, terms);
  }
  return terms;
}

interface Built {
  readonly collector: ParamCollector;
  readonly joins: Joins;
  readonly scope: Scope;
  readonly annotationNames: Map<string, string>;
  readonly context: AnnotationContext;
}

function start(state: QueryState, dialect: Dialect, grouped: boolean): Built {
  const collector = new ParamCollector(dialect);
  const alias = state.meta.table;
  const joins = new Joins(collector, state.meta, alias);
  const annotationNames = new Map<string, string>();
  let index = 0;
  for (const name of state.annotations.keys()) annotationNames.set(name, annotationAlias(index++));
  const scope: Scope = {
    meta: state.meta,
    alias,
    annotation: (name) => annotationSql(context, name, annotationOf(state, name)),
  };
  const context: AnnotationContext = { collector, scope, joins, grouped };
  return { collector, joins, scope, annotationNames, context };
}

function annotationOf(state: QueryState, name: string): AnnotationNode {
  const node = state.annotations.get(name);
  if (node === undefined) throw new Error(`unknown annotation ${name}`);
  return node;
}

function pathSql(built: Built, path: PathNode): Sql {
  if (path.kind === 'annotation') return built.scope.annotation!(path.name);
  return column(built.joins.forward(path.joins), path.field.column);
}

function orderSql(
  built: Built,
  terms: readonly OrderTerm[],
  dialect: Dialect,
  useAliases: boolean,
): Sql | undefined {
  if (terms.length === 0) return undefined;
  const parts = terms.map((term) => {
    const target =
      term.path.kind === 'annotation' && useAliases
        ? identifier(built.annotationNames.get(term.path.name)!)
        : pathSql(built, term.path);
    // NULLs sort first ascending and last descending on every database (PostgreSQL differs by default).
    if (dialect === 'postgres')
      return term.descending ? sql`${target} DESC NULLS LAST` : sql`${target} ASC NULLS FIRST`;
    return term.descending ? sql`${target} DESC` : sql`${target} ASC`;
  });
  return sql`ORDER BY ${list(parts)}`;
}

function limitSql(
  built: Built,
  state: QueryState,
  dialect: Dialect,
  fixedLimit?: number,
): Sql | undefined {
  const limit =
    fixedLimit !== undefined
      ? sql.lit(fixedLimit)
      : state.limit === undefined
        ? undefined
        : built.collector.param(state.limit, -1, undefined);
  const offset =
    state.offset === undefined ? undefined : built.collector.param(state.offset, -1, undefined);
  if (limit === undefined && offset === undefined) return undefined;
  if (offset === undefined) return sql`LIMIT ${limit!}`;
  if (limit !== undefined) return sql`LIMIT ${limit} OFFSET ${offset}`;
  if (dialect === 'postgres') return sql`OFFSET ${offset}`;
  return sql`LIMIT ${sql.raw(dialect === 'mysql' ? '18446744073709551615' : '-1')} OFFSET ${offset}`;
}

function lockSql(state: QueryState, dialect: Dialect, joined: boolean): Sql | undefined {
  if (state.lock === undefined || dialect === 'sqlite') return undefined;
  const of = joined && dialect === 'postgres' ? sql` OF ${identifier(state.meta.table)}` : sql``;
  const wait = state.lock.noWait ? sql` NOWAIT` : state.lock.skipLocked ? sql` SKIP LOCKED` : sql``;
  return sql`FOR UPDATE${of}${wait}`;
}

function whereParts(
  built: Built,
  state: QueryState,
  grouped: boolean,
): { where?: Sql; having?: Sql } {
  if (!grouped) return { where: compileConditions(built.collector, state.where, built.scope) };
  const plain: WhereNode[] = [];
  const aggregated: WhereNode[] = [];
  for (const node of state.where)
    (usesAggregate(node, state.annotations) ? aggregated : plain).push(node);
  return {
    where: compileConditions(built.collector, plain, built.scope),
    having: compileConditions(built.collector, aggregated, built.scope),
  };
}

function assemble(parts: {
  distinct: boolean;
  columns: Sql;
  from: Sql;
  joins: readonly Sql[];
  where?: Sql;
  groupBy?: Sql;
  having?: Sql;
  order?: Sql;
  limit?: Sql;
  lock?: Sql;
}): Sql {
  const pieces: Sql[] = [
    sql`SELECT ${parts.distinct ? sql`DISTINCT ` : sql``}${parts.columns} FROM ${parts.from}`,
  ];
  if (parts.joins.length > 0) pieces.push(sql.join(parts.joins, sql` `));
  if (parts.where !== undefined) pieces.push(sql`WHERE ${parts.where}`);
  if (parts.groupBy !== undefined) pieces.push(sql`GROUP BY ${parts.groupBy}`);
  if (parts.having !== undefined) pieces.push(sql`HAVING ${parts.having}`);
  if (parts.order !== undefined) pieces.push(parts.order);
  if (parts.limit !== undefined) pieces.push(parts.limit);
  if (parts.lock !== undefined) pieces.push(parts.lock);
  return sql.join(pieces, sql` `);
}

function loadedFields(state: QueryState): readonly Field[] {
  const { meta, projection } = state;
  if (projection.kind !== 'instances' || projection.fields === undefined)
    return meta.concreteFields;
  const wanted = projection.fields;
  return meta.concreteFields.filter((field) => field.primaryKey || wanted.has(field.attname));
}

/** Checks `select()` paths and returns the foreign keys of each. */
export function selectedChains(meta: ModelMeta, paths: readonly string[]): RelationField[][] {
  const chains: RelationField[][] = [];
  for (const path of paths) {
    let current = meta;
    const chain: RelationField[] = [];
    for (const step of path.split('.')) {
      const field = current.fieldByName.get(step);
      if (field === undefined || !field.isRelation || !field.concrete || field.attname === step) {
        throw new CarafeError(
          'CARAFE_DB_UNKNOWN_FIELD',
          `select('${path}'): ${current.label} has no foreign key or one-to-one "${step}". ` +
            `Choose from: ${current.forwardRelations.map((candidate) => `"${candidate.name}"`).join(', ') || 'none'}; ` +
            'use prefetch() for reverse and many-to-many relations.',
        );
      }
      chain.push(field as RelationField);
      current = (field as RelationField).target;
    }
    chains.push(chain);
  }
  return chains;
}

/** Joined aggregates multiply each other: allow one to-many relation per grouped query, alone. */
function checkGrouping(state: QueryState): void {
  const relations = new Set<string>();
  let own = 0;
  for (const node of state.annotations.values()) {
    if (!isAggregate(node)) continue;
    if (node.relation === undefined) own++;
    else relations.add(`${node.relation.field.model.label}.${node.relation.field.name}`);
  }
  if (relations.size > 1 || (relations.size === 1 && own > 0)) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'values().annotate() can aggregate over one to-many relation, or over the rows themselves, but not both: ' +
        'the joins would multiply rows and give wrong totals. Split it into two queries.',
    );
  }
}

function rowsQuery(state: QueryState, dialect: Dialect, fixedLimit?: number): Template<Reader> {
  const { meta, projection } = state;
  const grouped =
    projection.kind === 'values' &&
    [...state.annotations.values()].some((node) => isAggregate(node));
  if (grouped) checkGrouping(state);
  const built = start(state, dialect, grouped);
  const columns: Sql[] = [];
  const from = sql`${identifier(meta.table)}`;
  const annotationReaders: ColumnReader[] = [];
  let reader: Reader;
  let groupBy: Sql | undefined;
  let shape: ReadShape | undefined;
  let positionalReader: Reader | undefined;
  if (projection.kind === 'values') {
    const keys: { key: string; name: string; decode: Codec }[] = [];
    const groupColumns: Sql[] = [];
    projection.paths.forEach((path, index) => {
      const key = `v_${index}`;
      const expression = pathSql(built, path);
      columns.push(sql`${expression} AS ${identifier(key)}`);
      if (path.kind === 'annotation') {
        keys.push({
          key,
          name: path.name,
          decode: annotationDecoder(state.annotations.get(path.name)!, dialect),
        });
        if (!isAggregate(state.annotations.get(path.name))) groupColumns.push(expression);
      } else {
        keys.push({ key, name: path.name, decode: decoderFor(path.field, dialect) });
        groupColumns.push(expression);
      }
    });
    if (grouped && groupColumns.length > 0) groupBy = list(groupColumns);
    reader = valuesReader(keys, projection.shape);
  } else {
    const base: ColumnReader[] = [];
    const readFields: Field[] = [];
    for (const field of loadedFields(state)) {
      readFields.push(field);
      base.push({
        key: field.column,
        index: columns.length,
        attname: field.attname,
        decode: decoderFor(field, dialect),
      });
      columns.push(column(meta.table, field.column));
    }
    const nested: NestedReader[] = [];
    const chains = selectedChains(meta, state.selected);
    const seen = new Map<string, number>();
    for (const chain of chains) {
      let parent = -1;
      let key = '';
      for (const [depth, field] of chain.entries()) {
        key = key === '' ? field.name : `${key}.${field.name}`;
        const existing = seen.get(key);
        if (existing !== undefined) {
          parent = existing;
          continue;
        }
        const alias = built.joins.forward(chain.slice(0, depth + 1));
        const target = field.target;
        readFields.push(...target.concreteFields);
        const readers = target.concreteFields.map((targetField, index) => {
          const columnKey = `${alias}_${index}`;
          const position = columns.length;
          columns.push(sql`${column(alias, targetField.column)} AS ${identifier(columnKey)}`);
          return {
            key: columnKey,
            index: position,
            attname: targetField.attname,
            decode: decoderFor(targetField, dialect),
          };
        });
        const pkIndex = target.concreteFields.indexOf(target.pk);
        nested.push({
          name: field.name,
          parent,
          meta: target,
          pkKey: `${alias}_${pkIndex}`,
          pkIndex: readers[pkIndex]!.index,
          columns: readers,
        });
        seen.set(key, nested.length - 1);
        parent = nested.length - 1;
      }
    }
    for (const [name, node] of state.annotations) {
      const alias = built.annotationNames.get(name)!;
      annotationReaders.push({
        key: alias,
        index: columns.length,
        attname: name,
        decode: annotationDecoder(node, dialect),
      });
      columns.push(sql`${built.scope.annotation!(name)} AS ${identifier(alias)}`);
    }
    reader = instanceReader(meta, base, nested, annotationReaders);
    shape = instanceReadShape(state, readFields);
    if (shape.positional) {
      positionalReader = instanceReader(meta, base, nested, annotationReaders, true);
    }
  }
  const { where, having } = whereParts(built, state, grouped);
  const ordering = state.ordering ?? (grouped ? [] : modelOrdering(meta));
  const order = orderSql(built, ordering, dialect, projection.kind === 'instances');
  const limit = limitSql(built, state, dialect, fixedLimit);
  const query = assemble({
    distinct: state.distinct,
    columns: list(columns),
    from,
    joins: built.joins.clauses,
    where,
    groupBy,
    having,
    order,
    limit,
    lock: lockSql(state, dialect, built.joins.size > 0),
  });
  return {
    ...built.collector.finish(query),
    reader,
    ...(shape === undefined ? {} : { shape }),
    ...(positionalReader === undefined ? {} : { positionalReader }),
  };
}

/** The rows of a query, as SQL plus a reader. */
export function compileRows(
  state: QueryState,
  dialect: Dialect,
  fixedLimit?: number,
): Template<Reader> {
  return rowsQuery(state, dialect, fixedLimit);
}

const readCount: Reader = (rows) => [Number(rows[0]?.c ?? 0)];

/** `SELECT COUNT(*)`; sliced or distinct queries are counted from a subquery. */
export function compileCount(state: QueryState, dialect: Dialect): Template<Reader> {
  const needsSubquery =
    state.limit !== undefined ||
    state.offset !== undefined ||
    state.distinct ||
    state.projection.kind === 'values';
  if (needsSubquery) {
    const inner = rowsQuery({ ...state, ordering: [], lock: undefined }, dialect);
    const query = sql`SELECT COUNT(*) AS ${identifier('c')} FROM (${sql.raw(inner.sql)}) ${identifier('counted')}`;
    const compiled = new ParamCollector(dialect).finish(query);
    return { sql: compiled.sql, params: inner.params, reader: readCount };
  }
  const built = start(state, dialect, false);
  const { where } = whereParts(built, state, false);
  const query = assemble({
    distinct: false,
    columns: sql`COUNT(*) AS ${identifier('c')}`,
    from: sql`${identifier(state.meta.table)}`,
    joins: built.joins.clauses,
    where,
  });
  return { ...built.collector.finish(query), reader: readCount };
}

const readExists: Reader = (rows) => [rows.length > 0];

export function compileExists(state: QueryState, dialect: Dialect): Template<Reader> {
  const built = start(state, dialect, false);
  const { where } = whereParts(built, state, false);
  const query = assemble({
    distinct: false,
    columns: sql`1 AS ${identifier('e')}`,
    from: sql`${identifier(state.meta.table)}`,
    joins: built.joins.clauses,
    where,
    limit: limitSql(built, { ...state, limit: undefined, offset: state.offset }, dialect, 1),
  });
  return { ...built.collector.finish(query), reader: readExists };
}

/** `aggregate({ total: Sum('votes') })` over the filtered rows. */
export function compileAggregate(
  state: QueryState,
  dialect: Dialect,
  names: readonly string[],
): Template<Reader> {
  if (state.limit !== undefined || state.offset !== undefined || state.distinct) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      'aggregate() over a sliced or distinct query is not supported; filter instead of slicing, or aggregate in JavaScript.',
    );
  }
  const built = start(state, dialect, true);
  const { meta } = state;
  const decoders: { key: string; name: string; decode: Codec }[] = [];
  // Aggregates over to-many relations each read their own subquery, keyed by the filtered rows,
  // so they neither multiply the row's own aggregates nor each other.
  const keys = () => {
    const where = compileConditions(built.collector, state.where, built.scope);
    const from = sql`SELECT ${column(meta.table, meta.pk.column)} FROM ${identifier(meta.table)}`;
    return where === undefined ? from : sql`${from} WHERE ${where}`;
  };
  let ownAggregates = 0;
  const columns = names.map((name) => {
    const node = state.annotations.get(name)!;
    const alias = built.annotationNames.get(name)!;
    decoders.push({ key: alias, name, decode: annotationDecoder(node, dialect) });
    if (isAggregate(node) && node.relation !== undefined) {
      return sql`${isolatedAggregate(built.collector, node, built.scope, keys())} AS ${identifier(alias)}`;
    }
    ownAggregates++;
    return sql`${annotationSql(built.context, name, node)} AS ${identifier(alias)}`;
  });
  const query =
    ownAggregates === 0
      ? sql`SELECT ${list(columns)}`
      : assemble({
          distinct: false,
          columns: list(columns),
          from: sql`${identifier(meta.table)}`,
          joins: built.joins.clauses,
          where: compileConditions(built.collector, state.where, built.scope),
        });
  return { ...built.collector.finish(query), reader: valuesReader(decoders, 'object') };
}
