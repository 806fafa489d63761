// A form field: how one input is read from a submitted form, checked and shown again. The
// type parameter is the cleaned value's type; builders in fields/ compute it from their options.
import type { JsonValue, UploadedFile } from '../index.js';
import { definitionError, InvalidValue } from './errors.js';
import type { Validator } from './from-db.js';
import { type Attrs, checkAttrs } from './html.js';

export declare const cleanedType: unique symbol;

export type WidgetName =
  | 'text'
  | 'textarea'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'checkboxes'
  | 'password'
  | 'hidden'
  | 'email'
  | 'url'
  | 'number'
  | 'date'
  | 'datetime-local'
  | 'time'
  | 'file';

/** How a field reads the submission: one value, every value, a checkbox, or an upload. */
export type InputShape = 'single' | 'multiple' | 'checkbox' | 'file';

export type ChoiceValue = string | number;
/** `'bug'`, or `['bug', 'Bug report']` to show a different label. */
export type ChoiceItem = ChoiceValue | readonly [ChoiceValue, string];

/** The value type of a list of choices: `['a', ['b', 'B']] as const` gives `'a' | 'b'`. */
export type ChoiceValueOf<C extends readonly ChoiceItem[]> = C[number] extends infer E
  ? E extends readonly [infer V, string]
    ? V
    : E
  : never;

export interface Choice {
  readonly value: ChoiceValue;
  readonly label: string;
}

/** What one field was sent: every text value under its name, and every upload. */
export interface RawField {
  readonly values: readonly string[];
  readonly files: readonly UploadedFile[];
}

/** Options every field takes. `V` is the cleaned value without `null`; `W` the allowed widgets. */
export interface FieldOptions<V, W extends WidgetName> {
  /** Shown in the `<label>`; defaults to the field name in words (`firstName` → "First name"). */
  readonly label?: string;
  readonly helpText?: string;
  /** The value an unbound form shows (and the one `hasChanged()` compares with). */
  readonly initial?: V | null;
  /** Defaults to true: an empty submission is "This field is required." */
  readonly required?: boolean;
  readonly widget?: W;
  /** Run on the converted, non-empty value; return a message to reject it. */
  readonly validators?: readonly Validator<V>[];
  /** Shown but not editable: the submitted value is ignored and the initial value kept. */
  readonly disabled?: boolean;
  /** Extra attributes for the input: `{ placeholder: 'you@example.com', autocomplete: 'email' }`. */
  readonly attrs?: Attrs;
}

/** `required: false` (or a boolean not known to be `true`) lets the cleaned value be `null`. */
export type Maybe<O, V> = O extends { readonly required: infer R }
  ? R extends true
    ? V
    : V | null
  : V;

/** Options as a spec holds them, whatever the value type. */
export type SpecOptions = Omit<FieldOptions<never, WidgetName>, 'initial'> & {
  readonly initial?: unknown;
};

/** What a kind of field contributes; the builders in fields/ fill it in. */
export interface FieldSpec {
  readonly kind: string;
  readonly input: InputShape;
  /** The widgets this kind can be shown with; the first is the default. */
  readonly widgets: readonly WidgetName[];
  readonly options: SpecOptions;
  /** The cleaned value when nothing was sent to an optional field. */
  readonly empty: unknown;
  /** Trim surrounding whitespace before reading a value. */
  readonly strip?: boolean;
  /** Never show the submitted value again (passwords). */
  readonly hideValue?: boolean;
  /** Converts one non-empty submitted string; throws InvalidValue with the message. */
  readonly parse?: (text: string) => unknown;
  /** The text an input shows for a value; `String(value)` by default. */
  readonly format?: (value: unknown) => string;
  /** Validators the kind implies (length, range, format), run before the user's. */
  readonly validators?: readonly Validator<never>[];
  readonly choices?: readonly ChoiceItem[];
  /** Attributes the kind adds to its input: `maxlength`, `min`, `step`… */
  readonly inputAttrs?: Attrs;
  /** JSON Schema of a (non-null) value. */
  readonly schema: Readonly<Record<string, JsonValue>>;
  /** Turns a chosen value into the cleaned one (a model form's related row for its key). */
  readonly resolve?: (value: ChoiceValue) => unknown;
  /** Checks an upload (size, type); returns a message to reject it. */
  readonly checkFile?: (file: UploadedFile) => string | undefined;
}

export const requiredMessage = 'This field is required.';

function toChoice(item: ChoiceItem): Choice {
  return Array.isArray(item)
    ? { value: item[0], label: item[1] }
    : { value: item as ChoiceValue, label: String(item) };
}

export class FormField<T = unknown> {
  declare readonly [cleanedType]: T;
  readonly kind: string;
  readonly input: InputShape;
  readonly label: string | undefined;
  readonly helpText: string | undefined;
  readonly initial: unknown;
  readonly required: boolean;
  readonly widget: WidgetName;
  readonly disabled: boolean;
  readonly attrs: Attrs;
  readonly choices: readonly Choice[] | undefined;
  readonly validators: readonly Validator<never>[];
  readonly spec: FieldSpec;

  constructor(spec: FieldSpec) {
    const options = spec.options;
    const where = `ff.${spec.kind}()`;
    const widget = options.widget ?? spec.widgets[0]!;
    if (!spec.widgets.includes(widget)) {
      throw definitionError(
        `${where}: widget "${String(widget)}" cannot show this field; use one of ${spec.widgets.join(', ')}`,
      );
    }
    if (
      options.validators !== undefined &&
      !options.validators.every((v) => typeof v === 'function')
    ) {
      throw definitionError(
        `${where}: validators must be functions returning a message or undefined`,
      );
    }
    checkAttrs(where, options.attrs);
    this.spec = spec;
    this.kind = spec.kind;
    this.input = spec.input;
    this.label = options.label;
    this.helpText = options.helpText;
    this.initial = options.initial ?? (spec.input === 'multiple' ? [] : null);
    this.required = options.required ?? true;
    this.widget = widget;
    this.disabled = options.disabled ?? false;
    this.attrs = options.attrs ?? {};
    this.choices = spec.choices?.map(toChoice);
    this.validators = [...(spec.validators ?? []), ...(options.validators ?? [])];
  }

