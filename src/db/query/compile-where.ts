// WhereNodes and expressions to SQL. Relations become correlated EXISTS subqueries, so a filter
// through a to-many relation never duplicates rows and conditions in one filter object apply to
// the same related row (Django's semantics), and UPDATE/DELETE can use the same WHERE.
import { CarafeError } from '../../index.js';
import { encoderFor } from '../fields/codecs.js';
import type { ModelMeta } from '../meta.js';
import { throughKeys } from '../through.js';
import type { ExpressionNode } from './expressions.js';
import { applyTransform, compileLookup, patternEncoder } from './lookups.js';
import type { Hop, WhereNode } from './nodes.js';
import { alwaysFalse, alwaysTrue, and, column, identifier, or, type Sql, sql } from './sql.js';
import type { ParamCollector } from './template.js';

/** Where the compiler is: which model's row `alias` names, and how to reach annotations. */
export interface Scope {
  readonly meta: ModelMeta;
  readonly alias: string;
  /** SQL of an annotation by name (only on the outer query). */
  readonly annotation?: (name: string) => Sql;
}

export function nowSql(collector: ParamCollector): Sql {
  switch (collector.dialect) {
    case 'postgres':
      return sql`CURRENT_TIMESTAMP`;
    case 'mysql':
      return sql`CURRENT_TIMESTAMP(6)`;
    case 'sqlite':
      return sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
  }
}

export function compileExpression(
  collector: ParamCollector,
  node: ExpressionNode,
  scope: Scope,
): Sql {
  switch (node.type) {
    case 'field': {
      if (
        scope.annotation !== undefined &&
        !node.path.includes('.') &&
        !scope.meta.fieldByName.has(node.path)
      ) {
        return scope.annotation(node.path);
      }
      const field = scope.meta.fieldByName.get(node.path === 'pk' ? scope.meta.pk.name : node.path);
      if (field === undefined || !field.concrete) {
        throw new CarafeError(
          'CARAFE_DB_UNKNOWN_FIELD',
          `F('${node.path}'): ${scope.meta.label} has no field "${node.path}". F() refers to fields of the same ` +
            `row: ${scope.meta.concreteFields.map((candidate) => `"${candidate.name}"`).join(', ')}.`,
        );
      }
      return column(scope.alias, field.column);
    }
    case 'slot':
      return collector.param(node.slot, -1, undefined);
    case 'value':
      throw new Error('expression values must be moved into slots before compiling');
    case 'now':
      return nowSql(collector);
    case 'arithmetic': {
      const left = compileExpression(collector, node.left, scope);
      const right = compileExpression(collector, node.right, scope);
      return sql`(${left} ${sql.raw(node.operator)} ${right})`;
    }
    case 'aggregate':
      throw new CarafeError(
        'CARAFE_DB_BAD_VALUE',
        'Aggregates belong in annotate() or aggregate(); compare the annotation by its name in filter().',
      );
  }
}

function compareSql(
  collector: ParamCollector,
  node: Extract<WhereNode, { kind: 'compare' }>,
  scope: Scope,
): Sql {
  const { subject, transform, lookup, operand } = node;
  const base =
    subject.kind === 'column'
      ? column(scope.alias, subject.field.column)
      : scope.annotation!(subject.name);
  const lhs = applyTransform(collector.dialect, transform, base);
  if (lookup === 'isNull') return node.flag ? sql`${lhs} IS NULL` : sql`${lhs} IS NOT NULL`;
  if (operand.kind === 'expression')
    return compileLookup(collector.dialect, lookup, lhs, [
      compileExpression(collector, operand.node, scope),
    ]);
  if (operand.kind === 'none') throw new Error('a comparison lost its value');
  const encode =
    patternEncoder(collector.dialect, lookup) ??
    (transform === undefined && subject.kind === 'column'
      ? encoderFor(subject.valueField, collector.dialect)
      : undefined);
  if (lookup === 'in' || lookup === 'range') {
    if (operand.count === 0) return alwaysFalse;
    const values = Array.from({ length: operand.count }, (_, index) =>
      collector.param(operand.slot, index, encode),
    );
    return compileLookup(collector.dialect, lookup, lhs, values);
  }
  return compileLookup(collector.dialect, lookup, lhs, [collector.param(operand.slot, -1, encode)]);
}

