// Turns filter objects into WhereNodes, checking every field name, lookup and value on the way.
// Values go into the query's value list; the signature string records the shape (never the
// values), so queries of the same shape share one compiled SQL text.
import { CarafeError } from '../../core/errors.js';
import { badValue, unknownField, unknownLookup } from '../errors.js';
import type { Field } from '../fields/field.js';
import type { RelationField } from '../fields/relation.js';
import type { Family } from '../fields/types.js';
import { checkValue, instanceMarker } from '../fields/values.js';
import type { ModelMeta, ReverseRelation } from '../meta.js';
import { type ExpressionNode, isExpression } from './expressions.js';
import { allLookupNames, keyLookups, lookupsByFamily, transformFamily, transformsByFamily } from './lookups.js';
import type { AnnotationNode, Hop, LookupName, Operand, Subject, Transform, WhereNode } from './nodes.js';
import { QNode } from './q.js';

export interface Collected {
  readonly node: WhereNode;
  readonly signature: string;
}

/** Appends values and builds signatures while one condition is normalized. */
export class WhereBuilder {
  readonly values: unknown[];
  readonly annotations: ReadonlyMap<string, AnnotationNode>;

  constructor(values: readonly unknown[], annotations: ReadonlyMap<string, AnnotationNode>) {
    this.values = [...values];
    this.annotations = annotations;
  }

