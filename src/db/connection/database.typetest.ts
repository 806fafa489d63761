import type { CompiledQuery, QueryResult } from 'kysely';
import { type Equal, expectTrue, expectType } from '../../../test/support/type-assert.js';
import { atomic, onCommit } from '../transaction.js';
import { type Database, type Dialect, database, type QueryEvent } from './index.js';

declare const db: Database;

// The executor accepts any table and column, and rows come back as unknown values, never `any`.
async function executorQueries() {
  const rows = await db
    .executor()
    .selectFrom('polls_question')
    .select(['id', 'text'])
    .where('id', '>', 1)
    .execute();
  expectTrue<Equal<(typeof rows)[number], { id: unknown; text: unknown }>>();
  await db.executor().insertInto('polls_question').values({ text: 'What?' }).execute();
}

// raw() rows default to records of unknown, or the row type the caller names.
async function rawRows() {
  const untyped = await db.raw('SELECT 1 AS one');
  expectTrue<Equal<typeof untyped, Record<string, unknown>[]>>();
  const typed = await db.raw<{ one: number }>('SELECT 1 AS one');
  expectTrue<Equal<typeof typed, { one: number }[]>>();
  // @ts-expect-error parameters are a list, not a single value
  await db.raw('SELECT ?', 1);
}

declare const compiled: CompiledQuery<{ total: number }>;
async function runCompiled() {
  const result = await db.run(compiled);
  expectTrue<Equal<typeof result, QueryResult<{ total: number }>>>();
}

// atomic() returns what its block returns; onCommit takes sync or async callbacks.
async function transactions() {
  const value = await atomic(async () => 42, { using: 'default' });
  expectTrue<Equal<typeof value, number>>();
  onCommit(() => {});
  onCommit(async () => {});
  // @ts-expect-error the block must be async (return a promise)
  await atomic(() => 1);
}

expectTrue<Equal<Dialect, 'sqlite' | 'postgres' | 'mysql'>>();
expectType<(listener: (event: QueryEvent) => void) => () => void>(database().onQuery.bind(db));
expectTrue<Equal<QueryEvent['params'], readonly unknown[]>>();

export { executorQueries, rawRows, runCompiled, transactions };
