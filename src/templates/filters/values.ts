// Checks shared by the filters: a filter given the wrong kind of value fails with a message
// naming the filter, and the render error around it adds the template and line.

/** A short, safe rendering of a value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

export function filterError(filter: string, problem: string): Error {
  return new Error(`The ${filter} filter ${problem}`);
}

/** A whole number in `[min, max]`, for arguments such as lengths and decimal places. */
export function integerArgument(
  filter: string,
  argument: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  throw filterError(
    filter,
    `needs ${argument} as a whole number from ${min} to ${max} (got ${describe(value)}).`,
  );
}

/** Text for the text filters: nothing for null and undefined, `String()` of anything else. */
export function asText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}