  /** Whether the widget is a group of inputs (radios, checkboxes) shown in a `<fieldset>`. */
  get isGroup(): boolean {
    return this.widget === 'radio' || this.widget === 'checkboxes';
  }

  get isHidden(): boolean {
    return this.widget === 'hidden';
  }

  get hidesValue(): boolean {
    return this.spec.hideValue === true;
  }

  /** The text an input shows for `value`; `''` for nothing. */
  format(value: unknown): string {
    if (value === null || value === undefined) return '';
    return this.spec.format === undefined ? String(value) : this.spec.format(value);
  }

  /** What the field shows for a cleaned or initial value: text, or a list of texts. */
  display(value: unknown): string | readonly string[] | boolean {
    if (this.input === 'checkbox') return value === true;
    if (this.input === 'multiple')
      return Array.isArray(value) ? value.map((item) => this.format(item)) : [];
    return this.format(value);
  }

  /** What the field shows for a submission. */
  displayRaw(raw: RawField): string | readonly string[] | boolean {
    if (this.input === 'checkbox') return isChecked(raw.values.at(-1));
    if (this.input === 'multiple') return raw.values;
    if (this.input === 'file' || this.hidesValue) return '';
    return raw.values.at(-1) ?? '';
  }

  /** Converts and checks a submission; throws InvalidValue with every message. */
  clean(raw: RawField): unknown {
    const value = this.toValue(raw);
    if (isEmpty(value)) return value;
    const messages: string[] = [];
    for (const validator of this.validators) {
      const message = validator(value as never);
      if (message !== undefined) messages.push(message);
    }
    if (messages.length > 0) throw new InvalidValue(messages);
    return value;
  }

  /** Whether a submission differs from the initial value (formsets skip unchanged extra forms). */
  hasChanged(initial: unknown, raw: RawField): boolean {
    if (this.input === 'file') return raw.files.length > 0;
    if (this.input === 'single')
      return this.normalize(raw.values.at(-1) ?? '') !== this.format(initial);
    const shown = this.display(initial);
    const sent = this.displayRaw(raw);
    if (Array.isArray(shown) && Array.isArray(sent)) {
      return shown.length !== sent.length || shown.some((item) => !sent.includes(item));
    }
    return shown !== sent;
  }

  /** A submitted text as the field would show its cleaned value ('13:45' and '13:45:00' match). */
  private normalize(sent: string): string {
    const text = this.spec.strip === true ? sent.trim() : sent;
    if (text === '' || this.choices !== undefined || this.spec.parse === undefined) return text;
    try {
      return this.format(this.spec.parse(text));
    } catch {
      return text;
    }
  }

  private toValue(raw: RawField): unknown {
    switch (this.input) {
      case 'checkbox': {
        const checked = isChecked(raw.values.at(-1));
        if (!checked && this.required) throw new InvalidValue([requiredMessage]);
        return checked;
      }
      case 'multiple':
        return this.toValues(raw.values);
      case 'file':
        return this.toFile(raw);
      default:
        return this.toSingle(raw.values.at(-1) ?? '');
    }
  }

  private toSingle(sent: string): unknown {
    const text = this.spec.strip === true ? sent.trim() : sent;
    if (text === '') {
      if (this.required) throw new InvalidValue([requiredMessage]);
      return this.spec.empty;
    }
    if (this.choices !== undefined) return this.pick(text);
    return this.spec.parse === undefined ? text : this.spec.parse(text);
  }

  private toValues(sent: readonly string[]): unknown[] {
    const texts = [...new Set(sent.filter((text) => text !== ''))];
    if (texts.length === 0) {
      if (this.required) throw new InvalidValue([requiredMessage]);
      return [];
    }
    return texts.map((text) => this.pick(text));
  }

  private pick(text: string): unknown {
    const choice = this.choices?.find((candidate) => String(candidate.value) === text);
    if (choice === undefined) {
      throw new InvalidValue([
        `Select a valid choice. ${shorten(text)} is not one of the available choices.`,
      ]);
    }
    return this.spec.resolve === undefined ? choice.value : this.spec.resolve(choice.value);
  }

  private toFile(raw: RawField): unknown {
    const file = raw.files.at(-1);
    if (file === undefined) {
      // A text value under a file field means the <form> lacks enctype="multipart/form-data".
      if (raw.values.some((text) => text !== '')) {
        throw new InvalidValue(['No file was submitted. Check the encoding type on the form.']);
      }
      if (this.required) throw new InvalidValue([requiredMessage]);
      return null;
    }
    if (file.size === 0) throw new InvalidValue(['The submitted file is empty.']);
    const problem = this.spec.checkFile?.(file);
    if (problem !== undefined) throw new InvalidValue([problem]);
    return file;
  }
}

export type CleanedValue<F> = F extends { readonly [cleanedType]: infer T } ? T : never;

function isEmpty(value: unknown): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

const uncheckedValues = new Set(['', 'false', '0', 'off']);

/** A checkbox is on unless absent or sent as `''`, `false`, `0` or `off` (hidden-input fallbacks). */
export function isChecked(value: string | undefined): boolean {
  return value !== undefined && !uncheckedValues.has(value.toLowerCase());
}

/** Keeps echoed input short in messages, so a huge value is not shown back in full. */
export function shorten(text: string, limit = 100): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
