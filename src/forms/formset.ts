// A formset: several copies of one form on a page (the choices of a poll), counted by a
// management form, validated together, with optional deletion and limits on how many.
import { CarafeError } from '../index.js';
import { errorList } from './bound-field.js';
import { definitionError } from './errors.js';
import { type FormField, isChecked } from './field.js';
import { choiceFields } from './fields/choice.js';
import type { Form } from './form.js';
import { SafeHtml } from './html.js';
import { type ManagementResult, readManagement, renderManagement } from './management.js';
import type { Submitted } from './submitted.js';
import type { CleanedData, FormFields } from './types.js';

/** A check across the forms of a formset (no two choices alike): return or throw messages. */
export type FormsetClean<F extends FormFields> = (
  data: CleanedData<F>[],
) => FormsetCleanResult | Promise<FormsetCleanResult>;

// biome-ignore lint/suspicious/noConfusingVoidType: a clean() that finds nothing wrong simply returns
type FormsetCleanResult = undefined | void | string | readonly string[];

export interface FormsetOptions<F extends FormFields> {
  /** Empty forms shown after the existing ones (default 1). */
  readonly extra?: number;
  /** Fewest filled-in forms accepted (default 0); also shown at least this many. */
  readonly min?: number;
  /** Most forms accepted (default 1000). */
  readonly max?: number;
  /** Adds a "Delete" checkbox to each form. */
  readonly canDelete?: boolean;
  /** Names start with it: `choices-0-text` (default `'form'`). */
  readonly prefix?: string;
  readonly clean?: FormsetClean<F>;
}

export interface FormsetSettings<F extends FormFields> {
  readonly extra: number;
  readonly min: number;
  readonly max: number;
  /** Beyond this many forms a submission is refused without building them. */
  readonly absoluteMax: number;
  readonly canDelete: boolean;
  readonly prefix: string;
  readonly clean: FormsetClean<F> | undefined;
}

export const deleteFieldName = 'DELETE';

export function deleteField(): FormField<boolean> {
  return choiceFields.boolean({ required: false, label: 'Delete' });
}

function count(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw definitionError(`formset(): ${name} must be a whole number ≥ 0, got ${String(value)}`);
  }
  return value;
}

export function formsetSettings<F extends FormFields>(
  options: FormsetOptions<F>,
): FormsetSettings<F> {
  const extra = count('extra', options.extra, 1);
  const min = count('min', options.min, 0);
  const max = count('max', options.max, 1000);
  if (min > max) throw definitionError(`formset(): min (${min}) is greater than max (${max})`);
  const prefix = options.prefix ?? 'form';
  if (!/^[A-Za-z0-9_]+$/.test(prefix))
    throw definitionError(`formset(): prefix "${prefix}" must be letters, digits and _`);
  return {
    extra,
    min,
    max,
    absoluteMax: max + 1000,
    canDelete: options.canDelete === true,
    prefix,
    clean: options.clean,
  };
}

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

/** A copy of a form's cleaned data without the formset's own DELETE value. */
function withoutDelete<T extends object>(data: T): T {
  const copy = { ...data };
  Reflect.deleteProperty(copy, deleteFieldName);
  return copy;
}

export interface FormsetSetup<F extends FormFields, T extends Form<F>> {
  readonly prefix: string;
  readonly settings: FormsetSettings<F>;
  readonly data: Submitted | undefined;
  /** Forms editing existing data when unbound (initial values or rows). */
  readonly initialCount: number;
  /**
   * Builds form `index` (`prefix` is `choices-3`), which edits existing data when `existing`;
   * an `undefined` index builds the empty template form.
   */
  makeForm(
    index: number | undefined,
    prefix: string,
    data: Submitted | undefined,
    existing: boolean,
  ): T;
}

/** A formset whose `isValid()` returned true. */
export type ValidFormset<F extends FormFields, T extends Form<F>> = Formset<F, T> & {
  readonly cleanedData: CleanedData<F>[];
};

export class Formset<F extends FormFields, T extends Form<F> = Form<F>> {
  readonly prefix: string;
  readonly isBound: boolean;
  readonly forms: readonly T[];
  /** How many forms edit existing data (the rest are extra). */
  readonly initialFormCount: number;
  /** The data of each kept form (not deleted, not left empty), once valid. */
  cleanedData: CleanedData<F>[] | undefined = undefined;
  readonly settings: FormsetSettings<F>;
  readonly #setup: FormsetSetup<F, T>;
  readonly #management: ManagementResult | undefined;
  #nonFormErrors: string[] = [];
  readonly #skipped = new Set<T>();

