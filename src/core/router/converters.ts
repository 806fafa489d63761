// The built-in converters (Django's and Flask's names) and the checks on user-supplied ones.
// Parsers walk character codes instead of running regular expressions: they run per request.
import { CarafeError } from '../errors.js';
import type { Converter } from './types.js';

function isDigitRun(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function isSlugCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 45 || // -
    code === 95 // _
  );
}

function isLowerHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102);
}

const int: Converter<number> = {
  parse(raw) {
    if (!isDigitRun(raw, 0, raw.length)) return undefined;
    const value = Number(raw);
    return value <= Number.MAX_SAFE_INTEGER ? value : undefined;
  },
  format: (value) => String(value),
  priority: 10,
};

const float: Converter<number> = {
  parse(raw) {
    const dot = raw.indexOf('.');
    const wellFormed =
      dot === -1
        ? isDigitRun(raw, 0, raw.length)
        : isDigitRun(raw, 0, dot) && isDigitRun(raw, dot + 1, raw.length);
    if (!wellFormed) return undefined;
    const value = Number(raw);
    return Number.isFinite(value) ? value : undefined;
  },
  format: (value) => String(value),
  priority: 20,
};

const str: Converter<string> = {
  // Segments never contain a raw `/`; an encoded one (%2F) arrives decoded and is kept.
  parse: (raw) => (raw.length > 0 ? raw : undefined),
  format: (value) => value,
  priority: 40,
};

const slug: Converter<string> = {
  parse(raw) {
    if (raw.length === 0) return undefined;
    for (let index = 0; index < raw.length; index++) {
      if (!isSlugCharacter(raw.charCodeAt(index))) return undefined;
    }
    return raw;
  },
  format: (value) => value,
  priority: 30,
};

const uuid: Converter<string> = {
  parse(raw) {
    if (raw.length !== 36) return undefined;
    for (let index = 0; index < 36; index++) {
      const code = raw.charCodeAt(index);
      const isHyphenPosition = index === 8 || index === 13 || index === 18 || index === 23;
      if (isHyphenPosition ? code !== 45 : !isLowerHexDigit(code)) return undefined;
    }
    return raw;
  },
  format: (value) => value,
  priority: 10,
};

const path: Converter<string> = {
  parse: (raw) => (raw.length > 0 ? raw : undefined),
  format: (value) => value,
  greedy: true,
  priority: 100,
};

/** The converters every router knows. Their TypeScript types are listed in `ConverterTypes`. */
export const builtinConverters: Readonly<{
  int: Converter<number>;
  float: Converter<number>;
  str: Converter<string>;
  slug: Converter<string>;
  uuid: Converter<string>;
  path: Converter<string>;
}> = Object.freeze({ int, float, str, slug, uuid, path });

/** What a custom converter without a `priority` gets: after every built-in but `path`. */
export const defaultConverterPriority = 50;

const converterNameShape = /^[A-Za-z_][A-Za-z0-9_]*$/;

function invalidConverter(name: string, problem: string): CarafeError {
  return new CarafeError(
    'CARAFE_ROUTE_CONVERTER',
    `The custom converter "${name}" ${problem}. A converter is ` +
      '{ parse(raw): value | undefined, format(value): string, greedy?: boolean, priority?: number }.',
  );
}

/** Merges the built-ins with the user's converters, rejecting malformed ones up front. */
export function createConverterRegistry(
  custom: Readonly<Record<string, Converter>> = {},
): ReadonlyMap<string, Converter> {
  const registry = new Map<string, Converter>(Object.entries(builtinConverters));
  for (const [name, converter] of Object.entries(custom)) {
    if (registry.has(name)) {
      throw invalidConverter(name, 'has the name of a built-in converter; choose another name');
    }
    if (!converterNameShape.test(name)) {
      throw invalidConverter(
        name,
        'needs a name made of letters, digits and _ (not starting with a digit)',
      );
    }
    if (typeof converter?.parse !== 'function' || typeof converter.format !== 'function') {
      throw invalidConverter(name, 'needs parse and format functions');
    }
    if (converter.priority !== undefined && !Number.isFinite(converter.priority)) {
      throw invalidConverter(name, 'has a priority that is not a finite number');
    }
    registry.set(name, converter);
  }
  return registry;
}

export function converterPriority(converter: Converter): number {
  return converter.priority ?? defaultConverterPriority;
}
