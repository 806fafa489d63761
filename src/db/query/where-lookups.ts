// The leaves of a filter: one field (or annotation) compared by lookups. Checks each value
// against its field, moves it into the query's value list and records the shape.
import { badValue, unknownLookup } from '../errors.js';
import type { Field } from '../fields/field.js';
import type { Family } from '../fields/types.js';
import { checkValue, instanceMarker } from '../fields/values.js';
import type { ModelMeta } from '../meta.js';
import { type ExpressionNode, isExpression } from './expressions.js';
import { lookupsByFamily, transformFamily, transformsByFamily } from './lookups.js';
import type {
  AnnotationNode,
  LookupName,
  Operand,
  Subject,
  Transform,
  WhereNode,
} from './nodes.js';

export interface Collected {
  readonly node: WhereNode;
  readonly signature: string;
}

/** Appends values and builds signatures while one condition is normalized. */
export class WhereBuilder {
  readonly values: unknown[];
  readonly annotations: ReadonlyMap<string, AnnotationNode>;

  constructor(values: readonly unknown[], annotations: ReadonlyMap<string, AnnotationNode>) {
    this.values = values.length === 0 ? [] : [...values];
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

export function isInstance(value: unknown): value is Record<string | symbol, unknown> {
  return typeof value === 'object' && value !== null && instanceMarker in value;
}

/** Field names (and reverse relation names, and annotations) a filter on `meta` accepts. */
export function validNames(
  meta: ModelMeta,
  annotations?: ReadonlyMap<string, AnnotationNode>,
): string[] {
  return [...meta.fieldNames, ...(annotations?.keys() ?? [])];
}

export function group(connector: 'and' | 'or', negated: boolean, parts: Collected[]): Collected {
  if (parts.length === 1 && !negated) return parts[0]!;
  return {
    node: { kind: 'group', connector, negated, children: parts.map((part) => part.node) },
    signature: `${negated ? '!' : ''}${connector}(${parts.map((part) => part.signature).join(',')})`,
  };
}

const nothing: Operand = { kind: 'none' };

export function compare(
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

export interface ValueRules {
  readonly label: string;
  readonly name: string;
  readonly family: Family;
  /** Checks one comparison value; `undefined` for annotations (any value of the right kind). */
  readonly check: (value: unknown) => unknown;
}

const ruleCache = new WeakMap<Field, WeakMap<Field, ValueRules>>();

/** Rules are made once per field pair: filters run on every request. */
// A field compared as itself (`{ title: … }`) is by far the commonest case: one lookup, not two.
const ownRules = new WeakMap<Field, ValueRules>();

export function rulesForField(valueField: Field, shownAs: Field): ValueRules {
  if (valueField === shownAs) {
    let rules = ownRules.get(valueField);
    if (rules === undefined) {
      rules = makeRules(valueField, valueField);
      ownRules.set(valueField, rules);
    }
    return rules;
  }
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
      if (
        isInstance(value) &&
        valueField.primaryKey &&
        value[instanceMarker] === valueField.model.label
      ) {
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
        throw badValue(
          base.label,
          `${base.name}.${transform}`,
          "a date string 'YYYY-MM-DD'",
          value,
        );
      }
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw badValue(base.label, `${base.name}.${transform}`, 'a whole number', value);
    },
  };
}

/** Moves literal values out of an expression into the value list, so its SQL can be reused. */
export function slotExpression(
  builder: { slot(value: unknown): number },
  node: ExpressionNode,
): ExpressionNode {
  switch (node.type) {
    case 'value':
      return { type: 'slot', slot: builder.slot(node.value) };
    case 'arithmetic':
      return {
        ...node,
        left: slotExpression(builder, node.left),
        right: slotExpression(builder, node.right),
      };
    default:
      return node;
  }
}

/** One `lookup: value` pair on a subject. */
export function lookupCondition(
  builder: WhereBuilder,
  subject: Subject,
  rules: ValueRules,
  transform: Transform | undefined,
  lookup: LookupName,
  value: unknown,
): Collected {
  const at = `${subjectName(subject)}${transform === undefined ? '' : `.${transform}`}`;
  if (value === undefined) {
    throw badValue(
      rules.label,
      rules.name,
      `a value for "${lookup}" (undefined is not allowed; leave the key out)`,
      value,
    );
  }
  if (lookup === 'isNull') {
    if (typeof value !== 'boolean')
      throw badValue(rules.label, rules.name, 'true or false for isNull', value);
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
    return compare(
      subject,
      transform,
      lookup,
      { kind: 'expression', node },
      false,
      `${at}:${lookup}=${expressionSignature(node)}`,
    );
  }
  if (lookup === 'in' || lookup === 'range') {
    if (!Array.isArray(value) || (lookup === 'range' && value.length !== 2)) {
      const expected = lookup === 'range' ? 'a [low, high] pair for "range"' : 'an array for "in"';
      throw badValue(rules.label, rules.name, expected, value);
    }
    const checked = value.map((item) => rules.check(item));
    const slot = builder.slot(checked);
    return compare(
      subject,
      transform,
      lookup,
      { kind: 'slot', slot, count: checked.length },
      false,
      `${at}:${lookup}#${slot}x${checked.length}`,
    );
  }
  const textual = lookup !== 'exact' && !['gt', 'gte', 'lt', 'lte'].includes(lookup);
  let checked: unknown;
  if (textual) {
    if (typeof value !== 'string')
      throw badValue(rules.label, rules.name, `a string for "${lookup}"`, value);
    checked = value;
  } else {
    checked = rules.check(value);
  }
  const slot = builder.slot(checked);
  return compare(
    subject,
    transform,
    lookup,
    { kind: 'slot', slot, count: 1 },
    false,
    `${at}:${lookup}#${slot}`,
  );
}

/** `{ gte: 1, lte: 5 }`, `{ year: 2026 }`, `{ year: { gte: 2020 } }` on one subject. */
export function lookupsCondition(
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
