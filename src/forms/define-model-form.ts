// modelForm(Model, { fields }): a form derived from a model's metadata. Names are checked at
// once; the form fields are built on first use, when every related model has been loaded.
import { CarafeError, type JsonValue } from '../index.js';
import { checkFields, checkPrefix, type FormSource, readSource } from './define.js';
import { definitionError } from './errors.js';
import type { FormField, WidgetName } from './field.js';
import type { CleanHook } from './form.js';
import {
  type AnyModel,
  type CreateInput,
  type Field,
  type Instance,
  type RelationField,
  resolveRelations,
} from './from-db.js';
import { formJsonSchema } from './json-schema.js';
import { allRows, relatedRows } from './model-access.js';
import { type Customization, relationFormField, scalarFormField } from './model-fields.js';
import { ModelForm, type ModelValues } from './model-form.js';
import type { EditableName, MergeFields, ModelFormFields } from './model-form-types.js';
import { type FilesInput, type Submitted, submitted } from './submitted.js';
import type { FormFields, InitialData } from './types.js';

type Fields<M extends AnyModel, K extends EditableName<M>, O extends FormFields> = MergeFields<
  ModelFormFields<M, K>,
  O
>;

export interface ModelFormOptions<
  M extends AnyModel,
  K extends EditableName<M>,
  O extends FormFields,
  E extends EditableName<M> = never,
> {
  /** The model fields to show, in order. Give this or `exclude`. */
  readonly fields?: readonly K[];
  /** Every editable field but these. */
  readonly exclude?: readonly E[];
  /** Form fields to use instead of the generated ones, or to add (extra fields are not saved). */
  readonly overrides?: O;
  readonly labels?: { readonly [P in K]?: string };
  readonly helpTexts?: { readonly [P in K]?: string };
  readonly widgets?: { readonly [P in K]?: WidgetName };
  readonly clean?: CleanHook<Fields<M, Exclude<K, E>, O>>;
}

export interface ModelFormUnboundOptions<M extends AnyModel, F extends FormFields> {
  /** The row to edit: its values fill the form, and `save()` updates it. */
  readonly instance?: Instance<M>;
  readonly initial?: InitialData<F>;
  readonly prefix?: string;
}

export interface ModelFormBindOptions<M extends AnyModel, F extends FormFields>
  extends ModelFormUnboundOptions<M, F> {
  /** Values for fields the form does not show, set before validation: `{ author: user }`. */
  readonly values?: Partial<CreateInput<M>>;
  readonly files?: FilesInput;
}

/** What a model form instance is built from, for formsets that build many. */
export interface ModelFormBuild<M extends AnyModel, F extends FormFields> {
  readonly fields: F;
  readonly instance?: Instance<M> | undefined;
  readonly values?: ModelValues | undefined;
  readonly initial?: Readonly<Record<string, unknown>> | undefined;
  readonly prefix?: string | undefined;
  readonly data?: Submitted | undefined;
  readonly useRequiredAttribute?: boolean;
}

function isRelation(field: Field): field is RelationField {
  return field.isRelation;
}

export class ModelFormDefinition<M extends AnyModel, F extends FormFields> {
  readonly model: M;
  readonly cleanHook: CleanHook<F> | undefined;
  readonly #modelFields: readonly Field[];
  readonly #overrides: FormFields;
  readonly #custom: ReadonlyMap<string, Customization>;
  #fields: F | undefined;

  constructor(
    model: M,
    names: readonly string[],
    overrides: FormFields,
    custom: Map<string, Customization>,
    clean: CleanHook<F> | undefined,
  ) {
    this.model = model;
    this.#modelFields = names
      .filter((name) => !Object.hasOwn(overrides, name))
      .map((name) => model.meta.fieldByName.get(name)!);
    this.#overrides = overrides;
    this.#custom = custom;
    this.cleanHook = clean;
  }

  /** The model fields the form shows (overridden ones excluded). */
  get modelFields(): readonly Field[] {
    return this.#modelFields;
  }

  #build(rows: ReadonlyMap<string, readonly object[]> | undefined): F {
    resolveRelations();
    const built: Record<string, FormField> = {};
    for (const field of this.#modelFields) {
      const custom = this.#custom.get(field.name) ?? {};
      built[field.name] = isRelation(field)
        ? relationFormField(field, custom, rows?.get(field.name))
        : scalarFormField(field, custom);
    }
    const fields: FormFields = { ...built, ...this.#overrides };
    // Built from the model's metadata to the shape `ModelFormFields` computes from its types.
    return fields as F;
  }

  /** The form fields; relation fields list no rows here (each form loads its own). */
  get fields(): F {
    this.#fields ??= this.#build(undefined);
    return this.#fields;
  }

  /** The fields with the current related rows loaded, for one form (or one formset). */
  async loadFields(): Promise<F> {
    const relations = this.#modelFields.filter(isRelation);
    if (relations.length === 0) return this.fields;
    resolveRelations();
    const rows = new Map<string, readonly object[]>();
    for (const field of relations) rows.set(field.name, await allRows(field.target));
    return this.#build(rows);
  }