  slot(value: unknown): number {
    this.values.push(value);
    return this.values.length - 1;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isInstance(value: unknown): value is Record<string | symbol, unknown> {
  return typeof value === 'object' && value !== null && instanceMarker in value;
}

/** Field names (and reverse relation names, and annotations) a filter on `meta` accepts. */
export function validNames(meta: ModelMeta, annotations?: ReadonlyMap<string, AnnotationNode>): string[] {
  return [...meta.fieldNames, ...(annotations?.keys() ?? [])];
}

function group(connector: 'and' | 'or', negated: boolean, parts: Collected[]): Collected {
  if (parts.length === 1 && !negated) return parts[0]!;
  return {
    node: { kind: 'group', connector, negated, children: parts.map((part) => part.node) },
    signature: `${negated ? '!' : ''}${connector}(${parts.map((part) => part.signature).join(',')})`,
  };
}

const nothing: Operand = { kind: 'none' };

function compare(
  subject: Subject,
  transform: Transform | undefined,
  lookup: LookupName,
  operand: Operand,
  flag: boolean,
  signature: string,
): Collected {
  return { node: { kind: 'compare', subject, transform, lookup, operand, flag }, signature };
}

function subjectName(subject: Subject): string {
  return subject.kind === 'column' ? subject.field.name : `@${subject.name}`;
}

interface ValueRules {
  readonly label: string;
  readonly name: string;
  readonly family: Family;
  /** Checks one comparison value; `undefined` for annotations (any value of the right kind). */
  readonly check: (value: unknown) => unknown;
}

const ruleCache = new WeakMap<Field, WeakMap<Field, ValueRules>>();

/** Rules are made once per field pair: filters run on every request. */
function rulesForField(valueField: Field, shownAs: Field): ValueRules {
  let byShown = ruleCache.get(valueField);
  if (byShown === undefined) {
    byShown = new WeakMap();
    ruleCache.set(valueField, byShown);
  }
  let rules = byShown.get(shownAs);
  if (rules === undefined) {
    rules = makeRules(valueField, shownAs);
    byShown.set(shownAs, rules);
  }
  return rules;
}

function makeRules(valueField: Field, shownAs: Field): ValueRules {
  return {
    label: shownAs.model.label,
    name: shownAs.name,
    family: valueField.family,
    check: (value) => {
      // A foreign key compares against the related primary key; an instance stands for its key.
      if (shownAs.isRelation) return checkValue(shownAs, value, false);
      if (isInstance(value) && valueField.primaryKey && value[instanceMarker] === valueField.model.label) {
        return checkValue(valueField, value[valueField.attname], false);
      }
      return checkValue(valueField, value, false);
    },
  };
}

function partRules(base: ValueRules, transform: Transform): ValueRules {
  const family = transformFamily(transform);
  return {
    label: base.label,
    name: `${base.name}.${transform}`,
    family,
    check: (value) => {
      if (family === 'date') {
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
        throw badValue(base.label, `${base.name}.${transform}`, "a date string 'YYYY-MM-DD'", value);
      }
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw badValue(base.label, `${base.name}.${transform}`, 'a whole number', value);
    },
  };
}

/** Moves literal values out of an expression into the value list, so its SQL can be reused. */
export function slotExpression(builder: { slot(value: unknown): number }, node: ExpressionNode): ExpressionNode {
  switch (node.type) {
    case 'value':
      return { type: 'slot', slot: builder.slot(node.value) };
    case 'arithmetic':
      return { ...node, left: slotExpression(builder, node.left), right: slotExpression(builder, node.right) };
    default:
      return node;
  }
}

/** One `lookup: value` pair on a subject. */
function lookupCondition(
  builder: WhereBuilder,
  subject: Subject,
  rules: ValueRules,
  transform: Transform | undefined,
  lookup: LookupName,
  value: unknown,
): Collected {
  const at = `${subjectName(subject)}${transform === undefined ? '' : `.${transform}`}`;
  if (value === undefined) {
    throw badValue(rules.label, rules.name, `a value for "${lookup}" (undefined is not allowed; leave the key out)`, value);
  }
  if (lookup === 'isNull') {
    if (typeof value !== 'boolean') throw badValue(rules.label, rules.name, 'true or false for isNull', value);
    return compare(subject, transform, 'isNull', nothing, value, `${at}:isNull=${value}`);
  }
  if (lookup === 'exact' && value === null) {
    return compare(subject, transform, 'isNull', nothing, true, `${at}:isNull=true`);
  }
  if (isExpression(value)) {
    if (lookup === 'in' || lookup === 'range') {
      throw badValue(rules.label, rules.name, `a list of values for "${lookup}"`, value);
    }
    const node = slotExpression(builder, value.expression);
    return compare(subject, transform, lookup, { kind: 'expression', node }, false, `${at}:${lookup}=${expressionSignature(node)}`);
  }
  if (lookup === 'in' || lookup === 'range') {
    if (!Array.isArray(value) || (lookup === 'range' && value.length !== 2)) {
      const expected = lookup === 'range' ? 'a [low, high] pair for "range"' : 'an array for "in"';
      throw badValue(rules.label, rules.name, expected, value);
    }
    const checked = value.map((item) => rules.check(item));
    const slot = builder.slot(checked);
    return compare(subject, transform, lookup, { kind: 'slot', slot, count: checked.length }, false, `${at}:${lookup}#${slot}x${checked.length}`);
  }
  const textual = lookup !== 'exact' && !['gt', 'gte', 'lt', 'lte'].includes(lookup);
  let checked: unknown;
  if (textual) {
    if (typeof value !== 'string') throw badValue(rules.label, rules.name, `a string for "${lookup}"`, value);
    checked = value;
  } else {
    checked = rules.check(value);
  }
  const slot = builder.slot(checked);
  return compare(subject, transform, lookup, { kind: 'slot', slot, count: 1 }, false, `${at}:${lookup}#${slot}`);
}

/** `{ gte: 1, lte: 5 }`, `{ year: 2026 }`, `{ year: { gte: 2020 } }` on one subject. */
function lookupsCondition(
  builder: WhereBuilder,
  subject: Subject,
  rules: ValueRules,
  transform: Transform | undefined,
  lookups: Record<string, unknown>,
): Collected {
  const family = rules.family;
  const allowed = lookupsByFamily[family];
  const transforms = transform === undefined ? (transformsByFamily[family] ?? []) : [];
  const parts: Collected[] = [];
  for (const [key, value] of Object.entries(lookups)) {
    if ((allowed as readonly string[]).includes(key)) {
      parts.push(lookupCondition(builder, subject, rules, transform, key as LookupName, value));
    } else if ((transforms as readonly string[]).includes(key)) {
      const part = key as Transform;
      const inner = partRules(rules, part);
      parts.push(
        isPlainObject(value)
          ? lookupsCondition(builder, subject, inner, part, value)
          : lookupCondition(builder, subject, inner, part, 'exact', value),
      );
    } else {
      throw unknownLookup(rules.label, rules.name, key, [...allowed, ...transforms]);
    }
  }
  if (parts.length === 0) throw badValue(rules.label, rules.name, 'at least one lookup', lookups);
  return group('and', false, parts);
}

const exactNodes = new WeakMap<Field, Collected[]>();

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
    collected = compare(subject, undefined, 'exact', { kind: 'slot', slot, count: 1 }, false, `${field.name}:exact#${slot}`);
    if (slot < 16) nodes[slot] = collected;
  }
  return collected;
}

