// A form instance, bound to a submission or unbound: it validates, keeps the errors, hands out
// typed cleaned data and renders itself, with the user's values, for another try.
import { CarafeError } from '../index.js';
import { BoundField, errorList, type FieldHost } from './bound-field.js';
import { type FormErrors, InvalidValue, normalizeErrors } from './errors.js';
import type { FormField, RawField } from './field.js';
import { SafeHtml } from './html.js';
import type { Submitted } from './submitted.js';
import type { CleanedData, CleanResult, ErrorKey, FormFields, InitialData } from './types.js';

/** A cross-field check: return (or throw a `FormError` with) messages, or nothing when all is well. */
export type CleanHook<F extends FormFields> = (
  data: CleanedData<F>,
  form: Form<F>,
) => CleanResult<F> | Promise<CleanResult<F>>;

export interface FormSetup<F extends FormFields> {
  readonly fields: F;
  readonly clean?: CleanHook<F> | undefined;
  readonly prefix?: string | undefined;
  readonly initial?: InitialData<F> | Readonly<Record<string, unknown>> | undefined;
  /** The submission; absent for an unbound form. */
  readonly data?: Submitted | undefined;
  /** False in formsets, whose extra forms may be left empty. */
  readonly useRequiredAttribute?: boolean | undefined;
}

/** A form whose `isValid()` returned true: its cleaned data is there. */
export type ValidForm<F extends FormFields> = Form<F> & { readonly cleanedData: CleanedData<F> };

/** Errors thrown by the model layer's `validate()` have this shape; accepted from `clean()` too. */
function carriedErrors(error: unknown): Readonly<Record<string, readonly string[]>> | undefined {
  if (!(error instanceof CarafeError) || !('errors' in error)) return undefined;
  const errors: unknown = error.errors;
  return typeof errors === 'object' && errors !== null
    ? (errors as Record<string, readonly string[]>)
    : undefined;
}

export class Form<F extends FormFields = FormFields> implements FieldHost {
  /** The field definitions, by name. */
  readonly fields: F;
  readonly isBound: boolean;
  readonly prefix: string | undefined;
  /** Values the fields start from, by name (the form's own; fields have theirs too). */
  readonly initial: Readonly<Record<string, unknown>>;
  readonly useRequiredAttribute: boolean;
  /** Set when the form is valid. */
  cleanedData: CleanedData<F> | undefined = undefined;
  readonly #clean: CleanHook<F> | undefined;
  readonly #data: Submitted | undefined;
  #errors: Record<string, string[]> = {};
  readonly #bound = new Map<string, BoundField>();

  constructor(setup: FormSetup<F>) {
    this.fields = setup.fields;
    this.#clean = setup.clean;
    this.prefix = setup.prefix;
    this.initial = setup.initial ?? {};
    this.#data = setup.data;
    this.isBound = setup.data !== undefined;
    this.useRequiredAttribute = setup.useRequiredAttribute ?? true;
  }

  /** Errors by field name, `__all__` for the form; only names with errors appear. */
  get errors(): FormErrors<keyof F & string> {
    const errors: FormErrors = this.#errors;
    return errors;
  }

