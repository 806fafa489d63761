// Annotations and aggregates as SQL, and how to read their results. On a row query an aggregate
// over a to-many relation is a correlated subquery (so several of them never multiply each
// other); in grouped queries and aggregate() it aggregates over joined rows.
import { CarafeError } from '../../index.js';
import type { Dialect } from '../connection/index.js';
import { type Codec, decoderFor, storageField } from '../fields/codecs.js';
import type { Field } from '../fields/field.js';
import { compileExpression, hopSource, type Scope } from './compile-where.js';
import type { Joins } from './joins.js';
import type { AggregateNode, AnnotationNode, WhereNode } from './nodes.js';
import { column, type Sql, sql } from './sql.js';
import type { ParamCollector } from './template.js';

function aggregateCall(fn: AggregateNode['fn'], distinct: boolean, target: Sql | undefined): Sql {
  const name = sql.raw(fn.toUpperCase());
  if (target === undefined) return sql`COUNT(*)`;
  return distinct ? sql`${name}(DISTINCT ${target})` : sql`${name}(${target})`;
}

/** The aggregate as a scalar subquery correlated to the outer row. */
function subqueryAggregate(collector: ParamCollector, node: AggregateNode, scope: Scope): Sql {
  const inner = collector.alias('s');
  const source = hopSource(collector, node.relation!, scope, inner);
  const target = node.field === undefined ? undefined : column(inner, node.field.column);
  return sql`(SELECT ${aggregateCall(node.fn, node.distinct, target)} FROM ${source.from} WHERE ${source.correlation})`;
}

/** The aggregate over joined rows (GROUP BY queries and aggregate()). */
function joinedAggregate(node: AggregateNode, joins: Joins, name: string): Sql {
  if (node.relation !== undefined) {
    const { alias, meta } = joins.toMany(node.relation, name);
    // COUNT of the related key counts 0 for a row without related rows; COUNT(*) would say 1.
    const target = column(alias, (node.field ?? meta.pk).column);
    return aggregateCall(node.fn, node.distinct, target);
  }
  if (node.field === undefined) return aggregateCall(node.fn, node.distinct, undefined);
  const alias = joins.forward(node.joins);
  return aggregateCall(node.fn, node.distinct, column(alias, node.field.column));
}

/**
 * The aggregate over the related rows of every outer row whose key is in `keys` (a subquery):
 * aggregate() uses it so several relations never multiply each other's rows.
 */
export function isolatedAggregate(
  collector: ParamCollector,
  node: AggregateNode,
  scope: Scope,
  keys: Sql,
): Sql {
  const inner = collector.alias('s');
  const source = hopSource(collector, node.relation!, scope, inner);
  const target = column(inner, (node.field ?? source.related.pk).column);
  return sql`(SELECT ${aggregateCall(node.fn, node.distinct, target)} FROM ${source.from} WHERE ${source.innerKey} IN (${keys}))`;
}

export interface AnnotationContext {
  readonly collector: ParamCollector;
  readonly scope: Scope;
  readonly joins: Joins;
  /** Aggregate over joined rows (GROUP BY / aggregate()) instead of per-row subqueries. */
  readonly grouped: boolean;
}

export function annotationSql(context: AnnotationContext, name: string, node: AnnotationNode): Sql {
  if (node.kind === 'expression')
    return compileExpression(context.collector, node.node, context.scope);
  if (context.grouped) return joinedAggregate(node, context.joins, path(node, name));
  if (node.relation !== undefined) return subqueryAggregate(context.collector, node, context.scope);
  throw new CarafeError(
    'CARAFE_DB_BAD_VALUE',
    `annotate({ ${name}: … }) aggregates a field of the row itself, which needs a grouping: call ` +
      `.values('field', …) before .annotate() to group by those fields, or use aggregate() for one total.`,
  );
}

function path(node: AggregateNode, name: string): string {
  return node.relation === undefined
    ? name
    : `${node.relation.kind}:${node.relation.field.model.label}.${node.relation.field.name}`;
}

export function isAggregate(node: AnnotationNode | undefined): node is AggregateNode {
  return node !== undefined && node.kind === 'aggregate';
}

/** Whether a condition compares an aggregate annotation (so it belongs in HAVING). */
export function usesAggregate(
  node: WhereNode,
  annotations: ReadonlyMap<string, AnnotationNode>,
): boolean {
  switch (node.kind) {
    case 'group':
      return node.children.some((child) => usesAggregate(child, annotations));
    case 'compare':
      return node.subject.kind === 'annotation' && isAggregate(annotations.get(node.subject.name));
    case 'exists':
      return false;
  }
}

const toNumber: Codec = (raw) => (raw === null || typeof raw === 'number' ? raw : Number(raw));
const toBigInt: Codec = (raw) =>
  raw === null || typeof raw === 'bigint' ? raw : BigInt(raw as string);

function decimalText(places: number): Codec {
  return (raw) => {
    if (raw === null) return null;
    if (typeof raw === 'number') return raw.toFixed(places);
    const [whole = '0', fraction = ''] = String(raw).split('.');
    return places === 0 ? whole : `${whole}.${fraction.padEnd(places, '0').slice(0, places)}`;
  };
}

/** How to read a value computed from `field` by a sum, a difference… (drivers differ in what they return). */
function numericCodec(field: Field | undefined): Codec {
  if (field === undefined) return toNumber;
  const stored = storageField(field);
  if (stored.family === 'decimal') return decimalText(stored.decimalPlaces ?? 0);
  if (stored.family === 'bigint') return toBigInt;
  return toNumber;
}

/** Converts an annotation's raw result to the type its declaration promises. */
export function annotationDecoder(node: AnnotationNode, dialect: Dialect): Codec {
  if (node.kind === 'expression') {
    // A bare F('field') is the field's own value; arithmetic yields numbers.
    if (node.node.type === 'field' && node.field !== undefined)
      return decoderFor(node.field, dialect);
    return numericCodec(node.field);
  }
  switch (node.fn) {
    case 'count':
    case 'avg':
      return toNumber;
    case 'sum':
      return numericCodec(node.field);
    default: {
      if (node.field === undefined) return toNumber;
      const stored = storageField(node.field);
      const decode = decoderFor(node.field, dialect);
      if (stored.family === 'decimal') return decimalText(stored.decimalPlaces ?? 0);
      if (stored.family === 'number') return toNumber;
      return decode;
    }
  }
}

export function annotationAlias(index: number): string {
  return `a_${index}`;
}