/** `EXISTS (SELECT 1 FROM related WHERE <correlation> AND <conditions>)`. */
function existsSql(
  collector: ParamCollector,
  node: Extract<WhereNode, { kind: 'exists' }>,
  scope: Scope,
): Sql {
  const { hop } = node;
  const inner = collector.alias('u');
  const { from, correlation, related } = hopSource(
    collector,
    hop,
    scope,
    inner,
    node.where !== undefined,
  );
  const conditions = [correlation];
  if (node.where !== undefined)
    conditions.push(compileWhere(collector, node.where, { meta: related, alias: inner }));
  const exists = sql`EXISTS (SELECT 1 FROM ${from} WHERE ${and(conditions)})`;
  return node.negated ? sql`NOT ${exists}` : exists;
}

export interface HopSource {
  /** FROM clause content, with `inner` naming the related model's rows. */
  readonly from: Sql;
  /** Ties the related rows to the outer row. */
  readonly correlation: Sql;
  /** The inner column holding the outer row's key (or, forward, the related key the outer row holds). */
  readonly innerKey: Sql;
  readonly related: ModelMeta;
}

/** How to reach the rows across `hop` from the outer row of `scope`. */
export function hopSource(
  collector: ParamCollector,
  hop: Hop,
  scope: Scope,
  inner: string,
  needRows = true,
): HopSource {
  const table = (meta: ModelMeta, alias: string) =>
    sql`${identifier(meta.table)} ${identifier(alias)}`;
  switch (hop.kind) {
    case 'forward': {
      const target = hop.field.target;
      const innerKey = column(inner, target.pk.column);
      return {
        from: table(target, inner),
        correlation: sql`${innerKey} = ${column(scope.alias, hop.field.column)}`,
        innerKey,
        related: target,
      };
    }
    case 'reverse': {
      const innerKey = column(inner, hop.field.column);
      return {
        from: table(hop.field.model, inner),
        correlation: sql`${innerKey} = ${column(scope.alias, scope.meta.pk.column)}`,
        innerKey,
        related: hop.field.model,
      };
    }
    case 'manyToMany': {
      const keys = throughKeys(hop.field);
      const near = hop.fromSource ? keys.source : keys.target;
      const far = hop.fromSource ? keys.target : keys.source;
      const related = far.target;
      const join = collector.alias('j');
      const innerKey = column(join, near.column);
      const correlation = sql`${innerKey} = ${column(scope.alias, scope.meta.pk.column)}`;
      if (!needRows) return { from: table(keys.through, join), correlation, innerKey, related };
      return {
        from: sql`${table(keys.through, join)} INNER JOIN ${table(related, inner)} ON ${column(inner, related.pk.column)} = ${column(join, far.column)}`,
        correlation,
        innerKey,
        related,
      };
    }
  }
}

export function compileWhere(collector: ParamCollector, node: WhereNode, scope: Scope): Sql {
  switch (node.kind) {
    case 'group': {
      if (node.children.length === 0) return node.negated ? alwaysFalse : alwaysTrue;
      const parts = node.children.map((child) => compileWhere(collector, child, scope));
      const joined = node.connector === 'and' ? and(parts) : or(parts);
      return node.negated ? sql`NOT ${parts.length === 1 ? sql`(${joined})` : joined}` : joined;
    }
    case 'compare':
      return compareSql(collector, node, scope);
    case 'exists':
      return existsSql(collector, node, scope);
  }
}

/** All conditions of a query, AND-ed; `undefined` when there are none. */
export function compileConditions(
  collector: ParamCollector,
  nodes: readonly WhereNode[],
  scope: Scope,
): Sql | undefined {
  if (nodes.length === 0) return undefined;
  return and(nodes.map((node) => compileWhere(collector, node, scope)));
}
