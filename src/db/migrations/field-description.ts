// What a migration knows about a field: the plain, schema-relevant part of its definition.
// Validators, labels, help texts, choices and JS defaults are left out on purpose — they never
// change the database, so changing them writes no migration. Migration files spell fields with
// the same `f` builders as models, and both sides are reduced to a description to be compared.
import { f } from '../fields/builders.js';
import type { Field, FieldKind } from '../fields/field.js';
import type { OnDelete, RelationField } from '../fields/relation.js';
import type { CommonOptions } from '../fields/types.js';
import { isExpression, Now } from '../query/expressions.js';
import { swappableOf, swappedLabel } from '../swappable.js';

/** A database default: a literal (JSON for json fields) or the current time. */
export type DbDefault = { readonly now: true } | { readonly value: unknown };

export interface FieldDescription {
  readonly kind: FieldKind;
  /** Only when the definition names the column; otherwise it follows the field name. */
  readonly column?: string;
  readonly primaryKey?: true;
  readonly nullable?: true;
  readonly unique?: true;
  readonly index?: true;
  /** Characters, for the string kinds. */
  readonly max?: number;
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  readonly dbDefault?: DbDefault;
  /** The related model's label, for relations (`'self'` already resolved). */
  readonly to?: string;
  readonly onDelete?: OnDelete;
  /** Kept so historical models in data migrations have the same reverse accessors. */
  readonly relatedName?: string;
  /** An explicit many-to-many join model's label. */
  readonly through?: string;
  /**
   * For relations to a swappable model (`'auth.User'`): `to` is then whatever the project put
   * in its place, filled in when the state is built, and migrations spell it `swappable(…)`.
   */
  readonly swappable?: string;
}

const stringKinds = new Set<FieldKind>(['string', 'email', 'url', 'slug']);

function relationTarget(field: RelationField, ownLabel: string | undefined): string {
  const ref = field.targetRef;
  if (typeof ref === 'string') return ref === 'self' ? (ownLabel ?? field.model.label) : ref;
  // A migration file's `swappable('auth.User')` is never bound: it points where the swap says.
  const swappable = swappableOf(ref);
  if (swappable !== undefined && !field.resolved) return swappedLabel(swappable);
  return field.target.label;
}

/**
 * The description of `field`. `ownLabel` resolves `'self'` for fields not bound to a model;
 * bound fields (a live model's) resolve function targets through their model's registry.
 */
export function describeField(field: Field, ownLabel?: string): FieldDescription {
  const options = field.spec.options;
  const described: {
    -readonly [K in keyof FieldDescription]: FieldDescription[K];
  } = { kind: field.kind };
  if (options.column !== undefined) described.column = options.column;
  if (field.primaryKey) described.primaryKey = true;
  if (field.nullable) described.nullable = true;
  // A primary key and a one-to-one are unique by nature; saying so again would be noise.
  if (field.unique && !field.primaryKey && field.kind !== 'oneToOne') described.unique = true;
  if (field.index && !field.unique) described.index = true;
  if (stringKinds.has(field.kind)) described.max = field.maxLength;
  if (field.kind === 'decimal') {
    described.maxDigits = field.maxDigits;
    described.decimalPlaces = field.decimalPlaces;
  }
  if (field.hasDbDefault) {
    described.dbDefault = isExpression(field.dbDefault)
      ? { now: true }
      : { value: field.dbDefault };
  }
  if (field.isRelation) {
    const relation = field as RelationField;
    described.to = relationTarget(relation, ownLabel);
    if (relation.relation !== 'manyToMany') described.onDelete = relation.onDelete;
    const relatedName = relation.relationSpec.relatedName;
    if (relatedName !== undefined) described.relatedName = relatedName;
    if (relation.throughRef !== undefined) described.through = relation.throughRef;
    const swappable = swappableOf(relation.targetRef);
    if (swappable !== undefined) described.swappable = swappable;
  }
  return described;
}

/** A canonical key of a description, for equality (key order and `undefined`s do not matter). */
export function descriptionKey(description: FieldDescription): string {
  const entries = Object.entries(description)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Big integer defaults (bigInteger fields) have no JSON form of their own.
  return JSON.stringify(entries, (_key, value: unknown) =>
    typeof value === 'bigint' ? `${value}n` : value,
  );
}

/** The options that matter to the schema, typed for any value type. */
type SchemaOptions = Pick<
  CommonOptions<never>,
  'column' | 'primaryKey' | 'nullable' | 'unique' | 'index' | 'dbDefault'
>;

function dbDefaultOption(description: FieldDescription): Pick<SchemaOptions, 'dbDefault'> {
  const given = description.dbDefault;
  if (given === undefined) return {};
  return { dbDefault: ('now' in given ? Now() : given.value) as never };
}

/** Builds a field (unbound) from its description, through the same builders models use. */
export function fieldFromDescription(description: FieldDescription): Field {
  const d = description;
  // Typed as options of any value type: the description was checked when it was made.
  const common: SchemaOptions = {
    ...(d.column !== undefined && { column: d.column }),
    ...(d.primaryKey === true && { primaryKey: true }),
    ...(d.nullable === true && { nullable: true }),
    ...(d.unique === true && { unique: true }),
    ...(d.index === true && { index: true }),
    ...dbDefaultOption(d),
  };
  switch (d.kind) {
    case 'auto':
    case 'bigAuto':
      return f[d.kind](d.column === undefined ? {} : { column: d.column });
    case 'string':
      return f.string({ ...common, max: d.max! });
    case 'email':
    case 'url':
    case 'slug':
      // `index: false` keeps a slug's implied index out when the description has none.
      return f[d.kind]({ index: false, ...common, max: d.max! });
    case 'decimal':
      return f.decimal({ ...common, maxDigits: d.maxDigits!, decimalPlaces: d.decimalPlaces! });
    case 'foreignKey':
    case 'oneToOne':
      return f[d.kind](d.to as `${string}.${string}`, {
        ...common,
        onDelete: d.onDelete ?? 'cascade',
        ...(d.relatedName !== undefined && { relatedName: d.relatedName }),
        // setDefault needs a default to be accepted; historical models never apply it.
        ...(d.onDelete === 'setDefault' && { default: null }),
      });
    case 'manyToMany':
      return f.manyToMany(d.to as `${string}.${string}`, {
        ...(d.relatedName !== undefined && { relatedName: d.relatedName }),
        ...(d.through !== undefined && { through: d.through as `${string}.${string}` }),
      });
    case 'json':
      return f.json(common);
    default: {
      // Every remaining builder takes the common options only.
      const build = f[d.kind] as (options: SchemaOptions) => Field;
      return build(common);
    }
  }
}
