// `f.string({ max: 200 })`, `f.foreignKey(() => Question, { onDelete: 'cascade' })`…
// Each builder checks its options at definition time and returns a field whose phantom type
// carries the value type, nullability and whether `create()` may omit it.
import { CarafeError } from '../../index.js';
import { Field, type FieldKind, type RawOptions } from './field.js';
import { type OnDelete, onDeleteChoices, RelationField } from './relation.js';
import type {
  ChoiceList,
  Choose,
  CommonOptions,
  Family,
  FieldTypes,
  ModelRef,
  RelationTypes,
  ScalarTypes,
  Validator,
} from './types.js';
import * as validate from './validators.js';

export interface StringOptions extends CommonOptions<string> {
  /** Maximum length in characters; required, as in Django (use `f.text()` for unbounded text). */
  readonly max: number;
  readonly choices?: ChoiceList<string>;
}

export interface TextOptions extends CommonOptions<string> {
  readonly choices?: ChoiceList<string>;
}

export interface NumberOptions extends CommonOptions<number> {
  readonly choices?: ChoiceList<number>;
  readonly min?: number;
  readonly max?: number;
}

export interface DecimalOptions extends CommonOptions<string> {
  readonly maxDigits: number;
  readonly decimalPlaces: number;
}

export interface LimitedStringOptions extends CommonOptions<string> {
  readonly max?: number;
}

function optionError(kind: string, problem: string): CarafeError {
  return new CarafeError('CARAFE_DB_FIELD_OPTIONS', `f.${kind}(): ${problem}.`);
}

function positiveInteger(kind: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw optionError(kind, `${name} must be a whole number ≥ 1, got ${String(value)}`);
  }
  return value;
}

function scalar<I extends FieldTypes>(
  kind: FieldKind,
  family: Family,
  options: RawOptions,
  extra: {
    maxLength?: number;
    maxDigits?: number;
    decimalPlaces?: number;
    validators?: Validator<never>[];
  } = {},
): Field<I> {
  if (options.primaryKey === true && options.nullable === true) {
    throw optionError(kind, 'a primary key cannot be nullable');
  }
  return new Field<I>({
    kind,
    family,
    options,
    maxLength: extra.maxLength,
    maxDigits: extra.maxDigits,
    decimalPlaces: extra.decimalPlaces,
    builtinValidators: extra.validators,
  });
}

function lengthValidators(
  max: number | undefined,
  more: Validator<string>[] = [],
): Validator<never>[] {
  return max === undefined ? more : [validate.maxLength(max), ...more];
}

function numberValidators(options: NumberOptions): Validator<never>[] {
  const list: Validator<number>[] = [];
  if (options.min !== undefined) list.push(validate.minValue(options.min));
  if (options.max !== undefined) list.push(validate.maxValue(options.max));
  return list;
}

interface AutoTypes extends FieldTypes {
  readonly value: number;
  readonly nullable: false;
  readonly optional: true;
  readonly family: 'number';
  readonly pk: true;
}

interface JsonTypes<T, Nullable extends boolean, Optional extends boolean> extends FieldTypes {
  readonly value: T;
  readonly nullable: Nullable;
  readonly optional: Optional;
  readonly family: 'json';
  readonly pk: false;
}

export interface JsonOptions<T> extends Omit<CommonOptions<T>, 'primaryKey' | 'unique' | 'index'> {}

export interface ForeignKeyOptions extends Omit<CommonOptions<never>, 'default' | 'dbDefault'> {
  readonly onDelete: OnDelete;
  /** The accessor on the related model (`'choices'`); `<modelName>Set` by default; `'+'` for none. */
  readonly relatedName?: string;
  /** The related row's primary key to use when none is given. */
  readonly default?: unknown;
}

export interface ManyToManyOptions {
  readonly relatedName?: string;
  /**
   * An explicit join model, by label (`'people.Membership'`), with a foreign key to each side;
   * an automatic table otherwise. A label, because the join model refers back to this one.
   */
  readonly through?: `${string}.${string}`;
  readonly label?: string;
  readonly helpText?: string;
  readonly blank?: boolean;
  readonly editable?: boolean;
}

export interface RelationFieldTypes<R extends RelationTypes['relation'], T extends ModelRef, O>
  extends RelationTypes {
  readonly value: unknown;
  readonly nullable: O extends { readonly nullable: true } ? true : false;
  readonly optional: R extends 'manyToMany'
    ? true
    : O extends { readonly nullable: true }
      ? true
      : O extends { readonly default: unknown }
        ? true
        : false;
  readonly family: 'number';
  readonly pk: O extends { readonly primaryKey: true } ? true : false;
  readonly relation: R;
  readonly target: T;
  readonly relatedName: O extends { readonly relatedName: infer N extends string } ? N : undefined;
}

