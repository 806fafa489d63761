// Turns filter objects into WhereNodes, checking every field name, lookup and value on the way.
// Values go into the query's value list; the signature string records the shape (never the
// values), so queries of the same shape share one compiled SQL text.
import { CarafeError } from '../../index.js';
import { badValue, unknownField, unknownLookup } from '../errors.js';
import type { Field } from '../fields/field.js';
import type { RelationField } from '../fields/relation.js';
import type { ModelMeta, ReverseRelation } from '../meta.js';
import { keyLookups } from './lookups.js';
import type { Hop, Subject, WhereNode } from './nodes.js';
import { QNode } from './q.js';
import {
  type Collected,
  compare,
  group,
  isInstance,
  isPlainObject,
  lookupCondition,
  lookupsCondition,
  rulesForField,
  type ValueRules,
  validNames,
  type WhereBuilder,
} from './where-lookups.js';

export {
  type Collected,
  expressionSignature,
  isPlainObject,
  slotExpression,
  WhereBuilder,
} from './where-lookups.js';

const exactNodes = new WeakMap<Field, Collected[]>();
const reusedNodes = new WeakSet<WhereNode>();

/**
 * Whether `node` is one `{ field: value }` condition shared by every query that filters that
 * field that way: its identity then stands for its shape, and can key compiled SQL.
 */
export function isReusedNode(node: WhereNode): boolean {
  return reusedNodes.has(node);
}

/** `{ id: 3 }`, the most common filter, reuses its node: only the value is new. */
function exactCondition(builder: WhereBuilder, field: Field, checked: unknown): Collected {
  const slot = builder.slot(checked);
  let nodes = exactNodes.get(field);
  if (nodes === undefined) {
    nodes = [];
    exactNodes.set(field, nodes);
  }
  let collected = nodes[slot];
  if (collected === undefined) {
    const subject: Subject = { kind: 'column', field, valueField: field };
    collected = compare(
      subject,
      undefined,
      'exact',
      { kind: 'slot', slot, count: 1 },
      false,
      `${field.name}:exact#${slot}`,
    );
    if (slot < 16) {
      nodes[slot] = collected;
      reusedNodes.add(collected.node);
    }
  }
  return collected;
}

function scalarCondition(builder: WhereBuilder, field: Field, value: unknown): Collected {
  const rules = rulesForField(field, field);
  if (value !== null && typeof value !== 'object')
    return exactCondition(builder, field, rules.check(value));
  const subject: Subject = { kind: 'column', field, valueField: field };
  if (field.family === 'json') {
    if (!isPlainObject(value)) {
      throw badValue(
        field.model.label,
        field.name,
        'a lookup object such as { exact: … } or { isNull: true }',
        value,
      );
    }
    return lookupsCondition(builder, subject, rules, undefined, value);
  }
  if (isPlainObject(value)) return lookupsCondition(builder, subject, rules, undefined, value);
  if (Array.isArray(value))
    throw badValue(
      field.model.label,
      field.name,
      'a single value (use { in: [...] } for a list)',
      value,
    );
  return lookupCondition(builder, subject, rules, undefined, 'exact', value);
}

/** The hop into the related rows, and the model they belong to. */
interface Relation {
  readonly hop: Hop;
  readonly related: ModelMeta;
  /** The field on the current row compared for key lookups (forward keys only). */
  readonly keyField: RelationField | undefined;
  readonly name: string;
}

function relationCondition(
  builder: WhereBuilder,
  meta: ModelMeta,
  relation: Relation,
  value: unknown,
): Collected {
  const { related, keyField } = relation;
  const exists = (where: Collected | undefined, negated: boolean): Collected => ({
    node: { kind: 'exists', hop: relation.hop, where: where?.node, negated },
    signature: `${negated ? '!' : ''}exists:${relation.name}(${where?.signature ?? ''})`,
  });
  const onRelatedPk = (lookups: Record<string, unknown>): Collected =>
    lookupsCondition(
      builder,
      { kind: 'column', field: related.pk, valueField: related.pk },
      rulesForField(related.pk, related.pk),
      undefined,
      lookups,
    );
  if (keyField !== undefined) {
    const subject: Subject = { kind: 'column', field: keyField, valueField: related.pk };
    const rules = rulesForField(related.pk, keyField);
    if (!isPlainObject(value)) {
      return lookupCondition(
        builder,
        subject,
        rules,
        undefined,
        'exact',
        value === null ? null : value,
      );
    }
    const keys = Object.keys(value);
    const onKey = keys.filter((key) => keyLookups.has(key) && !related.fieldByName.has(key));
    const nested = keys.filter((key) => !onKey.includes(key));
    const parts: Collected[] = [];
    if (onKey.length > 0) {
      parts.push(
        lookupsCondition(
          builder,
          subject,
          rules,
          undefined,
          Object.fromEntries(onKey.map((key) => [key, value[key]])),
        ),
      );
    }
    if (nested.length > 0) {
      parts.push(
        exists(
          objectCondition(
            builder,
            related,
            Object.fromEntries(nested.map((key) => [key, value[key]])),
          ),
          false,
        ),
      );
    }
    return group('and', false, parts);
  }
  // To-many: conditions apply to one and the same related row, inside EXISTS.
  if (value === null) return exists(undefined, true);
  if (!isPlainObject(value)) return exists(onRelatedPk({ exact: value }), false);
  const entries = Object.entries(value);
  const parts: Collected[] = [];
  const rest: Record<string, unknown> = {};
  const pkLookups: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    if (key === 'isNull' && !related.fieldByName.has(key)) {
      if (typeof item !== 'boolean')
        throw badValue(meta.label, relation.name, 'true or false for isNull', item);
      parts.push(exists(undefined, item));
    } else if (keyLookups.has(key) && !related.fieldByName.has(key)) {
      pkLookups[key] = item;
    } else {
      rest[key] = item;
    }
  }
  const inner: Collected[] = [];
  if (Object.keys(pkLookups).length > 0) inner.push(onRelatedPk(pkLookups));
  if (Object.keys(rest).length > 0) inner.push(objectCondition(builder, related, rest));
  if (inner.length > 0) parts.push(exists(group('and', false, inner), false));
  if (parts.length === 0)
    throw badValue(meta.label, relation.name, 'at least one condition', value);
  return group('and', false, parts);
}

