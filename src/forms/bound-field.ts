// One field of one form: its names and ids, what it shows, its errors, and its markup. Templates
// use these pieces to lay a form out by hand: {{ form.field('email').label() }}…
import type { FormField } from './field.js';
import { element, escapeHtml, SafeHtml } from './html.js';
import { prettyName } from './labels.js';
import { renderWidget } from './widgets.js';

/** What a bound field needs from its form. */
export interface FieldHost {
  htmlName(name: string): string;
  /** The value to show: the submission when bound, else the initial value. */
  shownValue(name: string, field: FormField): string | readonly string[] | boolean;
  errorsFor(name: string): readonly string[];
  /** Whether inputs get the HTML `required` attribute. */
  readonly useRequiredAttribute: boolean;
}

export function errorList(
  messages: readonly string[],
  attrs: { class: string; id?: string },
): string {
  if (messages.length === 0) return '';
  return element(
    'ul',
    attrs,
    messages.map((message) => `<li>${escapeHtml(message)}</li>`).join(''),
  );
}

export class BoundField {
  readonly name: string;
  readonly field: FormField;
  readonly #host: FieldHost;

  constructor(host: FieldHost, name: string, field: FormField) {
    this.#host = host;
    this.name = name;
    this.field = field;
  }

  /** The name the input is submitted under, prefix included: `choices-0-text`. */
  get htmlName(): string {
    return this.#host.htmlName(this.name);
  }

  get id(): string {
    return `id_${this.htmlName}`;
  }

  get labelText(): string {
    return this.field.label ?? prettyName(this.name);
  }

  get errorMessages(): readonly string[] {
    return this.#host.errorsFor(this.name);
  }

  get hasErrors(): boolean {
    return this.errorMessages.length > 0;
  }

  get isHidden(): boolean {
    return this.field.isHidden;
  }

  /** The value the input shows: what was submitted, or the initial value. Never a password. */
  get value(): string | readonly string[] | boolean {
    return this.#host.shownValue(this.name, this.field);
  }

  get helpTextId(): string {
    return `${this.id}_helptext`;
  }

  get errorsId(): string {
    return `${this.id}_error`;
  }

  get #describedBy(): string | undefined {
    const ids: string[] = [];
    if (this.field.helpText !== undefined && this.field.helpText !== '') ids.push(this.helpTextId);
    if (this.hasErrors) ids.push(this.errorsId);
    return ids.length > 0 ? ids.join(' ') : undefined;
  }

  /** The input (or group of inputs) alone. */
  widget(): SafeHtml {
    return new SafeHtml(
      renderWidget({
        field: this.field,
        name: this.htmlName,
        id: this.id,
        value: this.value,
        invalid: this.hasErrors,
        describedBy: this.#describedBy,
        required: this.#host.useRequiredAttribute,
      }),
    );
  }

  /** `<label for="id_email">Email</label>`; a `<legend>` for radios and checkboxes, to put in a fieldset. */
  label(): SafeHtml {
    const text = escapeHtml(this.labelText);
    return new SafeHtml(
      this.field.isGroup ? element('legend', {}, text) : element('label', { for: this.id }, text),
    );
  }

  /** `<ul class="errorlist" id="…_error">`, or nothing. */
  errors(): SafeHtml {
    return new SafeHtml(errorList(this.errorMessages, { class: 'errorlist', id: this.errorsId }));
  }

  /** `<div class="helptext" id="…_helptext">`, or nothing. */
  helpText(): SafeHtml {
    const help = this.field.helpText;
    if (help === undefined || help === '') return new SafeHtml('');
    return new SafeHtml(
      element('div', { class: 'helptext', id: this.helpTextId }, escapeHtml(help)),
    );
  }

  /** Label, help text, errors and input in a `<div>` (a `<fieldset>` for groups); a hidden input alone. */
  render(): SafeHtml {
    if (this.isHidden) return this.widget();
    const parts = `${this.label()}${this.helpText()}${this.errors()}${this.widget()}`;
    if (!this.field.isGroup) return new SafeHtml(`<div>${parts}</div>`);
    return new SafeHtml(
      `<div><fieldset${this.#describedBy === undefined ? '' : ` aria-describedby="${escapeHtml(this.#describedBy)}"`}>${parts}</fieldset></div>`,
    );
  }

  toString(): string {
    return this.render().toString();
  }

  __html__(): string {
    return this.toString();
  }
}
