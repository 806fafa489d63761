// Turns Nunjucks errors into one CarafeError that names the template and line where the problem
// is, shows that line, and says what to do. Nunjucks reports every error against the template
// that was asked for, even when the fault is in its layout or an include; the engine notes the
// real origin as the error travels up through each template's render functions.
import { CarafeError } from '../../index.js';
import type { TemplateErrorShape } from './internals.js';

/** A compiled template as the engine knows it: its name and its source text. */
export interface TemplateInfo {
  readonly name: string;
  readonly source: string | undefined;
}

interface ErrorOrigin extends TemplateInfo {
  readonly line: number | undefined;
  readonly column: number | undefined;
}

const origins = new WeakMap<Error, ErrorOrigin>();
const failedFilters = new WeakMap<object, string>();

/**
 * Wraps a filter so an error it throws is known to come from it. Nunjucks does not track the
 * line of a filter call (the line it reports may be that of an earlier call), so the line is
 * found by looking for the filter's uses in the source instead.
 */
export function reportingFilter(
  name: string,
  filter: (...args: never[]) => unknown,
): (...args: never[]) => unknown {
  return (...args) => {
    let result: unknown;
    try {
      result = filter(...args);
    } catch (error) {
      if (typeof error === 'object' && error !== null) failedFilters.set(error, name);
      throw error;
    }
    if (result instanceof Promise) {
      result.catch(() => {}); // reported below instead
      const error = new Error(
        `The ${name} filter returned a Promise, which a template cannot wait for. Load the data in the view or in a context processor, and keep filters synchronous.`,
      );
      failedFilters.set(error, name);
      throw error;
    }
    return result;
  };
}

/**
 * Records the template an error came from, once: the innermost template to see it knows best.
 * Nunjucks counts lines from 0 while rendering and from 1 while parsing.
 */
export function noteOrigin(
  error: TemplateErrorShape,
  template: TemplateInfo,
  phase: 'parse' | 'render',
): void {
  if (origins.has(error) || error instanceof CarafeError) return;
  const offset = phase === 'parse' ? 0 : 1;
  const known = error.lineno !== undefined && (error.lineno > 0 || (error.colno ?? 0) > 0);
  origins.set(error, {
    ...template,
    line: known ? error.lineno! + offset : undefined,
    column: known && error.colno !== undefined ? error.colno + offset : undefined,
  });
}

/** The error to throw from a render of `renderingName`. */
export function templateError(error: unknown, renderingName: string): CarafeError {
  if (error instanceof CarafeError) return error;
  if (!(error instanceof Error)) {
    return new CarafeError(
      'CARAFE_TEMPLATE_ERROR',
      `Template error in ${renderingName}: ${String(error)}`,
    );
  }
  const shaped: TemplateErrorShape = error;
  const cause = shaped.cause instanceof Error ? shaped.cause : undefined;
  const detail = withoutNunjucksPrefix(cause?.message ?? error.message);
  const origin = origins.get(error);
  const name = origin?.name ?? renderingName;
  const sourceLines = origin?.source?.split(/\r?\n/) ?? [];
  const filter =
    (cause === undefined ? undefined : failedFilters.get(cause)) ??
    /^filter not found: ([\w$]+)/.exec(detail)?.[1];
  const at =
    filter !== undefined
      ? { lines: filterUses(sourceLines, filter), column: undefined }
      : { lines: origin?.line === undefined ? [] : [origin.line], column: origin?.column };
  const where =
    at.lines.length === 0
      ? name
      : `${name}, line ${at.lines.join(' or ')}${at.column ? `, column ${at.column}` : ''}`;
  const message = [`Template error in ${where}: ${detail}${hintFor(detail)}`];
  for (const line of at.lines) {
    const text = sourceLines[line - 1];
    if (text !== undefined) message.push(`  ${line} | ${text.trim().slice(0, 160)}`);
  }
  if (name !== renderingName) message.push(`(while rendering ${renderingName})`);
  return new CarafeError('CARAFE_TEMPLATE_ERROR', message.join('\n'), { cause: cause ?? error });
}

/** Nunjucks prefixes messages with `(path) [Line n, Column m]`; we say that ourselves. */
function withoutNunjucksPrefix(message: string): string {
  return message.replace(/^(?:\([^)\n]*\)(?: \[Line \d+(?:, Column \d+)?\])?\n\s*)+/, '').trim();
}

function hintFor(detail: string): string {
  if (/^Unable to call `[^`]+`, which is undefined or falsey$/.test(detail)) {
    return '. Pass it in the render context, or provide it through templates.globals or a context processor.';
  }
  if (detail.startsWith('filter not found:')) {
    return '. Check the spelling, or register the filter in templates.filters.';
  }
  return /[.!?]$/.test(detail) ? '' : '.';
}

/** The lines (1-based, at most three) where `| filter` appears: Nunjucks does not track a filter's line. */
function filterUses(sourceLines: readonly string[], filter: string): number[] {
  const use = new RegExp(`\\|\\s*${filter.replace(/\$/g, '\\$')}\\b`);
  const found: number[] = [];
  sourceLines.forEach((text, index) => {
    if (use.test(text) && found.length < 3) found.push(index + 1);
  });
  return found;
}
