// Two kinds of trouble: a developer's mistake in a definition (a CarafeError at startup), and a
// user's bad input (messages collected per field and shown next to the input).
import { CarafeError } from '../index.js';

export function definitionError(problem: string): CarafeError {
  return new CarafeError('CARAFE_FORMS_DEFINITION', `${problem}.`);
}

/** Thrown inside field cleaning; carries the messages for that field. */
export class InvalidValue extends Error {
  readonly messages: readonly string[];
  constructor(messages: readonly string[]) {
    super(messages.join(' '));
    this.name = 'InvalidValue';
    this.messages = messages;
  }
}

/** Errors per field name, and `__all__` for the form as a whole. Only fields with errors appear. */
export type FormErrors<K extends string = string> = {
  readonly [P in K | '__all__']?: readonly string[];
};

/**
 * Throw from a form's `clean()` (or a view) to report problems: a message for the whole form,
 * or messages per field.
 *
 * ```ts
 * throw new FormError({ password2: 'The two passwords differ.' });
 * ```
 */
export class FormError extends CarafeError {
  readonly errors: Readonly<Record<string, readonly string[]>>;
  constructor(errors: string | Readonly<Record<string, string | readonly string[]>>) {
    const normalized = normalizeErrors(errors);
    super(
      'CARAFE_FORMS_INVALID',
      `The form is invalid: ${Object.entries(normalized)
        .map(([name, messages]) => `${name}: ${messages.join(' ')}`)
        .join('; ')}`,
    );
    this.name = 'FormError';
    this.errors = normalized;
  }
}

/** `'msg'` → `{ __all__: ['msg'] }`; `{ a: 'msg' }` → `{ a: ['msg'] }`. No prototype, so any name is a plain key. */
export function normalizeErrors(
  errors: string | Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string[]> {
  const result: Record<string, string[]> = Object.create(null);
  if (typeof errors === 'string') {
    result.__all__ = [errors];
    return result;
  }
  for (const [name, messages] of Object.entries(errors)) {
    if (messages === undefined) continue;
    const list = typeof messages === 'string' ? [messages] : [...messages];
    if (list.length > 0) result[name] = list;
  }
  return result;
}
