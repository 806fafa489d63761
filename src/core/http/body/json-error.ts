// Finds where a JSON document goes wrong. Engine messages differ between Node versions and
// some omit the position, so on failure we re-scan the text ourselves (only then: the happy
// path is JSON.parse alone). Iterative, so deeply nested input cannot overflow the stack.

type Expectation = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'afterValue' | 'end';

interface JsonProblem {
  at: number;
  problem: string;
}

/** `unexpected '}' (expected a value) at line 2, column 9`. */
export function describeJsonError(text: string, engineError: unknown): string {
  const found = findJsonProblem(text);
  if (found === undefined) return engineError instanceof Error ? engineError.message : 'invalid';
  const { line, column } = lineAndColumn(text, found.at);
  return `${found.problem} at line ${line}, column ${column}`;
}

function findJsonProblem(text: string): JsonProblem | undefined {
  const open: ('[' | '{')[] = [];
  let expect: Expectation = 'value';
  let afterComma = false;
  let at = 0;
  while (true) {
    at = skipWhitespace(text, at);
    const ch = text[at];
    if (ch === undefined) {
      if (expect === 'end') return undefined;
      return { at, problem: `unexpected end of input (expected ${describe(expect, open)})` };
    }
    if (expect === 'end') {
      return { at, problem: `unexpected ${show(ch)} after the end of the document` };
    }
    if (expect === 'colon') {
      if (ch !== ':') return unexpected(text, at, expect, open);
      expect = 'value';
      at++;
      continue;
    }
    if (expect === 'afterValue') {
      const top = open[open.length - 1];
      if (ch === ',') {
        expect = top === '[' ? 'value' : 'key';
        afterComma = true;
        at++;
        continue;
      }
      if (ch !== (top === '[' ? ']' : '}')) return unexpected(text, at, expect, open);
      open.pop();
      expect = open.length === 0 ? 'end' : 'afterValue';
      at++;
      continue;
    }
    if (afterComma && (ch === ']' || ch === '}')) {
      return { at, problem: `trailing comma before ${show(ch)}` };
    }
    afterComma = false;
    if (expect === 'firstValue' && ch === ']') {
      open.pop();
      expect = open.length === 0 ? 'end' : 'afterValue';
      at++;
      continue;
    }
    if (expect === 'firstKey' && ch === '}') {
      open.pop();
      expect = open.length === 0 ? 'end' : 'afterValue';
      at++;
      continue;
    }
    if (expect === 'key' || expect === 'firstKey') {
      if (ch !== '"') return unexpected(text, at, expect, open);
      const end = scanString(text, at);
      if (typeof end !== 'number') return end;
      expect = 'colon';
      at = end;
      continue;
    }
    if (ch === '[' || ch === '{') {
      open.push(ch);
      expect = ch === '[' ? 'firstValue' : 'firstKey';
      at++;
      continue;
    }
    const end = scanScalar(text, at, expect, open);
    if (typeof end !== 'number') return end;
    expect = open.length === 0 ? 'end' : 'afterValue';
    at = end;
  }
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanScalar(
  text: string,
  at: number,
  expect: Expectation,
  open: readonly string[],
): number | JsonProblem {
  if (text[at] === '"') return scanString(text, at);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, at)) return at + literal.length;
  }
  numberPattern.lastIndex = at;
  if (numberPattern.test(text)) return numberPattern.lastIndex;
  return unexpected(text, at, expect, open);
}

function scanString(text: string, start: number): number | JsonProblem {
  let at = start + 1;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20) return { at, problem: 'unescaped control character in a string' };
    if (code === 0x5c) {
      const escaped = text[at + 1];
      if (escaped === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
          return { at, problem: 'invalid \\u escape in a string (expected 4 hex digits)' };
        }
        at += 6;
        continue;
      }
      if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
        return { at, problem: 'invalid escape in a string' };
      }
      at += 2;
      continue;
    }
    at++;
  }
  return { at: start, problem: 'unterminated string' };
}

function unexpected(
  text: string,
  at: number,
  expect: Expectation,
  open: readonly string[],
): JsonProblem {
  return { at, problem: `unexpected ${show(text[at]!)} (expected ${describe(expect, open)})` };
}

/** `'}'`, `"'"`, or an escape for an invisible character. */
function show(ch: string): string {
  if (ch.charCodeAt(0) < 0x20) return JSON.stringify(ch);
  return ch === "'" ? `"'"` : `'${ch}'`;
}

function describe(expect: Expectation, open: readonly string[]): string {
  const closer = open[open.length - 1] === '[' ? ']' : '}';
  switch (expect) {
    case 'value':
      return 'a value';
    case 'firstValue':
      return "a value or ']'";
    case 'key':
      return 'a property name in double quotes';
    case 'firstKey':
      return "a property name in double quotes or '}'";
    case 'colon':
      return "':'";
    case 'afterValue':
      return `',' or '${closer}'`;
    case 'end':
      return 'the end of the document';
  }
}

function skipWhitespace(text: string, start: number): number {
  let at = start;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break;
    at++;
  }
  return at;
}

function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}
