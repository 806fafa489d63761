// Resolves dotted paths (`'question.text'`) and aggregate targets (`'choices.votes'`) against a
// model, failing with the valid names when a step does not exist.
import { CarafeError } from '../../index.js';
import { unknownField } from '../errors.js';
import type { RelationField } from '../fields/relation.js';
import type { ModelMeta } from '../meta.js';
import type { Aggregate } from './expressions.js';
import type { AggregateNode, AnnotationNode, FieldPathNode, Hop, PathNode } from './nodes.js';

function forwardNames(meta: ModelMeta): string[] {
  return meta.forwardRelations.map((field) => field.name);
}

/** Own fields and forward hops: `'text'`, `'questionId'`, `'question'`, `'question.text'`, `'pk'`. */
export function resolveFieldPath(meta: ModelMeta, path: string, where: string): FieldPathNode {
  const steps = path.split('.');
  const joins: RelationField[] = [];
  let current = meta;
  for (let index = 0; index < steps.length - 1; index++) {
    const step = steps[index]!;
    const field = current.fieldByName.get(step);
    if (field === undefined || !field.isRelation || !field.concrete || field.attname === step) {
      throw new CarafeError(
        'CARAFE_DB_UNKNOWN_FIELD',
        `${current.label} has no foreign key "${step}" to follow in "${path}" (used in ${where}). ` +
          `Foreign keys: ${
            forwardNames(current)
              .map((name) => `"${name}"`)
              .join(', ') || 'none'
          }. ` +
          'Paths follow foreign keys and one-to-ones forward; use filter() or prefetch() for reverse relations.',
      );
    }
    joins.push(field as RelationField);
    current = (field as RelationField).target;
  }
  const last = steps[steps.length - 1]!;
  const field = current.concreteField(last === 'pk' ? current.pk.name : last, where);
  return { kind: 'field', joins, field, name: path };
}

export function resolvePath(
  meta: ModelMeta,
  path: string,
  annotations: ReadonlyMap<string, AnnotationNode>,
  where: string,
): PathNode {
  if (typeof path !== 'string') {
    throw new CarafeError(
      'CARAFE_DB_UNKNOWN_FIELD',
      `${where} on ${meta.label} takes field names, got ${typeof path}.`,
    );
  }
  if (annotations.has(path)) return { kind: 'annotation', name: path };
  try {
    return resolveFieldPath(meta, path, where);
  } catch (error) {
    if (annotations.size === 0 || path.includes('.')) throw error;
    throw unknownField(
      meta.label,
      path,
      [...meta.concreteFields.map((field) => field.name), ...annotations.keys()],
      where,
    );
  }
}

function toManyHop(meta: ModelMeta, name: string): { hop: Hop; related: ModelMeta } | undefined {
  const field = meta.fieldByName.get(name);
  if (field !== undefined && field.kind === 'manyToMany') {
    const relation = field as RelationField;
    return {
      hop: { kind: 'manyToMany', field: relation, fromSource: true },
      related: relation.target,
    };
  }
  const reverse = meta.reverse.get(name);
  if (reverse === undefined) return undefined;
  const hop: Hop =
    reverse.relation === 'manyToMany'
      ? { kind: 'manyToMany', field: reverse.field, fromSource: false }
      : { kind: 'reverse', field: reverse.field };
  return { hop, related: reverse.related };
}

/** `Count('*')`, `Sum('votes')`, `Max('question.pubDate')`, `Count('choices')`, `Avg('choices.votes')`. */
export function resolveAggregate(
  meta: ModelMeta,
  aggregate: Aggregate,
  where: string,
): AggregateNode {
  const { fn, distinct, path } = aggregate;
  if (path === '*') {
    if (fn !== 'count') throw unknownField(meta.label, '*', ['a field name'], where);
    return {
      kind: 'aggregate',
      fn,
      distinct,
      relation: undefined,
      joins: [],
      field: undefined,
      over: meta,
    };
  }
  const [first = '', ...rest] = path.split('.');
  const many = toManyHop(meta, first);
  if (many !== undefined) {
    const field =
      rest.length === 0 ? undefined : resolveFieldPath(many.related, rest.join('.'), where);
    if (field !== undefined && field.joins.length > 0) {
      throw new CarafeError(
        'CARAFE_DB_UNKNOWN_FIELD',
        `${where}: "${path}" follows a relation after "${first}"; aggregate a field of the related model directly.`,
      );
    }
    if (field === undefined && fn !== 'count') {
      throw new CarafeError(
        'CARAFE_DB_UNKNOWN_FIELD',
        `${where}: ${fn} over "${path}" needs a field of the related rows, such as "${first}.${many.related.concreteFields[1]?.name ?? 'id'}".`,
      );
    }
    return {
      kind: 'aggregate',
      fn,
      distinct,
      relation: many.hop,
      joins: [],
      field: field?.field,
      over: many.related,
    };
  }
  const resolved = resolveFieldPath(meta, path, where);
  return {
    kind: 'aggregate',
    fn,
    distinct,
    relation: undefined,
    joins: resolved.joins,
    field: resolved.field,
    over: meta,
  };
}