function relation<I extends RelationTypes>(
  kind: 'foreignKey' | 'oneToOne' | 'manyToMany',
  target: ModelRef,
  options: ForeignKeyOptions | (ManyToManyOptions & { onDelete?: undefined }),
): RelationField<I> {
  if (
    typeof target !== 'function' &&
    (typeof target !== 'string' || (target !== 'self' && !target.includes('.')))
  ) {
    throw optionError(
      kind,
      `the related model must be a function returning it (() => Question), 'self', or a label ('polls.Question')`,
    );
  }
  const onDelete = options.onDelete ?? 'cascade';
  if (kind !== 'manyToMany' && !onDeleteChoices.includes(onDelete)) {
    throw optionError(
      kind,
      `onDelete must be one of ${onDeleteChoices.join(', ')}, got ${String(onDelete)}`,
    );
  }
  const common: RawOptions = options;
  if (onDelete === 'setNull' && common.nullable !== true) {
    throw optionError(kind, "onDelete: 'setNull' needs nullable: true");
  }
  if (onDelete === 'setDefault' && (options as ForeignKeyOptions).default === undefined) {
    throw optionError(kind, "onDelete: 'setDefault' needs a default");
  }
  return new RelationField<I>({
    kind,
    family: 'number',
    options: { ...common, unique: kind === 'oneToOne' || common.unique === true },
    relation: kind,
    target,
    onDelete,
    relatedName: options.relatedName,
    through: 'through' in options ? options.through : undefined,
  });
}

