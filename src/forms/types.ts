// The types a form definition yields: its cleaned data, initial data and clean hook, computed
// from the field map so nothing is declared twice.
import type { CleanedValue, FormField } from './field.js';

/** The fields of a form, by name. */
export type FormFields = Readonly<Record<string, FormField<unknown>>>;

/** What a valid form hands back: `{ age: number | null, topic: 'bug' | 'idea', … }`. */
export type CleanedData<F extends FormFields> = { -readonly [K in keyof F]: CleanedValue<F[K]> };

type InitialValue<T> = T extends readonly (infer E)[] ? readonly E[] : NonNullable<T> | null;

/** Values an unbound form shows, by field name; any may be left out. */
export type InitialData<F extends FormFields> = {
  readonly [K in keyof F]?: InitialValue<CleanedValue<F[K]>>;
};

/** Field names of a form, plus `'__all__'` for errors about the whole form. */
export type ErrorKey<F extends FormFields> = (keyof F & string) | '__all__';

/** What `clean()` may return: nothing when all is well, a message for the form, or messages per field. */
export type CleanResult<F extends FormFields> =
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a clean() that finds nothing wrong simply returns
  | void
  | string
  | { readonly [K in ErrorKey<F>]?: string | readonly string[] };
