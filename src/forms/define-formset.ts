// formset(Form, options): several copies of a plain form, bound and validated together.
import { checkPrefix, type FormDefinition, type FormSource, readSource } from './define.js';
import { Form } from './form.js';
import {
  deleteField,
  deleteFieldName,
  Formset,
  type FormsetOptions,
  type FormsetSettings,
  formsetSettings,
} from './formset.js';
import { type FilesInput, type Submitted, submitted } from './submitted.js';
import type { FormFields, InitialData } from './types.js';

export interface FormsetUnboundOptions<F extends FormFields> {
  /** One object per form to fill in; these forms count as existing ones. */
  readonly initial?: readonly InitialData<F>[];
  /** Overrides the formset's prefix, to have two of the same on a page. */
  readonly prefix?: string;
}

export interface FormsetBindOptions<F extends FormFields> extends FormsetUnboundOptions<F> {
  readonly files?: FilesInput;
}

export class FormsetDefinition<F extends FormFields> {
  readonly form: FormDefinition<F>;
  readonly settings: FormsetSettings<F>;

  constructor(form: FormDefinition<F>, options: FormsetOptions<F>) {
    this.form = form;
    this.settings = formsetSettings(options);
  }

  /** The formset bound to a submission and validated. */
  async bind(source: FormSource, options: FormsetBindOptions<F> = {}): Promise<Formset<F>> {
    const set = this.#build(submitted(await readSource(source), options.files), options);
    await set.fullClean();
    return set;
  }

  /** The formset to show: a form per initial object, then `extra` empty ones. */
  unbound(options: FormsetUnboundOptions<F> = {}): Formset<F> {
    return this.#build(undefined, options);
  }

  #build(data: Submitted | undefined, options: FormsetUnboundOptions<F>): Formset<F> {
    const fields: F = this.settings.canDelete
      ? { ...this.form.fields, [deleteFieldName]: deleteField() }
      : this.form.fields;
    const initial = options.initial ?? [];
    return new Formset<F>({
      prefix: checkPrefix(options.prefix) ?? this.settings.prefix,
      settings: this.settings,
      data,
      initialCount: initial.length,
      makeForm: (index, prefix, formData) =>
        new Form({
          fields,
          clean: this.form.cleanHook,
          prefix,
          initial: index === undefined ? undefined : initial[index],
          data: formData,
          useRequiredAttribute: false,
        }),
    });
  }
}

/**
 * Several copies of a form: `formset(ChoiceForm, { extra: 3, canDelete: true })`. Names carry
 * the prefix and index (`form-0-text`), and a management form counts them.
 */
export function formset<F extends FormFields>(
  form: FormDefinition<F>,
  options: FormsetOptions<F> = {},
): FormsetDefinition<F> {
  return new FormsetDefinition(form, options);
}
