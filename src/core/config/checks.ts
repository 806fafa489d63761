// Validation helpers shared by the core settings and open to batteries.
import { closestName, describeValue, type SettingContext } from './problems.js';

export function checkBoolean(value: unknown, path: string, context: SettingContext): boolean {
  if (typeof value === 'boolean') return value;
  return context.fail(
    path,
    `must be true or false (got ${describeValue(value)})`,
    `For an environment variable use env.bool('NAME', false), which parses "true", "1", "yes", "on" and their opposites.`,
  );
}

export function checkString(value: unknown, path: string, context: SettingContext): string {
  if (typeof value === 'string') return value;
  return context.fail(path, `must be a string (got ${describeValue(value)})`, `Give it as text.`);
}

export function checkOneOf<const Options extends readonly string[]>(
  value: unknown,
  options: Options,
  path: string,
  context: SettingContext,
): Options[number] {
  const match = options.find((option) => option === value);
  if (match !== undefined) return match;
  const choices = options.map((option) => `'${option}'`).join(', ');
  const guess = typeof value === 'string' ? closestName(value, options) : undefined;
  return context.fail(
    path,
    `must be one of ${choices} (got ${describeValue(value)})`,
    guess === undefined ? `Pick one of those.` : `Did you mean '${guess}'?`,
  );
}

/** A whole number above zero: sizes, counts and timeouts. */
export function checkPositiveInteger(
  value: unknown,
  path: string,
  context: SettingContext,
  unit: string,
  defaultValue: number,
): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  return context.fail(
    path,
    `must be a positive integer (got ${describeValue(value)})`,
    `Give a whole number of ${unit} such as ${defaultValue} (the default), or leave it out.`,
  );
}

/** A list of non-empty strings; a single string is the commonest slip, so it gets its own hint. */
export function checkStringList(value: unknown, path: string, context: SettingContext): string[] {
  if (typeof value === 'string') {
    return context.fail(
      path,
      `must be a list of strings (got the single string ${describeValue(value)})`,
      `Wrap it in brackets: [${describeValue(value)}]; for an environment variable use env.list('NAME').`,
    );
  }
  if (!Array.isArray(value)) {
    return context.fail(
      path,
      `must be a list of strings (got ${describeValue(value)})`,
      `Give an array such as ['example.com'].`,
    );
  }
  return value.map((item: unknown, index) => {
    if (typeof item === 'string' && item.trim() !== '') return item.trim();
    return context.fail(
      `${path}[${index}]`,
      `must be a non-empty string (got ${describeValue(item)})`,
      `Remove the entry or fill it in.`,
    );
  });
}

/** A plain object whose keys are all in `known`; an unknown key gets a "did you mean". */
export function checkObject(
  value: unknown,
  known: readonly string[],
  path: string,
  context: SettingContext,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return context.fail(
      path,
      `must be an object (got ${describeValue(value)})`,
      `Give an object with any of: ${known.join(', ')}.`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const guess = closestName(key, known);
      context.fail(
        `${path}.${key}`,
        'is not a setting Carafe knows',
        guess === undefined
          ? `The ${path} settings are: ${known.join(', ')}.`
          : `Did you mean ${path}.${guess}?`,
      );
    }
  }
  return { ...value };
}
