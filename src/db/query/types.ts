// The typed shapes of filters, paths and results. Lookups are interfaces picked by the field's
// family through an indexed access, so each field costs one lookup, not a chain of conditionals.
import type { FieldTypes, RelationTypes } from '../fields/types.js';
import type {
  AnyModel,
  FieldsOf,
  InfoOf,
  Instance,
  PkKey,
  PkValue,
  Row,
  TargetOf,
} from '../model-types.js';
import type {
  RelatedModel,
  ReverseRelations,
  ReverseSource,
  ToManyName,
} from '../relation-types.js';
import type {
  Aggregate,
  AggregateFunction,
  Arithmetic,
  Expression,
  FieldRef,
} from './expressions.js';
import type { QNode } from './q.js';

/** A value, or an expression computed by the database (`F('other')`). */
type Operand<V> = V | Expression;

export interface EqualityLookups<V> {
  readonly exact?: Operand<V> | null;
  readonly in?: readonly V[];
  readonly isNull?: boolean;
}

export interface OrderedLookups<V> extends EqualityLookups<V> {
  readonly gt?: Operand<V>;
  readonly gte?: Operand<V>;
  readonly lt?: Operand<V>;
  readonly lte?: Operand<V>;
  /** Inclusive on both ends, like SQL BETWEEN. */
  readonly range?: readonly [V, V];
}

export interface StringLookups<V> extends OrderedLookups<V> {
  readonly iexact?: string;
  readonly contains?: string;
  readonly icontains?: string;
  readonly startsWith?: string;
  readonly iStartsWith?: string;
  readonly endsWith?: string;
  readonly iEndsWith?: string;
  readonly regex?: string;
  readonly iregex?: string;
}

/** A part of a date, compared as a number: `{ year: 2026 }` or `{ year: { gte: 2020 } }`. */
export type PartLookup = number | OrderedLookups<number>;

export interface DateParts {
  readonly year?: PartLookup;
  readonly quarter?: PartLookup;
  readonly month?: PartLookup;
  readonly day?: PartLookup;
  /** 1 (Sunday) to 7 (Saturday), as in Django. */
  readonly weekDay?: PartLookup;
  /** 1 (Monday) to 7 (Sunday). */
  readonly isoWeekDay?: PartLookup;
}

export interface TimeParts {
  readonly hour?: PartLookup;
  readonly minute?: PartLookup;
  readonly second?: PartLookup;
}

export interface DateLookups extends OrderedLookups<string>, DateParts {}

export interface DateTimeLookups extends OrderedLookups<Date>, DateParts, TimeParts {
  /** The UTC calendar day, `'YYYY-MM-DD'`. */
  readonly date?: string | OrderedLookups<string>;
}

export interface TimeLookups extends OrderedLookups<string>, TimeParts {}

export interface JsonLookups<V> {
  readonly exact?: V;
  readonly isNull?: boolean;
}

interface LookupsByFamily<V> {
  string: StringLookups<V>;
  number: OrderedLookups<V>;
  bigint: OrderedLookups<V>;
  decimal: OrderedLookups<V>;
  boolean: EqualityLookups<V>;
  date: DateLookups;
  datetime: DateTimeLookups;
  time: TimeLookups;
  duration: OrderedLookups<V>;
  uuid: OrderedLookups<V>;
  json: JsonLookups<V>;
  binary: EqualityLookups<V>;
}

type Info = FieldTypes;
type Nullable<V, I extends Info> = I['nullable'] extends true ? V | null : V;

export type ScalarFilter<I extends Info> = I['family'] extends 'json'
  ? JsonLookups<I['value']>
  : Nullable<I['value'], I> | Expression | LookupsByFamily<I['value']>[I['family']];

/** A relation's condition: the related key, lookups on it, or conditions on the related row. */
type RelationFilter<T extends AnyModel, Nullish> =
  | PkValue<T>
  | Nullish
  | Instance<T>
  | OrderedLookups<PkValue<T>>
  | Where<T>;

type FieldFilter<I extends Info, M extends AnyModel> = I extends RelationTypes
  ? RelationFilter<TargetOf<I, M>, I['nullable'] extends true ? null : never>
  : ScalarFilter<I>;

type AutoPkKey<M extends AnyModel> = PkKey<M> extends keyof FieldsOf<M> ? never : 'id';

