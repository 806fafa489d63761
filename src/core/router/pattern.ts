// Parses a route pattern such as `/polls/<int:id>/vote/` into segments, once, at add() time.
import { CarafeError } from '../errors.js';
import { encodePathText } from './encoding.js';
import type { Converter } from './types.js';

/** Literal text, stored in the canonical encoding that request paths are compared in. */
export interface StaticSegment {
  readonly kind: 'static';
  readonly text: string;
}

/** One parameter with optional literal text around it: `v<int:version>`, `<name>.txt`. */
export interface ParamSegment {
  readonly kind: 'param';
  readonly name: string;
  readonly converterName: string;
  readonly converter: Converter;
  /** Canonically encoded literal text before the parameter, within its segment. */
  readonly prefix: string;
  /** Canonically encoded literal text after the parameter, within its segment. */
  readonly suffix: string;
}

export type Segment = StaticSegment | ParamSegment;

export interface ParsedPattern {
  readonly source: string;
  /** The path split at `/`, without the leading one: `/polls/` is `polls` then an empty segment. */
  readonly segments: readonly Segment[];
  readonly paramNames: readonly string[];
  /**
   * The canonical path with each parameter written as `<converter>`. Two patterns with the same
   * shape match exactly the same URLs.
   */
  readonly shape: string;
  readonly isStatic: boolean;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function patternError(pattern: string, problem: string): CarafeError {
  return new CarafeError(
    'CARAFE_ROUTE_PATTERN',
    `Route pattern ${JSON.stringify(pattern)} ${problem}`,
  );
}

interface OpenParam {
  name: string;
  converterName: string;
  converter: Converter;
  prefix: string;
}

function parseParam(
  pattern: string,
  inner: string,
  converters: ReadonlyMap<string, Converter>,
): Omit<OpenParam, 'prefix'> {
  const colon = inner.indexOf(':');
  const converterName = colon === -1 ? 'str' : inner.slice(0, colon);
  const name = colon === -1 ? inner : inner.slice(colon + 1);
  if (converterName === '') {
    throw patternError(
      pattern,
      `has a parameter with no converter before ":" ("<${inner}>"): write <converter:name> or just <name>.`,
    );
  }
  if (name === '') {
    throw patternError(
      pattern,
      `has a parameter with no name ("<${inner}>"): write <converter:name>, e.g. <int:id>.`,
    );
  }
  if (!identifier.test(name) || name === '__proto__') {
    throw patternError(
      pattern,
      `has a parameter named ${JSON.stringify(name)}: names are made of letters, digits and _ and do not start with a digit.`,
    );
  }
  const converter = converters.get(converterName);
  if (converter === undefined) {
    throw new CarafeError(
      'CARAFE_ROUTE_CONVERTER',
      `Route pattern ${JSON.stringify(pattern)} uses the unknown converter "${converterName}". ` +
        `Known converters: ${[...converters.keys()].join(', ')}. ` +
        'Pass custom ones in the `converters` option.',
    );
  }
  return { name, converterName, converter };
}

function encodeLiteral(pattern: string, literal: string): string {
  try {
    return encodePathText(literal);
  } catch {
    throw patternError(pattern, 'is not well-formed Unicode (it contains a lone surrogate).');
  }
}

export function parsePattern(
  pattern: string,
  converters: ReadonlyMap<string, Converter>,
): ParsedPattern {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw patternError(String(pattern), `must start with "/": write "/${String(pattern)}".`);
  }
  const reserved = pattern.search(/[?#]/);
  if (reserved !== -1) {
    throw patternError(
      pattern,
      `contains "${pattern[reserved]}": patterns match the path only; read query values from req.query.`,
    );
  }

  const segments: Segment[] = [];
  const paramNames: string[] = [];
  let literal = '';
  let param: OpenParam | undefined;

  for (let index = 1; index <= pattern.length; index++) {
    const character = pattern[index];
    if (character === undefined || character === '/') {
      segments.push(
        param === undefined
          ? { kind: 'static', text: encodeLiteral(pattern, literal) }
          : {
              kind: 'param',
              ...param,
              prefix: encodeLiteral(pattern, param.prefix),
              suffix: encodeLiteral(pattern, literal),
            },
      );
      literal = '';
      param = undefined;
    } else if (character === '<') {
      const close = pattern.indexOf('>', index);
      const nextOpen = pattern.indexOf('<', index + 1);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        throw patternError(
          pattern,
          `has a "<" at position ${index} with no closing ">": write parameters as <converter:name> or <name>.`,
        );
      }
      const inner = pattern.slice(index + 1, close);
      if (param !== undefined) {
        throw patternError(
          pattern,
          `puts a second parameter ("<${inner}>") in the segment of "<${param.name}>": a segment holds one ` +
            'parameter with optional fixed text around it. Separate them with "/" or write a custom ' +
            'converter that parses the whole segment.',
        );
      }
      const parsed = parseParam(pattern, inner, converters);
      if (paramNames.includes(parsed.name)) {
        throw patternError(
          pattern,
          `uses the parameter name "${parsed.name}" twice: give each parameter its own name.`,
        );
      }
      paramNames.push(parsed.name);
      param = { ...parsed, prefix: literal };
      literal = '';
      index = close;
    } else if (character === '>') {
      throw patternError(pattern, `has a ">" at position ${index} with no opening "<".`);
    } else {
      literal += character;
    }
  }

  const shape = `/${segments
    .map((segment) =>
      segment.kind === 'static'
        ? segment.text
        : `${segment.prefix}<${segment.converterName}>${segment.suffix}`,
    )
    .join('/')}`;
  return { source: pattern, segments, paramNames, shape, isStatic: paramNames.length === 0 };
}
