// `{{ data | json_script('chart-data') }}`: data for page scripts, as Django's json_script. The
// JSON goes in a `<script type="application/json">`; `<`, `>` and `&` are written as \u escapes
// so no value can close the element (`</script>`) or open a comment in it.
import { escapeHtml, markSafe, type SafeHtml } from '../safe.js';
import { describe, filterError } from './values.js';

const scriptEscapes: Record<string, string> = {
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function jsonScript(value: unknown, id?: unknown): SafeHtml {
  if (id !== undefined && id !== null && typeof id !== 'string') {
    throw filterError('json_script', `takes the element id as a string (got ${describe(id)}).`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value ?? null);
  } catch (error) {
    throw filterError(
      'json_script',
      `could not serialise the value: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  if (json === undefined) {
    throw filterError('json_script', `needs a value JSON can represent (got ${describe(value)}).`);
  }
  const escaped = json.replace(/[<>&\u2028\u2029]/g, (char) => scriptEscapes[char]!);
  const idAttribute = typeof id === 'string' && id !== '' ? ` id="${escapeHtml(id)}"` : '';
  return markSafe(`<script${idAttribute} type="application/json">${escaped}</script>`);
}