/** Field builders. Each returns plain metadata; see the models guide for every option. */
export const f = {
  /** An auto-incrementing integer primary key (32-bit). Models get a 64-bit one named `id` by default. */
  auto(options: Pick<CommonOptions<number>, 'label' | 'column'> = {}): Field<AutoTypes> {
    return scalar('auto', 'number', { ...options, primaryKey: true });
  },
  /** A 64-bit auto-incrementing primary key, read as a `number` (exact up to 2^53). */
  bigAuto(options: Pick<CommonOptions<number>, 'label' | 'column'> = {}): Field<AutoTypes> {
    return scalar('bigAuto', 'number', { ...options, primaryKey: true });
  },
  /** Text up to `max` characters (VARCHAR). `choices` narrows the type to their union. */
  string<const O extends StringOptions>(
    options: O,
  ): Field<ScalarTypes<Choose<O, string>, O, 'string'>> {
    const max = positiveInteger('string', 'max', options?.max);
    return scalar('string', 'string', options, {
      maxLength: max,
      validators: lengthValidators(max),
    });
  },
  /** A string limited to the given values: `f.choice(['draft', 'published'])`. */
  choice<const C extends readonly [string, ...string[]], const O extends TextOptions>(
    values: C,
    options?: O,
  ): Field<ScalarTypes<C[number], O, 'string'>> {
    if (!Array.isArray(values) || values.length === 0)
      throw optionError('choice', 'give at least one value');
    const max = Math.max(...values.map((value) => value.length));
    return scalar(
      'string',
      'string',
      { ...options, choices: values },
      {
        maxLength: max,
        validators: lengthValidators(max),
      },
    );
  },
  /** Unbounded text (TEXT). */
  text<const O extends TextOptions>(
    options?: O,
  ): Field<ScalarTypes<Choose<O, string>, O, 'string'>> {
    return scalar('text', 'string', options ?? {});
  },
  email<const O extends LimitedStringOptions>(
    options?: O,
  ): Field<ScalarTypes<string, O, 'string'>> {
    const max = options?.max ?? 254;
    return scalar('email', 'string', options ?? {}, {
      maxLength: max,
      validators: lengthValidators(max, [validate.email]),
    });
  },
  url<const O extends LimitedStringOptions>(options?: O): Field<ScalarTypes<string, O, 'string'>> {
    const max = options?.max ?? 200;
    return scalar('url', 'string', options ?? {}, {
      maxLength: max,
      validators: lengthValidators(max, [validate.url]),
    });
  },
  /** Letters, digits, `-` and `_`; indexed by default, as in Django. */
  slug<const O extends LimitedStringOptions>(options?: O): Field<ScalarTypes<string, O, 'string'>> {
    const max = options?.max ?? 50;
    return scalar(
      'slug',
      'string',
      { index: true, ...options },
      {
        maxLength: max,
        validators: lengthValidators(max, [validate.slug]),
      },
    );
  },
  /** A 32-bit integer. `min`/`max` add validators. */
  integer<const O extends NumberOptions>(
    options?: O,
  ): Field<ScalarTypes<Choose<O, number>, O, 'number'>> {
    return scalar('integer', 'number', options ?? {}, {
      validators: numberValidators(options ?? {}),
    });
  },
  smallInteger<const O extends NumberOptions>(
    options?: O,
  ): Field<ScalarTypes<Choose<O, number>, O, 'number'>> {
    return scalar('smallInteger', 'number', options ?? {}, {
      validators: numberValidators(options ?? {}),
    });
  },
  /** A 64-bit integer, as a `bigint`. */
  bigInteger<const O extends CommonOptions<bigint>>(
    options?: O,
  ): Field<ScalarTypes<bigint, O, 'bigint'>> {
    return scalar('bigInteger', 'bigint', options ?? {});
  },
  /** A double-precision float. */
  float<const O extends NumberOptions>(options?: O): Field<ScalarTypes<number, O, 'number'>> {
    return scalar('float', 'number', options ?? {}, {
      validators: numberValidators(options ?? {}),
    });
  },
  /** An exact decimal, as a string such as `"12.50"` (never a rounded float). */
  decimal<const O extends DecimalOptions>(options: O): Field<ScalarTypes<string, O, 'decimal'>> {
    const maxDigits = positiveInteger('decimal', 'maxDigits', options?.maxDigits);
    const places = options.decimalPlaces;
    if (
      typeof places !== 'number' ||
      !Number.isInteger(places) ||
      places < 0 ||
      places > maxDigits
    ) {
      throw optionError(
        'decimal',
        `decimalPlaces must be a whole number from 0 to maxDigits (${maxDigits})`,
      );
    }
    return scalar('decimal', 'decimal', options, {
      maxDigits,
      decimalPlaces: places,
      validators: [validate.decimalDigits(maxDigits, places)],
    });
  },
  boolean<const O extends CommonOptions<boolean>>(
    options?: O,
  ): Field<ScalarTypes<boolean, O, 'boolean'>> {
    return scalar('boolean', 'boolean', options ?? {});
  },
  /** A calendar day as `'YYYY-MM-DD'` (no time zone involved). */
  date<const O extends CommonOptions<string>>(options?: O): Field<ScalarTypes<string, O, 'date'>> {
    return scalar('date', 'date', options ?? {});
  },
  /** An instant, as a `Date`; stored in UTC. */
  datetime<const O extends CommonOptions<Date>>(
    options?: O,
  ): Field<ScalarTypes<Date, O, 'datetime'>> {
    return scalar('datetime', 'datetime', options ?? {});
  },
  /** A time of day as `'HH:MM:SS'` (with `.ffffff` when it has a fraction). */
  time<const O extends CommonOptions<string>>(options?: O): Field<ScalarTypes<string, O, 'time'>> {
    return scalar('time', 'time', options ?? {});
  },
  /** A length of time in whole milliseconds (a `number`), stored as a 64-bit integer. */
  duration<const O extends CommonOptions<number>>(
    options?: O,
  ): Field<ScalarTypes<number, O, 'duration'>> {
    return scalar('duration', 'duration', options ?? {});
  },
  /** A UUID as a lowercase string. Use `default: () => crypto.randomUUID()` to generate one. */
  uuid<const O extends CommonOptions<string>>(options?: O): Field<ScalarTypes<string, O, 'uuid'>> {
    return scalar('uuid', 'uuid', options ?? {});
  },
  /** Bytes, as a `Uint8Array` (a `Buffer` when read back). */
  binary<const O extends CommonOptions<Uint8Array>>(
    options?: O,
  ): Field<ScalarTypes<Uint8Array, O, 'binary'>> {
    return scalar('binary', 'binary', options ?? {});
  },
  /** JSON data typed as `T`: `f.json<{ tags: string[] }>()`. */
  json: json,
  /** Many rows of this model point at one row of `target`. */
  foreignKey<const T extends ModelRef, const O extends ForeignKeyOptions>(
    target: T,
    options: O,
  ): RelationField<RelationFieldTypes<'foreignKey', T, O>> {
    return relation('foreignKey', target, options);
  },
  /** A foreign key that is also unique: each target row has at most one of these. */
  oneToOne<const T extends ModelRef, const O extends ForeignKeyOptions>(
    target: T,
    options: O,
  ): RelationField<RelationFieldTypes<'oneToOne', T, O>> {
    return relation('oneToOne', target, options);
  },
  /** Many rows on each side; a join table is made unless `through` names one. */
  manyToMany<const T extends ModelRef, const O extends ManyToManyOptions>(
    target: T,
    options?: O,
  ): RelationField<RelationFieldTypes<'manyToMany', T, O>> {
    return relation('manyToMany', target, options ?? {});
  },
};

function json<T>(
  options: JsonOptions<T> & { readonly nullable: true },
): Field<JsonTypes<T, true, true>>;
function json<T>(
  options: JsonOptions<T> & ({ readonly default: T | (() => T) } | { readonly dbDefault: T }),
): Field<JsonTypes<T, false, true>>;
function json<T = unknown>(options?: JsonOptions<T>): Field<JsonTypes<T, false, false>>;
function json<T>(options: JsonOptions<T> = {}): Field<JsonTypes<T, boolean, boolean>> {
  return scalar('json', 'json', options);
}
