// A field's runtime metadata: plain, readable properties that the query layer, createTables,
// and later the forms, admin and migrations read. The type parameter is phantom.
import type { ModelMeta } from '../meta.js';
import type { Family, FieldTypes, fieldTypes, TypedField, Validator } from './types.js';

export type FieldKind =
  | 'auto'
  | 'bigAuto'
  | 'string'
  | 'text'
  | 'integer'
  | 'smallInteger'
  | 'bigInteger'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'duration'
  | 'uuid'
  | 'json'
  | 'email'
  | 'url'
  | 'slug'
  | 'binary'
  | 'foreignKey'
  | 'oneToOne'
  | 'manyToMany';

/** Options as stored at runtime, whatever the field's value type. */
export interface RawOptions {
  readonly nullable?: boolean;
  readonly blank?: boolean;
  readonly default?: unknown;
  readonly dbDefault?: unknown;
  readonly unique?: boolean;
  readonly index?: boolean;
  readonly primaryKey?: boolean;
  readonly label?: string;
  readonly helpText?: string;
  readonly validators?: readonly Validator<never>[];
  readonly editable?: boolean;
  readonly column?: string;
  readonly choices?: readonly unknown[];
}

/** What a field builder hands to the constructor: the kind plus its checked options. */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly family: Family;
  readonly options: RawOptions;
  readonly maxLength?: number;
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  /** Validators the kind implies (email format, slug characters…), run before the user's. */
  readonly builtinValidators?: readonly Validator<never>[];
}

export class Field<I extends FieldTypes = FieldTypes> implements TypedField<I> {
  declare readonly [fieldTypes]: I;
  readonly spec: FieldSpec;
  readonly kind: FieldKind;
  readonly family: Family;
  readonly nullable: boolean;
  readonly blank: boolean;
  readonly unique: boolean;
  readonly index: boolean;
  readonly primaryKey: boolean;
  readonly editable: boolean;
  readonly label: string | undefined;
  readonly helpText: string | undefined;
  /** `[value, label]` pairs, or `undefined` when the field is free-form. */
  readonly choices: readonly (readonly [unknown, string])[] | undefined;
  readonly validators: readonly Validator<never>[];
  readonly maxLength: number | undefined;
  readonly maxDigits: number | undefined;
  readonly decimalPlaces: number | undefined;
  readonly hasDefault: boolean;
  readonly hasDbDefault: boolean;
  readonly dbDefault: unknown;

  // Set once when the field is attached to a model; each model gets its own copy.
  name = '';
  /** The property that holds the stored value on an instance (`questionId` for a foreign key). */
  attname = '';
  column = '';
  #model: ModelMeta | undefined;

  constructor(spec: FieldSpec) {
    const o = spec.options;
    this.spec = spec;
    this.kind = spec.kind;
    this.family = spec.family;
    this.nullable = o.nullable === true;
    this.blank = o.blank ?? this.nullable;
    this.primaryKey = o.primaryKey === true;
    this.unique = o.unique === true || this.primaryKey;
    this.index = o.index === true;
    this.editable = o.editable ?? true;
    this.label = o.label;
    this.helpText = o.helpText;
    this.choices = o.choices?.map((choice): readonly [unknown, string] =>
      Array.isArray(choice) ? [choice[0], String(choice[1])] : [choice, String(choice)],
    );
    this.validators = [...(spec.builtinValidators ?? []), ...(o.validators ?? [])];
    this.maxLength = spec.maxLength;
    this.maxDigits = spec.maxDigits;
    this.decimalPlaces = spec.decimalPlaces;
    this.hasDefault = o.default !== undefined;
    this.hasDbDefault = o.dbDefault !== undefined;
    this.dbDefault = o.dbDefault;
  }

  get model(): ModelMeta {
    if (this.#model === undefined)
      throw new Error(`field "${this.name}" is not attached to a model`);
    return this.#model;
  }

  get isRelation(): boolean {
    return false;
  }

  /** Whether the field is a column of its model's table (many-to-many fields are not). */
  get concrete(): boolean {
    return true;
  }

  /** `true` for the auto-increment kinds: the database assigns the value. */
  get generated(): boolean {
    return this.kind === 'auto' || this.kind === 'bigAuto';
  }

  /** The value `create()` uses when none is given (`undefined`: there is none). */
  getDefault(): unknown {
    const value = this.spec.options.default;
    if (typeof value === 'function') return value();
    if (value !== undefined) return value;
    return this.nullable ? null : undefined;
  }

  /** Returns a copy attached to `model` under `name`. */
  bind(model: ModelMeta, name: string): Field {
    const copy = this.clone();
    copy.#model = model;
    copy.name = name;
    copy.attname = copy.attnameFor(name);
    copy.column = this.spec.options.column ?? copy.columnFor(name);
    return copy;
  }

  protected clone(): Field {
    return new Field(this.spec);
  }

  protected attnameFor(name: string): string {
    return name;
  }

  protected columnFor(name: string): string {
    return snakeCase(name);
  }
}

/** `pubDate` → `pub_date`, `HTTPStatus` → `http_status`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
