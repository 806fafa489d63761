// Content-Type and Content-Disposition values: a lower-case type followed by `; name=value`
// parameters, values either tokens or quoted strings.

export interface HeaderValueWithParams {
  /** The part before the first `;`, trimmed and lower-cased (`multipart/form-data`). */
  type: string;
  /** Lower-case parameter names; the first occurrence of a name wins. */
  params: Map<string, string>;
}

export function parseHeaderParams(header: string): HeaderValueWithParams {
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  let at = semi === -1 ? header.length : semi + 1;
  while (at < header.length) {
    const eq = header.indexOf('=', at);
    const nextSemi = header.indexOf(';', at);
    if (eq === -1 || (nextSemi !== -1 && nextSemi < eq)) {
      // A parameter without a value is not meaningful to us; skip it.
      at = nextSemi === -1 ? header.length : nextSemi + 1;
      continue;
    }
    const name = header.slice(at, eq).trim().toLowerCase();
    const { value, end } = readParamValue(header, eq + 1);
    if (name !== '' && !params.has(name)) params.set(name, value);
    const after = header.indexOf(';', end);
    at = after === -1 ? header.length : after + 1;
  }
  return { type, params };
}

function readParamValue(header: string, start: number): { value: string; end: number } {
  let at = start;
  while (header[at] === ' ' || header[at] === '\t') at++;
  if (header[at] !== '"') {
    const semi = header.indexOf(';', at);
    const end = semi === -1 ? header.length : semi;
    return { value: header.slice(at, end).trim(), end };
  }
  let value = '';
  at++;
  while (at < header.length && header[at] !== '"') {
    // Browsers do not escape backslashes in file names (`C:\dir\a.txt`), so a backslash only
    // escapes a quote or another backslash and is kept literally otherwise.
    const next = header[at + 1];
    if (header[at] === '\\' && (next === '"' || next === '\\')) {
      value += next;
      at += 2;
    } else {
      value += header[at];
      at++;
    }
  }
  return { value, end: at + 1 };
}