  /** What an unbound form shows for a row: its values, or the model's defaults for a new one. */
  async initialFor(instance: Instance<M> | undefined): Promise<Record<string, unknown>> {
    const initial: Record<string, unknown> = {};
    for (const field of this.#modelFields) {
      if (instance === undefined) {
        if (field.hasDefault) initial[field.name] = field.getDefault();
      } else if (field.kind === 'manyToMany') {
        initial[field.name] = await relatedRows(instance, field.name);
      } else {
        initial[field.name] = Reflect.get(instance, field.attname);
      }
    }
    return initial;
  }

  /** Builds a form instance from loaded fields. */
  create(build: ModelFormBuild<M, F>): ModelForm<M, F> {
    return new ModelForm<M, F>({
      fields: build.fields,
      clean: this.cleanHook,
      prefix: build.prefix,
      initial: build.initial,
      data: build.data,
      useRequiredAttribute: build.useRequiredAttribute,
      model: this.model,
      instance: build.instance,
      values: build.values,
      modelFields: this.#modelFields,
    });
  }

  /** A form bound to a submission and validated; `instance` makes `save()` update that row. */
  async bind(
    source: FormSource,
    options: ModelFormBindOptions<M, F> = {},
  ): Promise<ModelForm<M, F>> {
    const data = submitted(await readSource(source), options.files);
    const form = this.create({
      fields: await this.loadFields(),
      instance: options.instance,
      values: options.values,
      initial: { ...(await this.initialFor(options.instance)), ...options.initial },
      prefix: checkPrefix(options.prefix),
      data,
    });
    await form.fullClean();
    return form;
  }

  /** An empty form, or one showing `instance`'s values to edit. */
  async unbound(options: ModelFormUnboundOptions<M, F> = {}): Promise<ModelForm<M, F>> {
    return this.create({
      fields: await this.loadFields(),
      instance: options.instance,
      initial: { ...(await this.initialFor(options.instance)), ...options.initial },
      prefix: checkPrefix(options.prefix),
    });
  }

  jsonSchema(): { [key: string]: JsonValue } {
    return formJsonSchema(this.fields);
  }
}

function fieldNames<M extends AnyModel>(
  model: M,
  fields: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
): string[] {
  const meta = model.meta;
  const label = `modelForm(${meta.label})`;
  const editable = meta.fields
    .filter((field) => field.editable && !field.primaryKey)
    .map((field) => field.name);
  const check = (name: string, where: string) => {
    const field = meta.fieldByName.get(name);
    if (field === undefined || field.name !== name || field.primaryKey || !field.editable) {
      throw new CarafeError(
        'CARAFE_FORMS_DEFINITION',
        `${label}: "${name}" in ${where} is not an editable field of ${meta.label}. Editable fields: ${editable.join(', ')}.`,
      );
    }
  };
  if (fields === undefined && exclude === undefined) {
    throw definitionError(
      `${label}: say which fields the form shows with \`fields: [...]\` (or \`exclude: [...]\`)`,
    );
  }
  for (const name of fields ?? []) check(name, 'fields');
  for (const name of exclude ?? []) check(name, 'exclude');
  const chosen = fields ?? editable;
  return chosen.filter((name) => !(exclude ?? []).includes(name));
}

function customizations(
  names: readonly string[],
  options: ModelFormOptions<AnyModel, string, FormFields, string>,
): Map<string, Customization> {
  const custom = new Map<string, Customization>();
  const sources = { labels: 'label', helpTexts: 'helpText', widgets: 'widget' } as const;
  for (const [option, key] of Object.entries(sources)) {
    const given: Readonly<Record<string, string | undefined>> =
      options[option as keyof typeof sources] ?? {};
    for (const [name, value] of Object.entries(given)) {
      if (!names.includes(name))
        throw definitionError(
          `modelForm(): "${name}" in ${option} is not one of the form's fields`,
        );
      custom.set(name, { ...custom.get(name), [key]: value });
    }
  }
  return custom;
}

/**
 * A form for a model's fields: labels, help texts, validators, choices, limits and
 * required-ness come from the model; `save()` inserts or updates the row.
 *
 * ```ts
 * const QuestionForm = modelForm(Question, { fields: ['text', 'pubDate'] });
 * const form = await QuestionForm.bind(req, { instance: question });
 * if (form.isValid()) await form.save();
 * ```
 */
export function modelForm<
  M extends AnyModel,
  const K extends EditableName<M> = EditableName<M>,
  O extends FormFields = Record<never, never>,
  const E extends EditableName<M> = never,
>(
  model: M,
  options: ModelFormOptions<M, K, O, E>,
): ModelFormDefinition<M, Fields<M, Exclude<K, E>, O>> {
  if (typeof model?.meta !== 'object') {
    throw definitionError('modelForm(): the first argument must be a model made with model()');
  }
  const names = fieldNames(model, options.fields, options.exclude);
  const overrides: FormFields = options.overrides ?? {};
  checkFields(`modelForm(${model.meta.label})`, overrides);
  return new ModelFormDefinition(
    model,
    names,
    overrides,
    customizations(names, options as ModelFormOptions<AnyModel, string, FormFields, string>),
    options.clean,
  );
}