type WhereValue<M extends AnyModel, A, K> = K extends keyof FieldsOf<M>
  ? FieldFilter<InfoOf<FieldsOf<M>, K>, M>
  : K extends keyof A
    ? A[K] | OrderedLookups<A[K]>
    : K extends keyof ReverseRelations<M>
      ? RelationFilter<ReverseSource<M, K>, null>
      : number | OrderedLookups<number>;

/**
 * A filter on `M`: field → value (exact), lookups, or for relations conditions on the related
 * rows. `A` holds annotation types, which can be filtered too. One object type (not an
 * intersection), so misspelled keys and non-objects are caught.
 */
export type Where<M extends AnyModel, A = unknown> = {
  readonly [K in
    | keyof FieldsOf<M>
    | AutoPkKey<M>
    | keyof ReverseRelations<M>
    | keyof A]?: WhereValue<M, A, K>;
};

/** What `filter()` and `exclude()` accept. */
export type Condition<M extends AnyModel, A = unknown> = Where<M, A> | QNode<Where<M, A>>;

type ForeignKeyNames<M extends AnyModel> = {
  [K in keyof FieldsOf<M>]: InfoOf<FieldsOf<M>, K> extends {
    readonly relation: 'foreignKey' | 'oneToOne';
  }
    ? K
    : never;
}[keyof FieldsOf<M>] &
  string;

/** Own stored values, foreign keys by name, one hop through a foreign key (`question.text`). */
export type FieldPath<M extends AnyModel> =
  | (keyof Row<M> & string)
  | ForeignKeyNames<M>
  | {
      [K in ForeignKeyNames<M>]: `${K}.${keyof Row<TargetOf<InfoOf<FieldsOf<M>, K>, M>> & string}`;
    }[ForeignKeyNames<M>];

/** A value path, or an annotation name. */
export type Path<M extends AnyModel, A> = FieldPath<M> | (keyof A & string);

/** `'pubDate'`, `'-pubDate'`, `'question.text'`, an annotation name… */
export type OrderKey<M extends AnyModel, A = unknown> = Path<M, A> | `-${Path<M, A>}`;

type ForwardValue<M extends AnyModel, K extends keyof FieldsOf<M>, Rest extends string> =
  TargetOf<InfoOf<FieldsOf<M>, K>, M> extends infer T extends AnyModel
    ? Rest extends keyof Row<T>
      ? InfoOf<FieldsOf<M>, K>['nullable'] extends true
        ? Row<T>[Rest] | null
        : Row<T>[Rest]
      : never
    : never;

/** The value type found at a path. */
export type ValueAt<M extends AnyModel, A, P extends string> = P extends keyof A
  ? A[P]
  : P extends keyof Row<M>
    ? Row<M>[P]
    : P extends keyof FieldsOf<M>
      ? Row<M>[`${P}Id` & keyof Row<M>]
      : P extends `${infer K}.${infer Rest}`
        ? K extends keyof FieldsOf<M>
          ? ForwardValue<M, K, Rest>
          : RelatedModel<M, K> extends infer S extends AnyModel
            ? Rest extends keyof Row<S>
              ? Row<S>[Rest] | null
              : never
            : never
        : never;

/** Paths an aggregate may name: fields, forward hops, to-many relations and their fields. */
export type AggregatePath<M extends AnyModel> =
  | '*'
  | FieldPath<M>
  | ToManyName<M>
  | {
      [N in ToManyName<M>]: `${N}.${keyof Row<RelatedModel<M, N>> & string}`;
    }[ToManyName<M>];

/** The type an aggregate yields: counts are numbers; sums, averages, minimums may be null. */
export type AggregateValue<M extends AnyModel, G> =
  G extends Aggregate<infer Fn, infer P>
    ? Fn extends 'count'
      ? number
      : Fn extends 'avg'
        ? number | null
        : NonNullable<ValueAt<M, unknown, P>> | null
    : G extends FieldRef<infer P>
      ? ValueAt<M, unknown, P>
      : G extends Expression<infer V>
        ? V
        : never;

/** Annotation/aggregate specs: aggregates over valid paths, or F() arithmetic. */
export type AggregateSpec<M extends AnyModel> = Record<
  string,
  Aggregate<AggregateFunction, AggregatePath<M>> | Arithmetic<unknown>
>;

export type AggregateResult<M extends AnyModel, S> = {
  -readonly [K in keyof S]: AggregateValue<M, S[K]>;
};

/** Flattens an intersection for readable hover text and cheap comparisons. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};
