// The ORM's errors. Lookup failures are classes so callers can catch one model's miss
// (`Question.DoesNotExist`) or any miss (`ObjectDoesNotExist`); the rest are CarafeErrors
// with stable codes whose messages name the fix.
import { CarafeError } from '../index.js';

/** `get()` found no row. Each model has its own subclass as `Model.DoesNotExist`. */
export class ObjectDoesNotExist extends CarafeError {
  constructor(message: string) {
    super('CARAFE_DB_DOES_NOT_EXIST', message);
    this.name = 'ObjectDoesNotExist';
  }
}

/** `get()` found more than one row. Each model has its own subclass as `Model.MultipleObjectsReturned`. */
export class MultipleObjectsReturned extends CarafeError {
  constructor(message: string) {
    super('CARAFE_DB_MULTIPLE_OBJECTS', message);
    this.name = 'MultipleObjectsReturned';
  }
}

/** Errors per field name; `__all__` holds model-wide ones. The shape forms and the API use. */
export type FieldErrors = Record<string, string[]>;

/** `validate()` found problems; `errors` maps field names (or `__all__`) to messages. */
export class ValidationError extends CarafeError {
  readonly errors: FieldErrors;
  constructor(errors: FieldErrors) {
    const summary = Object.entries(errors)
      .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
      .join('; ');
    super('CARAFE_DB_VALIDATION', `Validation failed: ${summary}`);
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

/** A delete reached rows whose foreign key says `protect` (or `restrict`). */
export class ProtectedError extends CarafeError {
  /** How many rows of each model (by label) blocked the delete. */
  readonly blockedBy: Readonly<Record<string, number>>;
  constructor(
    code: 'CARAFE_DB_PROTECTED' | 'CARAFE_DB_RESTRICTED',
    message: string,
    blockedBy: Record<string, number>,
  ) {
    super(code, message);
    this.name = 'ProtectedError';
    this.blockedBy = blockedBy;
  }
}

function listNames(names: Iterable<string>): string {
  return [...names].map((name) => `"${name}"`).join(', ');
}

export function unknownField(
  label: string,
  name: string,
  valid: Iterable<string>,
  where: string,
): CarafeError {
  return new CarafeError(
    'CARAFE_DB_UNKNOWN_FIELD',
    `${label} has no field "${name}" (used in ${where}). Valid names: ${listNames(valid)}.`,
  );
}

export function unknownLookup(
  label: string,
  field: string,
  lookup: string,
  valid: Iterable<string>,
): CarafeError {
  return new CarafeError(
    'CARAFE_DB_UNKNOWN_LOOKUP',
    `${label}.${field} has no lookup "${lookup}". Lookups for this field: ${listNames(valid)}.`,
  );
}

export function badValue(
  label: string,
  field: string,
  expected: string,
  got: unknown,
): CarafeError {
  return new CarafeError(
    'CARAFE_DB_BAD_VALUE',
    `${label}.${field} expects ${expected}, got ${describeValue(got)}.`,
  );
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return `${typeof value} ${String(value)}`;
}
