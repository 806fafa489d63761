// Django's assertNumQueries and CaptureQueriesContext: the queries a block of code issues,
// counted from the databases' query listeners, so every path is seen (Kysely builders, raw SQL,
// transaction statements, the SQLite direct read path).
import { AssertionError } from 'node:assert';
import { database, type QueryEvent } from '../db/index.js';

export interface CaptureQueriesOptions {
  /** The database name(s) to watch. Default `'default'`. */
  using?: string | readonly string[] | undefined;
}

/**
 * Runs `fn` and returns the queries it issued on the watched databases, in order. Queries issued
 * meanwhile by other code on the same databases (a concurrent test) are captured too.
 */
export async function captureQueries(
  fn: () => unknown,
  options: CaptureQueriesOptions = {},
): Promise<QueryEvent[]> {
  return (await capture(fn, options)).queries;
}

/**
 * Fails with an `AssertionError` listing the captured SQL unless `fn` issues exactly `expected`
 * queries: `await assertNumQueries(2, () => client.get('/polls/'))`. Returns what `fn` returned.
 */
export async function assertNumQueries<T>(
  expected: number,
  fn: () => T | Promise<T>,
  options: CaptureQueriesOptions = {},
): Promise<T> {
  const { result, queries } = await capture(fn, options);
  if (queries.length !== expected) {
    const names = watched(options);
    const where =
      names.length === 1 ? `"${names[0]}"` : names.map((name) => `"${name}"`).join(', ');
    const lines = queries.map((query, index) => {
      const on = names.length > 1 ? ` [${query.database}]` : '';
      return `  ${index + 1}. ${query.sql}${on}`;
    });
    throw new AssertionError({
      message:
        `Expected ${expected} ${plural(expected)} on ${where}, but ${queries.length} ${queries.length === 1 ? 'was' : 'were'} executed` +
        (lines.length > 0 ? `:\n${lines.join('\n')}` : '.'),
      actual: queries.length,
      expected,
      operator: 'assertNumQueries',
      stackStartFn: assertNumQueries,
    });
  }
  return result;
}

function plural(count: number): string {
  return count === 1 ? 'query' : 'queries';
}

function watched(options: CaptureQueriesOptions): readonly string[] {
  const using = options.using ?? 'default';
  return typeof using === 'string' ? [using] : using;
}

async function capture<T>(
  fn: () => T | Promise<T>,
  options: CaptureQueriesOptions,
): Promise<{ result: T; queries: QueryEvent[] }> {
  const queries: QueryEvent[] = [];
  const stops: (() => void)[] = [];
  try {
    for (const name of watched(options)) {
      stops.push(database(name).onQuery((event) => queries.push(event)));
    }
    const result = await fn();
    return { result, queries };
  } finally {
    for (const stop of stops) stop();
  }
}
