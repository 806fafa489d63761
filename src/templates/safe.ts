// Autoescaping is always on: every value printed in a template is HTML-escaped unless it is
// marked safe. Filters and globals that build markup escape their input and mark the result.
import { SafeString } from './nunjucks/internals.js';
import { escapeHtml } from '../index.js';

/** Markup that templates print as is. Only `markSafe` makes one. */
export interface SafeHtml {
  toString(): string;
}

/**
 * Marks trusted markup so templates print it without escaping, as the `safe` filter does:
 * `markSafe(`<input type="hidden" name="csrf" value="${escapeHtml(token)}">`)`. Never pass
 * text that came from a user without escaping it first.
 */
export function markSafe(html: string): SafeHtml {
  return new SafeString(html);
}

export function isSafe(value: unknown): value is SafeHtml {
  return value instanceof SafeString;
}

export { escapeHtml };

/** The value as markup: escaped unless it was already marked safe. */
export function toSafeHtml(value: unknown): string {
  if (isSafe(value)) return value.toString();
  return escapeHtml(value === undefined || value === null ? '' : String(value));
}

/** Keeps the safety of `input` on a string derived from it (a safe value truncated stays safe). */
export function withSafetyOf(input: unknown, output: string): string | SafeHtml {
  return isSafe(input) ? markSafe(output) : output;
}