function forwardRelation(field: RelationField): Relation {
  if (field.relation === 'manyToMany') {
    return {
      hop: { kind: 'manyToMany', field, fromSource: true },
      related: field.target,
      keyField: undefined,
      name: field.name,
    };
  }
  return {
    hop: { kind: 'forward', field },
    related: field.target,
    keyField: field,
    name: field.name,
  };
}

function reverseRelation(reverse: ReverseRelation): Relation {
  const hop: Hop =
    reverse.relation === 'manyToMany'
      ? { kind: 'manyToMany', field: reverse.field, fromSource: false }
      : { kind: 'reverse', field: reverse.field };
  return { hop, related: reverse.related, keyField: undefined, name: reverse.name };
}

function annotationCondition(
  builder: WhereBuilder,
  name: string,
  value: unknown,
  label: string,
): Collected {
  const subject: Subject = { kind: 'annotation', name };
  const rules: ValueRules = {
    label,
    name,
    family: 'number',
    check: (item) => {
      if (
        typeof item === 'number' ||
        typeof item === 'string' ||
        typeof item === 'bigint' ||
        item instanceof Date
      )
        return item;
      throw badValue(label, name, 'a number, string or Date', item);
    },
  };
  return isPlainObject(value)
    ? lookupsCondition(builder, subject, rules, undefined, value)
    : lookupCondition(builder, subject, rules, undefined, 'exact', value);
}

/** A plain filter object: every key must hold (AND). */
export function objectCondition(
  builder: WhereBuilder,
  meta: ModelMeta,
  conditions: Record<string, unknown>,
): Collected {
  const parts: Collected[] = [];
  for (const key in conditions) {
    if (!Object.hasOwn(conditions, key)) continue;
    const value = conditions[key];
    if (value === undefined) {
      throw badValue(
        meta.label,
        key,
        'a value (undefined is not allowed; leave the key out to not filter)',
        value,
      );
    }
    if (builder.annotations.has(key)) {
      parts.push(annotationCondition(builder, key, value, meta.label));
      continue;
    }
    const name = key === 'pk' ? meta.pk.name : key;
    const field = meta.fieldByName.get(name);
    if (field !== undefined) {
      if (!field.isRelation) parts.push(scalarCondition(builder, field, value));
      else if (name === field.attname && field.concrete) {
        // `questionId: 3` compares the key column directly.
        parts.push(
          relationCondition(
            builder,
            meta,
            { ...forwardRelation(field as RelationField), keyField: field as RelationField },
            isPlainObject(value) ? onlyKeyLookups(meta, field, value) : value,
          ),
        );
      } else
        parts.push(
          relationCondition(builder, meta, forwardRelation(field as RelationField), value),
        );
      continue;
    }
    const reverse = meta.reverse.get(key);
    if (reverse !== undefined) {
      parts.push(relationCondition(builder, meta, reverseRelation(reverse), value));
      continue;
    }
    throw unknownField(meta.label, key, validNames(meta, builder.annotations), 'filter()');
  }
  if (parts.length === 0) {
    return {
      node: { kind: 'group', connector: 'and', negated: false, children: [] },
      signature: 'and()',
    };
  }
  return group('and', false, parts);
}

function onlyKeyLookups(
  meta: ModelMeta,
  field: Field,
  value: Record<string, unknown>,
): Record<string, unknown> {
  for (const key of Object.keys(value)) {
    if (!keyLookups.has(key)) throw unknownLookup(meta.label, field.attname, key, keyLookups);
  }
  return value;
}

/**
 * `{ field: value }` with a single key naming a plain (non-relation) field and a plain value: the
 * field and the value checked as filter() checks it. `undefined` for anything else.
 */
export function singleEquality(
  meta: ModelMeta,
  input: unknown,
): { field: Field; checked: unknown } | undefined {
  if (!isPlainObject(input)) return undefined;
  let key: string | undefined;
  for (const name in input) {
    if (key !== undefined || !Object.hasOwn(input, name)) return undefined;
    key = name;
  }
  if (key === undefined) return undefined;
  const value = input[key];
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  const field = meta.fieldByName.get(key === 'pk' ? meta.pk.name : key);
  if (field === undefined || field.isRelation) return undefined;
  return { field, checked: rulesForField(field, field).check(value) };
}

/** A filter object or Q node. */
export function condition(builder: WhereBuilder, meta: ModelMeta, input: unknown): Collected {
  if (input instanceof QNode) {
    const parts = input.children.map((child) => condition(builder, meta, child));
    if (parts.length === 0)
      throw new CarafeError(
        'CARAFE_DB_BAD_VALUE',
        `Q.${input.connector}() needs at least one condition.`,
      );
    return group(input.connector, input.negated, parts);
  }
  if (isInstance(input) || !isPlainObject(input)) {
    throw new CarafeError(
      'CARAFE_DB_BAD_VALUE',
      `filter() on ${meta.label} takes an object such as { text: 'x' } or a Q.or/Q.and/Q.not, got ${input === null ? 'null' : typeof input}.`,
    );
  }
  return objectCondition(builder, meta, input);
}
