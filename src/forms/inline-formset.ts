// inlineFormset(Question, Choice, { fields }): the child rows of one parent row as a formset
// (the admin's inline choices). Each form edits one child, found by its primary key among the
// parent's children only, so a tampered key cannot reach another parent's rows.
import { CarafeError } from '../index.js';
import { checkPrefix, type FormSource, readSource } from './define.js';
import type { ModelFormDefinition } from './define-model-form.js';
import { type ModelFormOptions, modelForm } from './define-model-form.js';
import { definitionError } from './errors.js';
import { type ChoiceValue, FormField } from './field.js';
import {
  deleteField,
  deleteFieldName,
  Formset,
  type FormsetClean,
  type FormsetSettings,
  formsetSettings,
} from './formset.js';
import { type AnyModel, atomic, type Instance, type RelationField } from './from-db.js';
import { rowsWhere } from './model-access.js';
import type { ModelForm } from './model-form.js';
import type { EditableName, MergeFields, ModelFormFields } from './model-form-types.js';
import { type FilesInput, type Submitted, submitted } from './submitted.js';
import type { FormFields } from './types.js';

export interface InlineFormsetOptions<
  C extends AnyModel,
  K extends EditableName<C>,
  O extends FormFields,
  E extends EditableName<C>,
> extends Omit<ModelFormOptions<C, K, O, E>, 'clean'> {
  /** The foreign key to the parent, when the child has more than one. */
  readonly fk?: EditableName<C>;
  /** Empty forms for new children (default 3, as in Django). */
  readonly extra?: number;
  readonly min?: number;
  readonly max?: number;
  /** A Delete checkbox on each form (default true). */
  readonly canDelete?: boolean;
  /** Names start with it; the relation's name by default (`choices-0-text`). */
  readonly prefix?: string;
  readonly clean?: FormsetClean<MergeFields<ModelFormFields<C, Exclude<K, E>>, O>>;
}

export interface InlineUnboundOptions<P extends AnyModel> {
  /** The parent whose children are edited; none (or an unsaved one) for a parent being created. */
  readonly parent?: Instance<P>;
  readonly prefix?: string;
}

export interface InlineBindOptions<P extends AnyModel> extends InlineUnboundOptions<P> {
  readonly files?: FilesInput;
}

type Row = object;

function keyOf(meta: AnyModel['meta'], row: Row): unknown {
  return Reflect.get(row, meta.pk.attname);
}

function isSaved(row: object | undefined): boolean {
  return row !== undefined && Reflect.get(row, 'isNew') === false;
}

/** The hidden input carrying a child's key: only the parent's children are valid choices. */
function keyField(child: AnyModel, children: readonly Row[], required: boolean): FormField {
  const meta = child.meta;
  const byKey = new Map(children.map((row) => [String(keyOf(meta, row)), row]));
  return new FormField({
    kind: 'inlineKey',
    input: 'single',
    widgets: ['hidden'],
    options: { required },
    choices: children.map((row) => keyOf(meta, row) as ChoiceValue),
    empty: null,
    resolve: (value) => byKey.get(String(value)),
    format: (value) =>
      String(typeof value === 'object' && value !== null ? keyOf(meta, value) : value),
    schema: { type: meta.pk.family === 'number' ? 'integer' : 'string' },
  });
}

/** The parent's children in a formset; `save()` writes the changes. */
export class InlineFormset<
  P extends AnyModel,
  C extends AnyModel,
  F extends FormFields,
> extends Formset<F, ModelForm<C, F>> {
  parent: Instance<P> | undefined;
  readonly fk: RelationField;

  constructor(
    setup: ConstructorParameters<typeof Formset<F, ModelForm<C, F>>>[0],
    parent: Instance<P> | undefined,
    fk: RelationField,
  ) {
    super(setup);
    this.parent = parent;
    this.fk = fk;
  }

  /**
   * Deletes the children marked for deletion, updates the changed ones and creates the new
   * ones, in one transaction. Give `parent` when it was created after binding.
   */
  async save(options: { readonly parent?: Instance<P> } = {}): Promise<Instance<C>[]> {
    const parent = options.parent ?? this.parent;
    if (!this.isValid()) {
      throw new CarafeError(
        'CARAFE_FORMS_NOT_VALID',
        'save() needs a valid formset: check isValid() first, and show it again when it is false.',
      );
    }
    if (parent === undefined || !isSaved(parent)) {
      throw new CarafeError(
        'CARAFE_FORMS_PARENT_NOT_SAVED',
        `Save the ${this.fk.target.modelName} first, then pass it: formset.save({ parent }).`,
      );
    }
    const kept = new Set(this.keptForms());
    return atomic(async () => {
      const saved: Instance<C>[] = [];
      for (const form of this.forms) {
        if (this.isDeleted(form)) {
          if (form.instance !== undefined && isSaved(form.instance)) await form.instance.delete();
          continue;
        }
        if (!kept.has(form) || (form.instance !== undefined && !form.hasChanged())) continue;
        saved.push(await form.save({ values: { [this.fk.name]: parent } }));
      }
      this.parent = parent;
      return saved;
    });
  }
}

export class InlineFormsetDefinition<P extends AnyModel, C extends AnyModel, F extends FormFields> {
  readonly parent: P;
  readonly form: ModelFormDefinition<C, F>;
  readonly fk: RelationField;
  readonly settings: FormsetSettings<F>;

  constructor(
    parent: P,
    form: ModelFormDefinition<C, F>,
    fk: RelationField,
    settings: FormsetSettings<F>,
  ) {
    this.parent = parent;
    this.form = form;
    this.fk = fk;
    this.settings = settings;
  }