  /** True when the form is bound and every check passed; then `cleanedData` is set. */
  isValid(): this is ValidForm<F> {
    return this.isBound && this.cleanedData !== undefined && Object.keys(this.#errors).length === 0;
  }

  /** Errors about the form as a whole (from `clean()`), shown above the fields. */
  nonFieldErrors(): readonly string[] {
    return this.#errors.__all__ ?? [];
  }

  /**
   * Adds an error after validation, for problems found later (a login that fails): the form
   * becomes invalid and shows it. `'__all__'` for the whole form.
   */
  addError(name: ErrorKey<F>, message: string | readonly string[]): void {
    if (name !== '__all__' && !Object.hasOwn(this.fields, name)) throw this.#unknownField(name);
    const added = typeof message === 'string' ? [message] : message;
    this.#errors[name] = [...(this.#errors[name] ?? []), ...added];
    this.cleanedData = undefined;
  }

  /** The name a field is submitted under: `email`, or `choices-0-email` with a prefix. */
  htmlName(name: string): string {
    return this.prefix === undefined ? name : `${this.prefix}-${name}`;
  }

  /** The value a field starts from: the form's initial data, else the field's. */
  initialValue(name: string): unknown {
    const own = Object.hasOwn(this.initial, name) ? this.initial[name] : undefined;
    return own ?? this.fields[name]?.initial ?? null;
  }

  /** What was submitted for a field; undefined for an unbound form. */
  rawField(name: string): RawField | undefined {
    return this.#data?.field(this.htmlName(name));
  }

  shownValue(name: string, field: FormField): string | readonly string[] | boolean {
    const raw = this.rawField(name);
    if (raw === undefined || field.disabled)
      return field.hidesValue ? '' : field.display(this.initialValue(name));
    return field.displayRaw(raw);
  }

  errorsFor(name: string): readonly string[] {
    return this.#errors[name] ?? [];
  }

  /** One field, to render or inspect: `form.field('email').render()`. */
  field(name: keyof F & string): BoundField {
    let bound = this.#bound.get(name);
    if (bound === undefined) {
      const definition = Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
      if (definition === undefined) throw this.#unknownField(name);
      bound = new BoundField(this, name, definition);
      this.#bound.set(name, bound);
    }
    return bound;
  }

  *[Symbol.iterator](): IterableIterator<BoundField> {
    for (const name of Object.keys(this.fields)) yield this.field(name);
  }

  visibleFields(): BoundField[] {
    return [...this].filter((bound) => !bound.isHidden);
  }

  hiddenFields(): BoundField[] {
    return [...this].filter((bound) => bound.isHidden);
  }

  /** Whether the form has a file input, so the `<form>` needs `enctype="multipart/form-data"`. */
  get isMultipart(): boolean {
    return Object.values(this.fields).some((field) => field.input === 'file');
  }

  /** Names of the fields whose submitted value differs from the initial one. */
  changedFields(): string[] {
    if (!this.isBound) return [];
    return Object.entries(this.fields)
      .filter(
        ([name, field]) =>
          !field.disabled && field.hasChanged(this.initialValue(name), this.rawField(name)!),
      )
      .map(([name]) => name);
  }

  hasChanged(): boolean {
    return this.changedFields().length > 0;
  }

  /** Converts and checks every field, then runs `clean()`; `bind()` calls it for you. */
  async fullClean(): Promise<void> {
    this.#errors = {};
    this.cleanedData = undefined;
    if (!this.isBound) return;
    const data: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(this.fields)) {
      if (field.disabled) {
        data[name] = this.initialValue(name) ?? field.spec.empty;
        continue;
      }
      try {
        data[name] = field.clean(this.rawField(name)!);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        this.#errors[name] = [...error.messages];
      }
    }
    if (Object.keys(this.#errors).length > 0) return;
    const cleaned = data as CleanedData<F>;
    await this.#runChecks(() => this.#clean?.(cleaned, this));
    if (Object.keys(this.#errors).length > 0) return;
    await this.#runChecks(() => this.postClean(cleaned));
    if (Object.keys(this.#errors).length === 0) this.cleanedData = cleaned;
  }

  /** A last check after `clean()` passed; model forms validate the instance here. */
  protected async postClean(
    _data: CleanedData<F>,
  ): Promise<Readonly<Record<string, readonly string[]>> | undefined> {
    return undefined;
  }

  async #runChecks(
    check: () =>
      | CleanResult<F>
      | Readonly<Record<string, readonly string[]>>
      | Promise<CleanResult<F> | Readonly<Record<string, readonly string[]>>>,
  ): Promise<void> {
    let result: CleanResult<F> | Readonly<Record<string, readonly string[]>>;
    try {
      result = await check();
    } catch (error) {
      result = carriedErrors(error);
      if (result === undefined) throw error;
    }
    if (result === undefined || result === null) return;
    for (const [name, messages] of Object.entries(normalizeErrors(result))) {
      this.addError(
        name === '__all__' || Object.hasOwn(this.fields, name) ? name : '__all__',
        messages,
      );
    }
  }

  #unknownField(name: string): CarafeError {
    return new CarafeError(
      'CARAFE_FORMS_UNKNOWN_FIELD',
      `The form has no field "${name}". Its fields: ${Object.keys(this.fields).join(', ') || '(none)'}.`,
    );
  }

  /** The non-field errors, with hidden fields' errors (which have no place of their own) added. */
  topErrors(): readonly string[] {
    const hidden = this.hiddenFields().flatMap((bound) =>
      bound.errorMessages.map((message) => `(Hidden field ${bound.name}) ${message}`),
    );
    return [...this.nonFieldErrors(), ...hidden];
  }

  /** Every field in order: errors for the form on top, a `<div>` per field, hidden inputs last. */
  render(): SafeHtml {
    const top = errorList(this.topErrors(), { class: 'errorlist nonfield' });
    const rows = this.visibleFields().map((bound) => bound.render().toString());
    const hidden = this.hiddenFields().map((bound) => bound.widget().toString());
    return new SafeHtml(top + rows.join('') + hidden.join(''));
  }

  toString(): string {
    return this.render().toString();
  }

  __html__(): string {
    return this.toString();
  }
}
