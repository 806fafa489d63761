// Percent-encoding shared by matching and reversing. Paths are compared in one canonical form:
// each segment is percent-decoded, then re-encoded the way `encodeURI` does, with the three
// characters that would change the URL's structure (`/`, `?`, `#`) kept encoded.
import { BadRequest } from '../errors.js';

const structuralCharacters = /[/?#]/g;
const structuralEscapes: Record<string, string> = { '/': '%2F', '?': '%3F', '#': '%23' };

// ASCII characters that `encodeURI` leaves alone, minus the structural ones and `%`.
// A path made only of these is already canonical, which spares the common case any work.
const canonicalAscii = new Uint8Array(128);
for (const character of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'();,:@&=+$/") {
  canonicalAscii[character.charCodeAt(0)] = 1;
}

/** True when the path needs no decoding or re-encoding before it is compared to patterns. */
export function isCanonicalPath(path: string): boolean {
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index);
    if (code >= 128 || canonicalAscii[code] === 0) return false;
  }
  return true;
}

/**
 * Encodes decoded text for use inside one path segment (or, with `keepSlashes`, across several).
 * Throws `URIError` for text that is not well-formed UTF-16 (a lone surrogate).
 */
export function encodePathText(text: string, keepSlashes = false): string {
  const encoded = encodeURI(text);
  return encoded.replace(structuralCharacters, (character) =>
    keepSlashes && character === '/' ? character : structuralEscapes[character]!,
  );
}

/** Rewrites a raw request path into the canonical form; 400 when its encoding is invalid. */
export function canonicalizePath(rawPath: string): string {
  const segments = rawPath.split('/');
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    try {
      segments[index] = encodePathText(decodeURIComponent(segment));
    } catch {
      throw new BadRequest(
        `The URL path has an invalid percent-encoding in "${segment}": ` +
          'each % must start a %XX escape, and the escaped bytes must be UTF-8.',
        { code: 'CARAFE_BAD_PATH_ENCODING' },
      );
    }
  }
  return segments.join('/');
}

/**
 * Decodes a piece of a canonical path. Returns undefined when the piece cuts an escape in two,
 * which happens when a pattern's literal suffix matched the tail of an escape: not a match.
 */
export function decodePathText(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Encodes a URL fragment, keeping what RFC 3986 allows there and escaping a second `#`. */
export function encodeFragment(fragment: string): string {
  return encodeURI(fragment).replaceAll('#', '%23');
}
