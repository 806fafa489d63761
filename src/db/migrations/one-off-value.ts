// One-off values typed by a developer (a `--default` flag or an answer at the prompt) for rows
// that already exist when a non-nullable field appears. The text is read for the field's kind:
// numbers for numeric kinds, `new Date(text)` for date-times, JSON for json fields and relations
// where it parses, and the text itself for strings (a JSON string literal is unquoted).
import { CarafeError } from '../../index.js';
import type { FieldDescription } from './field-description.js';

/** "a string", "a foreign key to polls.Question": how questions and errors name a field's kind. */
export function kindPhrase(description: FieldDescription): string {
  switch (description.kind) {
    case 'foreignKey':
      return `a foreign key to ${description.to}`;
    case 'oneToOne':
      return `a one-to-one relation to ${description.to}`;
    case 'manyToMany':
      return `a many-to-many relation to ${description.to}`;
    default:
      return phrases[description.kind];
  }
}

const phrases: Record<
  Exclude<FieldDescription['kind'], 'foreignKey' | 'oneToOne' | 'manyToMany'>,
  string
> = {
  auto: 'an auto-increment key',
  bigAuto: 'an auto-increment key',
  string: 'a string',
  text: 'a text',
  integer: 'an integer',
  smallInteger: 'a small integer',
  bigInteger: 'a big integer',
  float: 'a float',
  decimal: 'a decimal',
  boolean: 'a boolean',
  date: 'a date',
  datetime: 'a date-time',
  time: 'a time',
  duration: 'a duration',
  uuid: 'a UUID',
  json: 'a JSON value',
  email: 'an email',
  url: 'a URL',
  slug: 'a slug',
  binary: 'binary data',
};

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function bad(
  where: string,
  description: FieldDescription,
  text: string,
  expected: string,
): CarafeError {
  return new CarafeError(
    'CARAFE_MIGRATION_BAD_DEFAULT',
    `"${text}" is not a value for ${where} (${kindPhrase(description)}): expected ${expected}.`,
  );
}

/**
 * Reads `text` as a value of the field's kind; `where` names the field in errors
 * (`polls.Question.pubDate`).
 */
export function parseOneOffValue(
  where: string,
  description: FieldDescription,
  text: string,
): unknown {
  const fail = (expected: string) => bad(where, description, text, expected);
  switch (description.kind) {
    case 'integer':
    case 'smallInteger':
    case 'duration':
    case 'auto':
    case 'bigAuto': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isSafeInteger(value)) throw fail('a whole number');
      return value;
    }
    case 'float': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) throw fail('a number');
      return value;
    }
    case 'bigInteger':
      if (!/^-?\d+n?$/.test(text.trim())) throw fail('a whole number');
      return BigInt(text.trim().replace(/n$/, ''));
    case 'decimal':
      if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw fail('a decimal number such as 12.50');
      return text.trim();
    case 'boolean':
      if (text.trim() === 'true') return true;
      if (text.trim() === 'false') return false;
      throw fail('true or false');
    case 'datetime': {
      const value = new Date(text.trim());
      if (Number.isNaN(value.getTime())) throw fail('a date-time such as 2026-01-31T12:00:00Z');
      return value;
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) throw fail('a date such as 2026-01-31');
      return text.trim();
    case 'time':
      if (!/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text.trim()))
        throw fail('a time such as 09:30:00');
      return text.trim();
    case 'uuid':
      if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(text.trim())) throw fail('a UUID');
      return text.trim().toLowerCase();
    case 'json':
      return jsonOrText(text);
    case 'binary':
      return new TextEncoder().encode(text);
    case 'foreignKey':
    case 'oneToOne': {
      // The primary key of an existing row of the target: a number, or a string for text keys.
      const value = jsonOrText(text.trim());
      if (typeof value !== 'number' && typeof value !== 'string') {
        throw fail(`the primary key of a ${description.to} row`);
      }
      return value;
    }
    case 'manyToMany':
      throw fail('nothing: many-to-many fields need no value');
    default: {
      // The string kinds: the text as typed, or the string a JSON literal spells ("a \"b\"").
      const value = jsonOrText(text);
      return typeof value === 'string' ? value : text;
    }
  }
}