  async #children(parent: Instance<P> | undefined): Promise<Row[]> {
    if (parent === undefined || !isSaved(parent)) return [];
    return rowsWhere(this.form.model.meta, this.fk.name, keyOf(this.parent.meta, parent));
  }

  async #build(
    data: Submitted | undefined,
    options: InlineUnboundOptions<P>,
  ): Promise<InlineFormset<P, C, F>> {
    const parent = options.parent;
    const [children, loaded] = await Promise.all([this.#children(parent), this.form.loadFields()]);
    const child = this.form.model;
    const pkName = child.meta.pk.name;
    const withDelete = (fields: FormFields): FormFields =>
      this.settings.canDelete ? { ...fields, [deleteFieldName]: deleteField() } : fields;
    const existing: F = { ...withDelete(loaded), [pkName]: keyField(child, children, true) } as F;
    const extra: F = { ...withDelete(loaded), [pkName]: keyField(child, children, false) } as F;
    const values = parent !== undefined && isSaved(parent) ? { [this.fk.name]: parent } : undefined;
    const initials = await Promise.all(
      children.map((row) => this.form.initialFor(row as Instance<C>)),
    );
    const defaults = await this.form.initialFor(undefined);
    const setup = {
      prefix: checkPrefix(options.prefix) ?? this.settings.prefix,
      settings: this.settings,
      data,
      initialCount: children.length,
      makeForm: (
        index: number | undefined,
        prefix: string,
        formData: Submitted | undefined,
        isExisting: boolean,
      ) => {
        let instance: Row | undefined;
        if (isExisting && formData === undefined) instance = children[index ?? 0];
        if (isExisting && formData !== undefined) {
          const sent = formData.field(`${prefix}-${pkName}`).values.at(-1);
          instance = children.find((row) => String(keyOf(child.meta, row)) === sent);
        }
        const initial =
          instance === undefined
            ? defaults
            : { ...initials[children.indexOf(instance)], [pkName]: keyOf(child.meta, instance) };
        return this.form.create({
          fields: isExisting ? existing : extra,
          instance: instance as Instance<C> | undefined,
          values,
          initial,
          prefix,
          data: formData,
          useRequiredAttribute: false,
        });
      },
    };
    return new InlineFormset<P, C, F>(setup, parent, this.fk);
  }

  /** The parent's children to edit, then `extra` empty forms. */
  unbound(options: InlineUnboundOptions<P> = {}): Promise<InlineFormset<P, C, F>> {
    return this.#build(undefined, options);
  }

  /** The formset bound to a submission and validated. */
  async bind(
    source: FormSource,
    options: InlineBindOptions<P> = {},
  ): Promise<InlineFormset<P, C, F>> {
    const set = await this.#build(submitted(await readSource(source), options.files), options);
    await set.fullClean();
    return set;
  }
}

/** The child's foreign key to the parent: the named one, or the only one. */
function findForeignKey(
  parent: AnyModel,
  child: AnyModel,
  name: string | undefined,
): RelationField {
  const pointsAtParent = (field: RelationField): boolean => {
    if (field.relation === 'manyToMany') return false;
    const target = field.targetRef;
    if (target === 'self') return child === parent;
    if (typeof target === 'string') return target === parent.meta.label;
    try {
      return target() === parent;
    } catch {
      return false;
    }
  };
  const candidates = child.meta.forwardRelations.filter(pointsAtParent);
  const label = `inlineFormset(${parent.meta.label}, ${child.meta.label})`;
  if (name !== undefined) {
    const named = candidates.find((field) => field.name === name);
    if (named === undefined)
      throw definitionError(
        `${label}: "${name}" is not a foreign key from ${child.meta.label} to ${parent.meta.label}`,
      );
    return named;
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0)
    throw definitionError(
      `${label}: ${child.meta.label} has no foreign key to ${parent.meta.label}`,
    );
  throw definitionError(
    `${label}: ${child.meta.label} has several foreign keys to ${parent.meta.label}; name one with fk: '${candidates[0]!.name}'`,
  );
}

/**
 * The children of a parent row as a formset: `inlineFormset(Question, Choice, { fields: ['text'] })`.
 * The foreign key is left out of the forms and set on save.
 */
export function inlineFormset<
  P extends AnyModel,
  C extends AnyModel,
  const K extends EditableName<C> = EditableName<C>,
  O extends FormFields = Record<never, never>,
  const E extends EditableName<C> = never,
>(
  parent: P,
  child: C,
  options: InlineFormsetOptions<C, K, O, E>,
): InlineFormsetDefinition<P, C, MergeFields<ModelFormFields<C, Exclude<K, E>>, O>> {
  const fk = findForeignKey(parent, child, options.fk);
  const label = `inlineFormset(${parent.meta.label}, ${child.meta.label})`;
  if (options.fields?.some((name) => name === fk.name)) {
    throw definitionError(
      `${label}: leave the foreign key "${fk.name}" out of fields; the formset sets it`,
    );
  }
  const { fk: _fk, extra, min, max, canDelete, prefix, clean, ...formOptions } = options;
  const exclude =
    options.fields === undefined ? [...(options.exclude ?? []), fk.name] : options.exclude;
  const form = modelForm(child, { ...formOptions, exclude: exclude as readonly E[] | undefined });
  const settings = formsetSettings({
    extra: extra ?? 3,
    min,
    max,
    canDelete: canDelete ?? true,
    prefix: prefix ?? fk.relatedName ?? `${child.meta.modelName.toLowerCase()}Set`,
    clean,
  });
  return new InlineFormsetDefinition(parent, form, fk, settings);
}
