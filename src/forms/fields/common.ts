// Helpers the field builders share.
import type { JsonValue } from '../../index.js';
import { definitionError } from '../errors.js';

export function checkCount(
  kind: string,
  name: string,
  value: unknown,
  minimum: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw definitionError(
      `ff.${kind}(): ${name} must be a whole number ≥ ${minimum}, got ${String(value)}`,
    );
  }
  return value;
}

export function checkFinite(kind: string, name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw definitionError(`ff.${kind}(): ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** A JSON Schema object without the keys whose value is undefined. */
export function schema(entries: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  const result: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) result[key] = value;
  return result;
}
