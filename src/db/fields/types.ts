// What a field means to the type checker. A field object carries these as a phantom type, so
// model rows, create inputs and filters are computed from the definition and never declared twice.
import type { AnyModel } from '../model-types.js';
import type { Expression } from '../query/expressions.js';

/** Which set of lookups (and which stored shape) a field has. */
export type Family =
  | 'string'
  | 'number'
  | 'bigint'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'duration'
  | 'uuid'
  | 'json'
  | 'binary';

export type RelationKind = 'foreignKey' | 'oneToOne' | 'manyToMany';

/**
 * A related model: a thunk (so definitions can come in any order), `'self'`, or an
 * `'app.Model'` label for models that refer to each other (typed through `RegisteredModels`).
 */
export type ModelRef = (() => AnyModel) | 'self' | `${string}.${string}`;

export interface FieldTypes {
  /** The JavaScript type of a value, without `null`. */
  readonly value: unknown;
  readonly nullable: boolean;
  /** May be left out of `create()`: it has a default, a database default, is nullable or is generated. */
  readonly optional: boolean;
  readonly family: Family;
  readonly pk: boolean;
}

export interface RelationTypes extends FieldTypes {
  readonly relation: RelationKind;
  readonly target: ModelRef;
  /** `undefined` means the default, `<modelName>Set`; `'+'` means no reverse accessor. */
  readonly relatedName: string | undefined;
}

export declare const fieldTypes: unique symbol;

/** Anything that carries field type information. */
export interface TypedField<I extends FieldTypes = FieldTypes> {
  readonly [fieldTypes]: I;
}

export type FieldMap = Record<string, TypedField>;

/** A validator returns a message when the value is not acceptable. */
export type Validator<T> = (value: T) => string | undefined;

/** `['draft', 'published']` or `[['draft', 'Draft'], ['published', 'Published']]`. */
export type ChoiceList<T> = readonly T[] | readonly (readonly [T, string])[];

export type ChoiceValue<C> = C extends readonly (infer E)[]
  ? E extends readonly [infer V, string]
    ? V
    : E
  : never;

/** Options every field accepts. `T` is the field's value type. */
export interface CommonOptions<T> {
  /** Store NULL for "no value"; the value type becomes `T | null`. */
  readonly nullable?: boolean;
  /** The field may be left empty in forms. */
  readonly blank?: boolean;
  /** Used by `create()` and `new Model()` when the value is missing; a function is called each time. */
  readonly default?: T | (() => T);
  /** A default the database applies (part of the table definition), e.g. `Now()`. */
  readonly dbDefault?: T | Expression<T>;
  readonly unique?: boolean;
  /** Create a database index on the column. */
  readonly index?: boolean;
  readonly primaryKey?: boolean;
  readonly label?: string;
  readonly helpText?: string;
  readonly validators?: readonly Validator<T>[];
  /** `false` hides the field from model forms and the admin's edit pages. */
  readonly editable?: boolean;
  /** The column name; defaults to the field name in snake_case. */
  readonly column?: string;
}

type Flag<O, K extends string> = O extends { readonly [P in K]: true } ? true : false;

/** Whether options make the field optional in `create()`. */
export type IsOptional<O> = O extends { readonly default: unknown }
  ? true
  : O extends { readonly dbDefault: unknown }
    ? true
    : Flag<O, 'nullable'>;

/** The phantom types of a plain field built from options `O`. */
export interface ScalarTypes<V, O, F extends Family> extends FieldTypes {
  readonly value: V;
  readonly nullable: Flag<O, 'nullable'>;
  readonly optional: IsOptional<O>;
  readonly family: F;
  readonly pk: Flag<O, 'primaryKey'>;
}

/** The value type chosen by `choices` when given, else `V`. */
export type Choose<O, V> = O extends { readonly choices: infer C } ? ChoiceValue<C> & V : V;