function scalarCondition(builder: WhereBuilder, field: Field, value: unknown): Collected {
  const rules = rulesForField(field, field);
  if (value !== null && typeof value !== 'object') return exactCondition(builder, field, rules.check(value));
  const subject: Subject = { kind: 'column', field, valueField: field };
  if (field.family === 'json') {
    if (!isPlainObject(value)) {
      throw badValue(field.model.label, field.name, 'a lookup object such as { exact: … } or { isNull: true }', value);
    }
    return lookupsCondition(builder, subject, rules, undefined, value);
  }
  if (isPlainObject(value)) return lookupsCondition(builder, subject, rules, undefined, value);
  if (Array.isArray(value)) throw badValue(field.model.label, field.name, 'a single value (use { in: [...] } for a list)', value);
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

function relationCondition(builder: WhereBuilder, meta: ModelMeta, relation: Relation, value: unknown): Collected {
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
      return lookupCondition(builder, subject, rules, undefined, 'exact', value === null ? null : value);
    }
    const keys = Object.keys(value);
    const onKey = keys.filter((key) => keyLookups.has(key) && !related.fieldByName.has(key));
    const nested = keys.filter((key) => !onKey.includes(key));
    const parts: Collected[] = [];
    if (onKey.length > 0) {
      parts.push(lookupsCondition(builder, subject, rules, undefined, Object.fromEntries(onKey.map((key) => [key, value[key]]))));
    }
    if (nested.length > 0) {
      parts.push(exists(objectCondition(builder, related, Object.fromEntries(nested.map((key) => [key, value[key]]))), false));
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
      if (typeof item !== 'boolean') throw badValue(meta.label, relation.name, 'true or false for isNull', item);
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
  if (parts.length === 0) throw badValue(meta.label, relation.name, 'at least one condition', value);
  return group('and', false, parts);
}

function forwardRelation(field: RelationField): Relation {
  if (field.relation === 'manyToMany') {
    return { hop: { kind: 'manyToMany', field, fromSource: true }, related: field.target, keyField: undefined, name: field.name };
  }
  return { hop: { kind: 'forward', field }, related: field.target, keyField: field, name: field.name };
}

function reverseRelation(reverse: ReverseRelation): Relation {
  const hop: Hop =
    reverse.relation === 'manyToMany'
      ? { kind: 'manyToMany', field: reverse.field, fromSource: false }
      : { kind: 'reverse', field: reverse.field };
  return { hop, related: reverse.related, keyField: undefined, name: reverse.name };
}

function annotationCondition(builder: WhereBuilder, name: string, value: unknown, label: string): Collected {
  const subject: Subject = { kind: 'annotation', name };
  const rules: ValueRules = {
    label,
    name,
    family: 'number',
    check: (item) => {
      if (typeof item === 'number' || typeof item === 'string' || typeof item === 'bigint' || item instanceof Date) return item;
      throw badValue(label, name, 'a number, string or Date', item);
    },
  };
  return isPlainObject(value)
    ? lookupsCondition(builder, subject, rules, undefined, value)
    : lookupCondition(builder, subject, rules, undefined, 'exact', value);
}

/** A plain filter object: every key must hold (AND). */
export function objectCondition(builder: WhereBuilder, meta: ModelMeta, conditions: Record<string, unknown>): Collected {
  const parts: Collected[] = [];
  for (const [key, value] of Object.entries(conditions)) {
    if (value === undefined) {
      throw badValue(meta.label, key, 'a value (undefined is not allowed; leave the key out to not filter)', value);
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
        parts.push(relationCondition(builder, meta, { ...forwardRelation(field as RelationField), keyField: field as RelationField }, isPlainObject(value) ? onlyKeyLookups(meta, field, value) : value));
      } else parts.push(relationCondition(builder, meta, forwardRelation(field as RelationField), value));
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
    return { node: { kind: 'group', connector: 'and', negated: false, children: [] }, signature: 'and()' };
  }
  return group('and', false, parts);
}

function onlyKeyLookups(meta: ModelMeta, field: Field, value: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(value)) {
    if (!keyLookups.has(key)) throw unknownLookup(meta.label, field.attname, key, keyLookups);
  }
  return value;
}

/** A filter object or Q node. */
export function condition(builder: WhereBuilder, meta: ModelMeta, input: unknown): Collected {
  if (input instanceof QNode) {
    const parts = input.children.map((child) => condition(builder, meta, child));
    if (parts.length === 0) throw new CarafeError('CARAFE_DB_BAD_VALUE', `Q.${input.connector}() needs at least one condition.`);
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

export function expressionSignature(node: ExpressionNode): string {
  switch (node.type) {
    case 'field':
      return `F(${node.path})`;
    case 'value':
      return `V(${typeof node.value})`;
    case 'slot':
      return `S#${node.slot}`;
    case 'now':
      return 'now';
    case 'arithmetic':
      return `(${expressionSignature(node.left)}${node.operator}${expressionSignature(node.right)})`;
    case 'aggregate':
      return `${node.fn}(${node.distinct ? 'distinct ' : ''}${node.path})`;
  }
}

export { allLookupNames };
