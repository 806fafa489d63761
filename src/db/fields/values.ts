// Checks a JavaScript value against a field before it reaches SQL, and normalizes it (uuid
// case, time format). A wrong type fails here with CARAFE_DB_BAD_VALUE naming the field.
import { badValue } from '../errors.js';
import type { Field } from './field.js';
import type { RelationField } from './relation.js';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timePattern = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const uuidPattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const decimalPattern = /^-?\d+(\.\d+)?$/;

const integerRanges: Record<string, readonly [number, number]> = {
  smallInteger: [-32768, 32767],
  integer: [-2147483648, 2147483647],
};
const int64: readonly [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];

/** Brands marking an instance of some model, without importing the instance module. */
export const instanceMarker: unique symbol = Symbol('carafe.instance');

function isModelInstance(
  value: unknown,
): value is Record<string, unknown> & { [instanceMarker]: string } {
  return typeof value === 'object' && value !== null && instanceMarker in value;
}

function validDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** `'9:5'` is rejected; `'09:05'` becomes `'09:05:00'`; fractions keep their digits. */
export function normalizeTime(text: string): string | undefined {
  const match = timePattern.exec(text);
  if (match === null) return undefined;
  const [, hh, mm, ss = '00', fraction] = match;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  const trimmed = fraction?.replace(/0+$/, '');
  return `${hh}:${mm}:${ss}${trimmed ? `.${trimmed}` : ''}`;
}

function expectation(field: Field): string {
  switch (field.kind) {
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'slug':
      return 'a string';
    case 'integer':
    case 'smallInteger': {
      const [low, high] = integerRanges[field.kind]!;
      return `a whole number from ${low} to ${high}`;
    }
    case 'auto':
    case 'bigAuto':
      return 'a positive whole number';
    case 'bigInteger':
      return 'a bigint (or a safe whole number) within 64 bits';
    case 'float':
      return 'a finite number';
    case 'decimal':
      return 'a decimal string such as "12.50"';
    case 'boolean':
      return 'true or false';
    case 'date':
      return "a date string 'YYYY-MM-DD'";
    case 'datetime':
      return 'a valid Date';
    case 'time':
      return "a time string 'HH:MM' or 'HH:MM:SS[.ffffff]'";
    case 'duration':
      return 'a whole number of milliseconds';
    case 'uuid':
      return 'a UUID string';
    case 'json':
      return 'a JSON-serializable value';
    case 'binary':
      return 'a Uint8Array';
    default:
      return 'a value of the related primary key';
  }
}

/** The normalized value, or `undefined` when `value` does not fit `field`. */
function coerce(field: Field, value: unknown): unknown {
  switch (field.kind) {
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'slug':
      return typeof value === 'string' ? value : undefined;
    case 'integer':
    case 'smallInteger': {
      const [low, high] = integerRanges[field.kind]!;
      return typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high
        ? value
        : undefined;
    }
    case 'auto':
    case 'bigAuto':
    case 'duration':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
    case 'bigInteger': {
      const big =
        typeof value === 'bigint'
          ? value
          : typeof value === 'number' && Number.isSafeInteger(value)
            ? BigInt(value)
            : undefined;
      return big !== undefined && big >= int64[0] && big <= int64[1] ? big : undefined;
    }
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'decimal':
      return typeof value === 'string' && decimalPattern.test(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'date':
      return typeof value === 'string' && validDate(value) ? value : undefined;
    case 'datetime':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;
    case 'time':
      return typeof value === 'string' ? normalizeTime(value) : undefined;
    case 'uuid':
      return typeof value === 'string' && uuidPattern.test(value) ? formatUuid(value) : undefined;
    case 'json':
      return jsonSafe(value) ? value : undefined;
    case 'binary':
      return value instanceof Uint8Array ? value : undefined;
    default:
      return undefined;
  }
}

function formatUuid(text: string): string {
  const hex = text.replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function jsonSafe(value: unknown): boolean {
  if (value === undefined) return false;
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Checks `value` for `field` and returns the value to store or compare. For relations an
 * instance of the related model stands for its primary key. `null` passes only when allowed.
 */
export function checkValue(field: Field, value: unknown, allowNull: boolean): unknown {
  if (value === null) {
    if (allowNull) return null;
    throw badValue(
      field.model.label,
      field.name,
      `${expectation(field)} (it is not nullable)`,
      value,
    );
  }
  if (field.isRelation) {
    const target = (field as RelationField).target;
    if (isModelInstance(value)) {
      if (value[instanceMarker] !== target.label) {
        throw badValue(
          field.model.label,
          field.name,
          `a ${target.label} or its primary key`,
          value,
        );
      }
      const pk = value[target.pk.attname];
      if (pk === null || pk === undefined) {
        throw badValue(
          field.model.label,
          field.name,
          `a saved ${target.label} (this one has no primary key yet)`,
          value,
        );
      }
      return pk;
    }
    const pkField = target.pk;
    const result = coerce(
      pkField.isRelation ? (pkField as RelationField).target.pk : pkField,
      value,
    );
    if (result === undefined)
      throw badValue(field.model.label, field.name, `a ${target.label} or its primary key`, value);
    return result;
  }
  const result = coerce(field, value);
  if (result === undefined)
    throw badValue(field.model.label, field.name, expectation(field), value);
  return result;
}

/** Like `checkValue`, plus the length limit strings must respect on every database. */
export function checkWritable(field: Field, value: unknown): unknown {
  const checked = checkValue(field, value, field.nullable);
  if (
    typeof checked === 'string' &&
    field.maxLength !== undefined &&
    checked.length > field.maxLength
  ) {
    throw badValue(field.model.label, field.name, `at most ${field.maxLength} characters`, value);
  }
  return checked;
}
