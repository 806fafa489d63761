// Text fields: free text, email, URL, slug, password, hidden and UUID. An optional text field
// left empty cleans to '' (as in Django), so its type stays `string`.
import { InvalidValue } from '../errors.js';
import {
  type FieldOptions,
  FormField,
  type Maybe,
  type SpecOptions,
  type WidgetName,
} from '../field.js';
import {
  emailValidator,
  maxLength,
  slugValidator,
  urlValidator,
  type Validator,
} from '../from-db.js';
import { checkCount, schema } from './common.js';

interface LengthOptions {
  /** Longest accepted value, in characters; also the input's `maxlength`. */
  readonly max?: number;
  /** Shortest accepted non-empty value, in characters. */
  readonly min?: number;
}

export interface TextOptions
  extends FieldOptions<string, 'text' | 'textarea' | 'hidden' | 'password'>,
    LengthOptions {
  /** Trim surrounding whitespace (default true). */
  readonly strip?: boolean;
}
export interface EmailOptions
  extends FieldOptions<string, 'email' | 'text' | 'hidden'>,
    LengthOptions {}
export interface UrlOptions
  extends FieldOptions<string, 'url' | 'text' | 'hidden'>,
    LengthOptions {}
export interface SlugOptions extends FieldOptions<string, 'text' | 'hidden'>, LengthOptions {}
export interface PasswordOptions extends FieldOptions<string, 'password'>, LengthOptions {}
export interface HiddenOptions extends FieldOptions<string, 'hidden' | 'text'>, LengthOptions {}
export interface UuidOptions extends FieldOptions<string, 'text' | 'hidden'> {}

export function minLength(limit: number): Validator<string> {
  return (value) =>
    value.length < limit
      ? `Ensure this value has at least ${limit} characters (it has ${value.length}).`
      : undefined;
}

export interface TextKind {
  readonly kind: string;
  readonly widgets: readonly WidgetName[];
  readonly format?: string;
  readonly defaultMax?: number;
  readonly validators?: readonly Validator<string>[];
  readonly parse?: (text: string) => string;
  readonly strip?: boolean;
  readonly hideValue?: boolean;
  /** What an optional field cleans to when left empty: `''`, or `null` for nullable model columns. */
  readonly empty?: '' | null;
}

export function textLike(kind: TextKind, options: SpecOptions & LengthOptions): FormField<string> {
  const max = checkCount(kind.kind, 'max', options.max, 1) ?? kind.defaultMax;
  const min = checkCount(kind.kind, 'min', options.min, 0);
  const lengths: Validator<string>[] = [];
  if (min !== undefined && min > 0) lengths.push(minLength(min));
  if (max !== undefined) lengths.push(maxLength(max));
  return new FormField<string>({
    kind: kind.kind,
    input: 'single',
    widgets: kind.widgets,
    options,
    empty: kind.empty ?? '',
    strip: kind.strip ?? true,
    hideValue: kind.hideValue,
    parse: kind.parse,
    validators: [...lengths, ...(kind.validators ?? [])],
    inputAttrs: { maxlength: max, minlength: min },
    schema: schema({ type: 'string', format: kind.format, maxLength: max, minLength: min }),
  });
}

const uuidPattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function parseUuid(text: string): string {
  if (!uuidPattern.test(text)) throw new InvalidValue(['Enter a valid UUID.']);
  const hex = text.replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** People type `example.com`; a URL field adds the scheme they left out. */
function withScheme(text: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//') ? text : `https://${text}`;
}

export function uuidField<T>(options: SpecOptions): FormField<T> {
  return new FormField<T>({
    kind: 'uuid',
    input: 'single',
    widgets: ['text', 'hidden'],
    options,
    empty: null,
    strip: true,
    parse: parseUuid,
    schema: { type: 'string', format: 'uuid' },
  });
}

/** The text kinds, shared with model forms (which clean a nullable column's empty value to null). */
export const textKinds = {
  text: { kind: 'text', widgets: ['text', 'textarea', 'hidden', 'password'] },
  email: {
    kind: 'email',
    widgets: ['email', 'text', 'hidden'],
    format: 'email',
    defaultMax: 254,
    validators: [emailValidator],
  },
  url: {
    kind: 'url',
    widgets: ['url', 'text', 'hidden'],
    format: 'uri',
    defaultMax: 200,
    validators: [urlValidator],
    parse: withScheme,
  },
  slug: { kind: 'slug', widgets: ['text', 'hidden'], validators: [slugValidator] },
  password: { kind: 'password', widgets: ['password'], strip: false, hideValue: true },
  hidden: { kind: 'hidden', widgets: ['hidden', 'text'] },
} satisfies Record<string, TextKind>;

export const textFields = {
  /** Free text; `widget: 'textarea'` for several lines. */
  text(options: TextOptions = {}): FormField<string> {
    return textLike({ ...textKinds.text, strip: options.strip }, options);
  },
  /** An email address (at most 254 characters by default). */
  email(options: EmailOptions = {}): FormField<string> {
    return textLike(textKinds.email, options);
  },
  /** An http(s) URL; `example.com` becomes `https://example.com`. */
  url(options: UrlOptions = {}): FormField<string> {
    return textLike(textKinds.url, options);
  },
  /** Letters, digits, `-` and `_`. */
  slug(options: SlugOptions = {}): FormField<string> {
    return textLike(textKinds.slug, options);
  },
  /** Kept exactly as typed (no trimming) and never shown again after a failed submission. */
  password(options: PasswordOptions = {}): FormField<string> {
    return textLike(textKinds.password, options);
  },
  /** A hidden input, for values the page carries along (`next`, an object's version). */
  hidden(options: HiddenOptions = {}): FormField<string> {
    return textLike(textKinds.hidden, options);
  },
  /** A UUID, cleaned to lowercase with dashes. */
  uuid<const O extends UuidOptions>(options?: O): FormField<Maybe<O, string>> {
    return uuidField(options ?? {});
  },
};
