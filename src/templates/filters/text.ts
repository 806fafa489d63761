// Text filters. They return plain strings, which autoescaping escapes when printed; the ones
// that build markup (linebreaksbr) escape their input first and mark the result safe.
import { escapeHtml, isSafe, markSafe, type SafeHtml, withSafetyOf } from '../safe.js';
import { asText, describe, filterError, integerArgument } from './values.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `{{ title | truncatechars(20) }}`: at most 20 characters, the last one `…` when cut. */
export function truncatechars(value: unknown, length: unknown): string | SafeHtml {
  const limit = integerArgument('truncatechars', 'the length', length, 1, Number.MAX_SAFE_INTEGER);
  const text = asText(value);
  if (text.length <= limit) return withSafetyOf(value, text);
  const characters = Array.from(graphemes.segment(text), (part) => part.segment);
  if (characters.length <= limit) return withSafetyOf(value, text);
  return withSafetyOf(value, `${characters.slice(0, limit - 1).join('')}…`);
}

/** `{{ body | truncatewords(30) }}`: the first 30 words, then ` …` when cut. */
export function truncatewords(value: unknown, count: unknown): string | SafeHtml {
  const limit = integerArgument(
    'truncatewords',
    'the word count',
    count,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const text = asText(value);
  const words = text.trim().split(/\s+/);
  if (words.length <= limit) return withSafetyOf(value, text);
  return withSafetyOf(value, `${words.slice(0, limit).join(' ')} …`);
}

/**
 * `vote{{ n | pluralize }}`, `class{{ n | pluralize('es') }}`, `cherr{{ n | pluralize('y,ies') }}`:
 * the plural suffix unless the count is 1. The count may be a number, a numeric string, or
 * anything with a length or size (an array, a Map); any other value gives no suffix.
 */
export function pluralize(value: unknown, suffixes: unknown = 's'): string {
  if (typeof suffixes !== 'string') {
    throw filterError(
      'pluralize',
      `takes its suffixes as a string such as 'es' or 'y,ies' (got ${describe(suffixes)}).`,
    );
  }
  const parts = suffixes.split(',');
  if (parts.length > 2) {
    throw filterError(
      'pluralize',
      `takes at most two suffixes, singular and plural ('y,ies'), not ${JSON.stringify(suffixes)}.`,
    );
  }
  const [singular, plural] = parts.length === 2 ? parts : ['', parts[0]];
  const count = countOf(value);
  if (count === undefined) return '';
  return count === 1 ? singular! : plural!;
}

function countOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const number = value.trim() === '' ? Number.NaN : Number(value);
    return Number.isNaN(number) ? undefined : number;
  }
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  return undefined;
}

/**
 * `{{ done | yesno('finished,pending') }}` (`'yes,no,maybe'` by default): the first word for a
 * truthy value, the second for a falsy one, the third (or the second) for null and undefined.
 */
export function yesno(value: unknown, words: unknown = 'yes,no,maybe'): string {
  const parts = typeof words === 'string' ? words.split(',') : [];
  if (parts.length < 2 || parts.length > 3) {
    throw filterError(
      'yesno',
      `takes two or three comma-separated words such as 'yes,no,maybe' (got ${describe(words)}).`,
    );
  }
  const [yes, no, maybe = no] = parts;
  if (value === undefined || value === null) return maybe!;
  return value ? yes! : no!;
}

/** `{{ comment | linebreaksbr }}`: escapes the text, then turns each line break into `<br>`. */
export function linebreaksbr(value: unknown): SafeHtml {
  const html = isSafe(value) ? value.toString() : escapeHtml(asText(value));
  return markSafe(html.replace(/\r\n|\r|\n/g, '<br>'));
}

/**
 * `?q={{ query | urlencode }}`: percent-encodes text for a URL (keeping `/`, as Django does;
 * `urlencode('')` keeps nothing). An object or a list of pairs becomes a query string:
 * `{{ { page: 2, q: 'a b' } | urlencode }}` gives `page=2&q=a%20b`.
 */
export function urlencode(value: unknown, safe: unknown = '/'): string {
  if (typeof safe !== 'string') {
    throw filterError(
      'urlencode',
      `takes the characters to keep as a string such as '/' (got ${describe(safe)}).`,
    );
  }
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && !(value instanceof Date) && !isSafe(value)) {
    const pairs = Array.isArray(value) ? value : Object.entries(value);
    return pairs
      .map((pair: unknown) => {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw filterError(
            'urlencode',
            `needs an object or a list of [name, value] pairs (got a list containing ${describe(pair)}).`,
          );
        }
        return `${encodeURIComponent(asText(pair[0]))}=${encodeURIComponent(asText(pair[1]))}`;
      })
      .join('&');
  }
  const encoded = encodeURIComponent(String(value));
  if (safe === '') return encoded;
  return encoded.replace(/%([0-7][0-9A-F])/g, (sequence, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return safe.includes(char) ? char : sequence;
  });
}