  constructor(setup: FormsetSetup<F, T>) {
    this.#setup = setup;
    this.settings = setup.settings;
    this.prefix = setup.prefix;
    this.isBound = setup.data !== undefined;
    const { min, max, extra, absoluteMax } = setup.settings;
    let total: number;
    if (setup.data === undefined) {
      this.initialFormCount = setup.initialCount;
      total = Math.max(
        setup.initialCount,
        Math.min(Math.max(setup.initialCount, min) + extra, max),
      );
    } else {
      this.#management = readManagement(setup.prefix, setup.data);
      const management = this.#management;
      total = management.ok ? Math.min(management.total, absoluteMax) : 0;
      this.initialFormCount = management.ok ? Math.min(management.initial, total) : 0;
    }
    this.forms = Array.from({ length: total }, (_, index) =>
      setup.makeForm(index, `${setup.prefix}-${index}`, setup.data, index < this.initialFormCount),
    );
  }

  /** Messages about the formset as a whole: counts, management data, `clean()`. */
  nonFormErrors(): readonly string[] {
    return this.#nonFormErrors;
  }

  /** Each form's errors, in order. */
  get errors(): Form<F>['errors'][] {
    return this.forms.map((form) => form.errors);
  }

  isValid(): this is ValidFormset<F, T> {
    return this.isBound && this.cleanedData !== undefined;
  }

  /** Whether the user ticked the form's Delete box. */
  isDeleted(form: T): boolean {
    return (
      this.settings.canDelete &&
      form.isBound &&
      isChecked(form.rawField(deleteFieldName)?.values.at(-1))
    );
  }

  deletedForms(): T[] {
    return this.forms.filter((form) => this.isDeleted(form));
  }

  /** Forms kept: not deleted, and either editing existing data or filled in. */
  keptForms(): T[] {
    return this.forms.filter((form) => !this.isDeleted(form) && !this.#skipped.has(form));
  }

  /** A form with `__prefix__` in its names, for scripts that add forms in the browser. */
  emptyForm(): T {
    return this.#setup.makeForm(undefined, `${this.prefix}-__prefix__`, undefined, false);
  }

  /** Validates every form, the counts and `clean()`; `bind()` calls it for you. */
  async fullClean(): Promise<void> {
    this.#nonFormErrors = [];
    this.#skipped.clear();
    this.cleanedData = undefined;
    if (!this.isBound) return;
    const management = this.#management!;
    if (!management.ok) {
      this.#nonFormErrors.push(management.message);
      return;
    }
    const { min, max, absoluteMax } = this.settings;
    let valid = true;
    for (const [index, form] of this.forms.entries()) {
      if (this.isDeleted(form)) continue;
      if (index >= this.initialFormCount && index >= min && !form.hasChanged()) {
        this.#skipped.add(form);
        continue;
      }
      await form.fullClean();
      if (!form.isValid()) valid = false;
    }
    const kept = this.keptForms();
    if (management.total > absoluteMax || kept.length > max) {
      this.#nonFormErrors.push(`Please submit at most ${plural(max, 'form')}.`);
    }
    if (kept.length < min)
      this.#nonFormErrors.push(`Please submit at least ${plural(min, 'form')}.`);
    if (!valid || this.#nonFormErrors.length > 0) return;
    const data = kept.map((form) => withoutDelete(form.cleanedData!));
    const problem = await this.#runClean(data);
    if (problem.length > 0) this.#nonFormErrors.push(...problem);
    else this.cleanedData = data;
  }

  async #runClean(data: CleanedData<F>[]): Promise<string[]> {
    try {
      const result = await this.settings.clean?.(data);
      if (result === undefined || result === null) return [];
      return typeof result === 'string' ? [result] : [...result];
    } catch (error) {
      if (
        error instanceof CarafeError &&
        'errors' in error &&
        typeof error.errors === 'object' &&
        error.errors !== null
      ) {
        return Object.values(error.errors).flat().map(String);
      }
      throw error;
    }
  }

  /** The hidden inputs with the counts; must be inside the `<form>`. */
  managementForm(): SafeHtml {
    return new SafeHtml(
      renderManagement(this.prefix, {
        total: this.forms.length,
        initial: this.initialFormCount,
        min: this.settings.min,
        max: this.settings.max,
      }),
    );
  }

  *[Symbol.iterator](): IterableIterator<T> {
    yield* this.forms;
  }

  /** Management form, errors about the formset, then each form. */
  render(): SafeHtml {
    const errors = errorList(this.#nonFormErrors, { class: 'errorlist nonform' });
    const forms = this.forms.map((form) => form.render().toString()).join('');
    return new SafeHtml(`${this.managementForm()}${errors}${forms}`);
  }

  toString(): string {
    return this.render().toString();
  }

  __html__(): string {
    return this.toString();
  }
}
