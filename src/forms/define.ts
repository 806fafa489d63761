// form(fields, options): checks a definition once, at startup, and returns what views use to
// make form instances: bind(request) for a submission, unbound() for an empty page.
import type { FormBody, JsonValue } from '../index.js';
import { definitionError } from './errors.js';
import { FormField } from './field.js';
import { type CleanHook, Form } from './form.js';
import { formJsonSchema } from './json-schema.js';
import { type FilesInput, type FormInput, submitted } from './submitted.js';
import type { FormFields, InitialData } from './types.js';

export interface FormOptions<F extends FormFields> {
  /**
   * Checks across fields, run once every field is valid. Return a message for the form, or
   * `{ field: message }`; or throw a `FormError`. The data may be adjusted in place.
   */
  readonly clean?: CleanHook<F>;
}

export interface UnboundOptions<F extends FormFields> {
  readonly initial?: InitialData<F>;
  /** Prefixes every name (`billing-street`), to put two forms in one `<form>`. */
  readonly prefix?: string;
}

export interface BindOptions<F extends FormFields> extends UnboundOptions<F> {
  /** Uploads to bind along with plain data (a request's uploads come with it). */
  readonly files?: FilesInput;
}

/** A request, by its shape: the core's `HttpRequest`, whichever copy of the core made it. */
export interface RequestLike {
  readonly method: string;
  readonly query: URLSearchParams;
  form(): Promise<FormBody | URLSearchParams>;
}

/** Where a submission can come from. A GET or HEAD request binds its query string. */
export type FormSource = RequestLike | FormBody | URLSearchParams | FormInput;

// Field names become object keys and HTML names; these would break one or the other.
const fieldNamePattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const reservedNames = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__all__',
  'hasOwnProperty',
]);
const prefixPattern = /^[A-Za-z0-9_]+(-[A-Za-z0-9_]+)*$/;

export function checkFields(where: string, fields: FormFields): void {
  if (typeof fields !== 'object' || fields === null)
    throw definitionError(`${where}: give an object of fields`);
  for (const [name, field] of Object.entries(fields)) {
    if (!fieldNamePattern.test(name) || reservedNames.has(name)) {
      throw definitionError(
        `${where}: "${name}" cannot be a field name (letters, digits, _ and $; not ${[...reservedNames].join(', ')})`,
      );
    }
    if (!(field instanceof FormField)) {
      throw definitionError(
        `${where}: "${name}" is not a form field; build it with ff (ff.text(), ff.integer()…)`,
      );
    }
  }
}

export function checkPrefix(prefix: string | undefined): string | undefined {
  if (prefix !== undefined && !prefixPattern.test(prefix)) {
    throw definitionError(
      `The form prefix "${prefix}" must be letters, digits and _ in parts joined by -`,
    );
  }
  return prefix;
}

/** Reads a request's form (or its query string for GET and HEAD). */
export async function readSource(
  source: FormSource,
): Promise<FormBody | URLSearchParams | FormInput> {
  if (!isRequest(source)) return source;
  return source.method === 'GET' || source.method === 'HEAD' ? source.query : source.form();
}

function isRequest(source: FormSource): source is RequestLike {
  return (
    typeof Reflect.get(source, 'form') === 'function' &&
    typeof Reflect.get(source, 'method') === 'string'
  );
}

export class FormDefinition<F extends FormFields> {
  readonly fields: F;
  /** The cross-field check given as `clean`, for formsets and model forms that build instances. */
  readonly cleanHook: CleanHook<F> | undefined;

  constructor(fields: F, options: FormOptions<F>) {
    checkFields('form()', fields);
    if (options.clean !== undefined && typeof options.clean !== 'function') {
      throw definitionError('form(): clean must be a function');
    }
    this.fields = fields;
    this.cleanHook = options.clean;
  }

  /** A form bound to a submission and validated: `if (form.isValid()) form.cleanedData…`. */
  async bind(source: FormSource, options: BindOptions<F> = {}): Promise<Form<F>> {
    const form = new Form({
      fields: this.fields,
      clean: this.cleanHook,
      prefix: checkPrefix(options.prefix),
      initial: options.initial,
      data: submitted(await readSource(source), options.files),
    });
    await form.fullClean();
    return form;
  }

  /** An empty form to show, optionally with initial values. */
  unbound(options: UnboundOptions<F> = {}): Form<F> {
    return new Form({
      fields: this.fields,
      prefix: checkPrefix(options.prefix),
      initial: options.initial,
    });
  }

  /** A JSON Schema (draft 2020-12) of the data the form accepts. */
  jsonSchema(): { [key: string]: JsonValue } {
    return formJsonSchema(this.fields);
  }
}

/**
 * Defines a form. The cleaned data's type follows from the fields.
 *
 * ```ts
 * const ContactForm = form({
 *   name: ff.text({ max: 100 }),
 *   email: ff.email(),
 *   age: ff.integer({ min: 0, required: false }),
 * });
 * ```
 */
export function form<F extends FormFields>(
  fields: F,
  options: FormOptions<NoInfer<F>> = {},
): FormDefinition<F> {
  return new FormDefinition(fields, options);
}
