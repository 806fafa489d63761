// Builds a URL from a route's pattern and params (Django's reverse, Flask's url_for).
import { CarafeError } from '../errors.js';
import { encodeFragment, encodePathText } from './encoding.js';
import type { ParamSegment, ParsedPattern } from './pattern.js';
import type { ReverseOptions } from './types.js';

type QueryRecord = Exclude<NonNullable<ReverseOptions['query']>, URLSearchParams>;
type QueryValue = QueryRecord[string];

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${String(value)} (${typeof value})`;
  }
  return `a value of type ${value === null ? 'null' : typeof value}`;
}

function readParam(params: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

function formatParam(
  routeName: string,
  pattern: ParsedPattern,
  segment: ParamSegment,
  value: unknown,
): string {
  const place = `<${segment.converterName}:${segment.name}> in ${JSON.stringify(pattern.source)}`;
  const invalid = (problem: string, cause?: unknown) =>
    new CarafeError(
      'CARAFE_URLFOR_PARAM',
      `urlFor("${routeName}"): the param "${segment.name}" is ${describe(value)}, ${problem}`,
      { cause },
    );
  let text: unknown;
  try {
    text = segment.converter.format(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(
      `which the ${segment.converterName} converter could not format for ${place}: ${reason}.`,
      error,
    );
  }
  if (typeof text !== 'string' || text === '' || segment.converter.parse(text) === undefined) {
    throw invalid(
      `which ${place} does not accept: pass a value that the ${segment.converterName} converter ` +
        'formats and parses back.',
    );
  }
  try {
    return encodePathText(text, segment.converter.greedy === true);
  } catch (error) {
    throw invalid('which is not well-formed Unicode (it contains a lone surrogate).', error);
  }
}

function isList(value: QueryValue): value is readonly (string | number)[] {
  return Array.isArray(value);
}

function encodeQuery(query: NonNullable<ReverseOptions['query']>): string {
  let search: URLSearchParams;
  if (query instanceof URLSearchParams) {
    search = query;
  } else {
    search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (isList(value)) for (const item of value) search.append(key, String(item));
      else search.append(key, String(value));
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** The URL path (plus query and fragment) for `pattern` with `params` filled in. */
export function reversePattern(
  routeName: string,
  pattern: ParsedPattern,
  params: Record<string, unknown>,
  options: ReverseOptions = {},
): string {
  const missing = pattern.paramNames.filter((name) => readParam(params, name) == null);
  if (missing.length > 0) {
    const example = pattern.paramNames.map((name) => `${name}: …`).join(', ');
    throw new CarafeError(
      'CARAFE_URLFOR_MISSING',
      `urlFor("${routeName}") is missing the param${missing.length > 1 ? 's' : ''} ` +
        `${missing.map((name) => `"${name}"`).join(', ')} that ${JSON.stringify(pattern.source)} needs: ` +
        `call urlFor("${routeName}", { ${example} }).`,
    );
  }
  let url = '';
  for (const segment of pattern.segments) {
    url +=
      segment.kind === 'static'
        ? `/${segment.text}`
        : `/${segment.prefix}${formatParam(routeName, pattern, segment, readParam(params, segment.name))}${segment.suffix}`;
  }
  if (options.query !== undefined) url += encodeQuery(options.query);
  if (options.fragment !== undefined && options.fragment !== '') {
    try {
      url += `#${encodeFragment(options.fragment)}`;
    } catch (error) {
      throw new CarafeError(
        'CARAFE_URLFOR_FRAGMENT',
        `urlFor("${routeName}"): the fragment is not well-formed Unicode (it contains a lone surrogate).`,
        { cause: error },
      );
    }
  }
  return url;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The error for an unknown route name, suggesting the names it was probably meant to be. */
export function unknownRouteName(name: string, knownNames: Iterable<string>): CarafeError {
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  const lastPart = (text: string) => text.slice(text.lastIndexOf('.') + 1);
  const suggestions = [...knownNames]
    .map((known) => ({
      known,
      distance: lastPart(known) === lastPart(name) ? 0 : editDistance(name, known),
    }))
    .filter(({ distance }) => distance <= tolerance)
    .sort((a, b) => a.distance - b.distance || a.known.localeCompare(b.known))
    .slice(0, 3)
    .map(({ known }) => `"${known}"`);
  const hint =
    suggestions.length > 0
      ? `Did you mean ${suggestions.join(' or ')}?`
      : 'Route names come from the `name` option of app.get(pattern, handler, { name }), prefixed by the blueprint name.';
  return new CarafeError('CARAFE_URLFOR_UNKNOWN', `urlFor: no route is named "${name}". ${hint}`);
}
