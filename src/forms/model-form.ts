// A form bound to a model: it checks the row the way the model would (choices, lengths,
// uniqueness, through `errors()`), and `save()` inserts or updates it.
import { CarafeError } from '../index.js';
import { Form, type FormSetup } from './form.js';
import { type AnyModel, atomic, type Field, type Instance, type RelationField } from './from-db.js';
import { construct, setRelated } from './model-access.js';
import type { CleanedData, FormFields } from './types.js';

/** Values for fields the form does not show (the author, the parent row), set before validation. */
export type ModelValues = Readonly<Record<string, unknown>>;

export interface ModelFormSetup<M extends AnyModel, F extends FormFields> extends FormSetup<F> {
  readonly model: M;
  readonly instance: Instance<M> | undefined;
  readonly values: ModelValues | undefined;
  /** The form fields that are model fields, in form order. */
  readonly modelFields: readonly Field[];
}

/** A stand-in for a required value no one has given yet, so the rest of the row can be checked. */
function placeholder(field: Field): unknown {
  if (field.isRelation) return placeholder((field as RelationField).target.pk);
  switch (field.family) {
    case 'string':
      return '';
    case 'bigint':
      return 0n;
    case 'decimal':
      return '0';
    case 'boolean':
      return false;
    case 'date':
      return '2000-01-01';
    case 'datetime':
      return new Date(0);
    case 'time':
      return '00:00:00';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    case 'json':
      return {};
    case 'binary':
      return new Uint8Array();
    default:
      return 0;
  }
}

function needsValue(field: Field): boolean {
  return !field.generated && !field.hasDefault && !field.hasDbDefault && !field.nullable;
}

/** Sets a value as `new Model()` would take it: a related row or its key for a relation. */
function assign(instance: object, field: Field, value: unknown): void {
  const viaAccessor = field.isRelation && (value === null || typeof value === 'object');
  Reflect.set(instance, viaAccessor ? field.name : field.attname, value);
}

export class ModelForm<M extends AnyModel, F extends FormFields> extends Form<F> {
  readonly model: M;
  /** The row being edited; for a new row, set by `save()`. */
  instance: Instance<M> | undefined;
  readonly #values: ModelValues;
  readonly #modelFields: readonly Field[];

  constructor(setup: ModelFormSetup<M, F>) {
    super(setup);
    this.model = setup.model;
    this.instance = setup.instance;
    this.#values = setup.values ?? {};
    this.#modelFields = setup.modelFields;
  }

  /** The cleaned values of the model's own columns; null for a column that cannot hold it is left to its default. */
  #columnValues(data: CleanedData<F>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const field of this.#modelFields) {
      if (!field.concrete) continue;
      const value: unknown = Reflect.get(data, field.name);
      if (value === null && !field.nullable) continue;
      values[field.name] = value;
    }
    return values;
  }

  #given(extra: ModelValues = {}): Map<Field, unknown> {
    const given = new Map<Field, unknown>();
    const meta = this.model.meta;
    for (const [name, value] of Object.entries({ ...this.#values, ...extra })) {
      const field = meta.fieldByName.get(name);
      if (field === undefined || !field.concrete) {
        throw new CarafeError(
          'CARAFE_FORMS_UNKNOWN_FIELD',
          `${meta.label} has no field "${name}" (given in values). Its fields: ${meta.concreteFields.map((f) => f.name).join(', ')}.`,
        );
      }
      given.set(field, value);
    }
    return given;
  }

  /** The row as it would be saved, to check; missing required values get stand-ins and are not checked. */
  #draft(data: CleanedData<F>): { row: Instance<M>; unchecked: string[] } {
    const meta = this.model.meta;
    const unchecked: string[] = [];
    if (this.instance !== undefined) {
      for (const [field, value] of this.#given()) assign(this.instance, field, value);
      for (const [name, value] of Object.entries(this.#columnValues(data)))
        assign(this.instance, meta.fieldByName.get(name)!, value);
      return { row: this.instance, unchecked };
    }
    const init: Record<string, unknown> = {};
    for (const [field, value] of this.#given()) init[field.name] = value;
    Object.assign(init, this.#columnValues(data));
    for (const field of meta.concreteFields) {
      if (field.name in init || !needsValue(field)) continue;
      init[field.name] = placeholder(field);
      unchecked.push(field.name);
    }
    return { row: construct(this.model, init), unchecked };
  }

  protected override async postClean(
    data: CleanedData<F>,
  ): Promise<Readonly<Record<string, readonly string[]>> | undefined> {
    const { row, unchecked } = this.#draft(data);
    const checked = new Set([
      ...this.#modelFields.map((field) => field.name),
      ...Object.keys(this.#values),
    ]);
    const exclude = [
      ...this.model.meta.concreteFields
        .map((field) => field.name)
        .filter((name) => !checked.has(name)),
      ...unchecked,
    ];
    return row.errors({ exclude });
  }

  /**
   * Inserts the new row or updates the edited one, with its many-to-many choices, in one
   * transaction. `values` sets fields the form does not show (`{ author: user }`).
   */
  async save(options: { readonly values?: ModelValues } = {}): Promise<Instance<M>> {
    if (!this.isValid()) {
      throw new CarafeError(
        'CARAFE_FORMS_NOT_VALID',
        'save() needs a valid form: check isValid() first, and show the form again with its errors when it is false.',
      );
    }
    const data = this.cleanedData;
    return atomic(async () => {
      let row = this.instance;
      if (row === undefined) {
        const init: Record<string, unknown> = {};
        for (const [field, value] of this.#given(options.values)) init[field.name] = value;
        row = construct(this.model, { ...init, ...this.#columnValues(data) });
      } else {
        for (const [field, value] of this.#given(options.values)) assign(row, field, value);
      }
      await row.save();
      for (const field of this.#modelFields) {
        if (field.kind !== 'manyToMany') continue;
        const chosen: unknown = Reflect.get(data, field.name);
        await setRelated(row, field.name, Array.isArray(chosen) ? chosen : []);
      }
      this.instance = row;
      return row;
    });
  }
}
