// A `.env` reader. Written here rather than taken from a library because Carafe wants errors
// that name the file and line, and Node 20's process.loadEnvFile gives neither.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { CarafeError } from '../errors.js';

const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const doubleQuoteEscapes: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '"': '"',
  '\\': '\\',
};

let loaded = false;

/**
 * Parses `.env` text: `KEY=value`, `export KEY=value`, `#` comments, blank lines,
 * 'single quotes' (literal), "double quotes" (`\n`, `\t`, `\"`, `\\` escapes; may span lines),
 * unquoted values trimmed with a trailing ` # comment` removed. No `${VAR}` expansion.
 * A malformed line throws `CARAFE_CONFIG` naming `file` and the line number.
 */
export function parseDotenv(text: string, file = '.env'): Record<string, string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const values = new Map<string, string>();
  const malformed = (lineNumber: number, problem: string, fix: string) =>
    new CarafeError('CARAFE_CONFIG', `${file} line ${lineNumber}: ${problem}. ${fix}`);

  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const assignment = line.replace(/^export\s+/, '');
    const equals = assignment.indexOf('=');
    // The line itself is never quoted back: it may hold a secret.
    if (equals === -1) {
      throw malformed(lineNumber, "has no '='", 'Write each variable as KEY=value.');
    }
    const key = assignment.slice(0, equals).trim();
    if (!keyPattern.test(key)) {
      const shown = key === '' ? 'an empty name' : `the name ${JSON.stringify(key.slice(0, 40))}`;
      throw malformed(
        lineNumber,
        `has ${shown}, which is not a valid variable name`,
        'Names are letters, digits and underscores, not starting with a digit.',
      );
    }
    let rest = assignment.slice(equals + 1).trimStart();
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      values.set(key, stripComment(rest).trim());
      continue;
    }
    // A quoted value may continue over following lines (PEM keys, certificates).
    const startLine = lineNumber;
    let close = findClosingQuote(rest, quote);
    while (close === -1 && index + 1 < lines.length) {
      index++;
      rest += `\n${lines[index]}`;
      close = findClosingQuote(rest, quote);
    }
    if (close === -1) {
      throw malformed(
        startLine,
        `opens a ${quote} quote that is never closed`,
        `Add the closing ${quote}.`,
      );
    }
    const after = rest.slice(close + 1).trim();
    if (after !== '' && !after.startsWith('#')) {
      throw malformed(
        index + 1,
        'has text after the closing quote',
        'Put the whole value inside the quotes; a comment after it needs a leading #.',
      );
    }
    const inner = rest.slice(1, close);
    values.set(key, quote === "'" ? inner : unescapeDoubleQuoted(inner));
  }
  return Object.fromEntries(values);
}

/**
 * Loads a `.env` file (default: `.env` in the working directory) into `process.env`.
 * Variables already in the environment win. A missing default file is fine; a missing
 * explicit one is an error. Returns what the file defines. The first `env…` call does this
 * for the default file when nothing was loaded yet.
 */
export function loadDotenv(path?: string): Record<string, string> {
  loaded = true;
  const file = resolve(process.cwd(), path ?? '.env');
  const shownName = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    if (missing && path === undefined) return {};
    throw new CarafeError(
      'CARAFE_CONFIG',
      `Cannot read the environment file ${shownName}: ${error instanceof Error ? error.message : String(error)}. Check the path given to loadDotenv().`,
      { cause: error },
    );
  }
  const values = parseDotenv(text, shownName);
  for (const [key, value] of Object.entries(values)) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
  return values;
}

export function ensureDotenvLoaded(): void {
  if (!loaded) loadDotenv();
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(inner: string): string {
  return inner.replace(/\\(.)/g, (sequence, char: string) => doubleQuoteEscapes[char] ?? sequence);
}

// `#` starts a comment only after whitespace, so `KEY=a#b` keeps its `#`.
function stripComment(value: string): string {
  const match = /(^|\s)#/.exec(value);
  return match === null ? value : value.slice(0, match.index);
}
