// atomic(): a transaction for the outermost block, a savepoint for each nested one, and
// onCommit() callbacks that run only once the outermost block has committed.
import { CompiledQuery, type Kysely } from 'kysely';
import { CarafeError } from '../index.js';
import {
  type CommitCallback,
  currentTransaction,
  type Database,
  type DatabaseSchema,
  type Dialect,
  database,
  isOpen,
  runInTransaction,
  type TransactionFrame,
} from './connection/index.js';

export interface TransactionOptions {
  /** The configured database to use; `default` when omitted. */
  using?: string;
}

// SQLite: take the write lock up front. A deferred transaction that reads and then writes
// can fail with SQLITE_BUSY when another connection writes in between, busy_timeout or not.
const beginStatements: Record<Dialect, string> = {
  sqlite: 'BEGIN IMMEDIATE',
  postgres: 'BEGIN',
  mysql: 'START TRANSACTION',
};

function execute(executor: Kysely<DatabaseSchema>, sqlText: string): Promise<unknown> {
  return executor.executeQuery(CompiledQuery.raw(sqlText));
}

/** Runs a rollback after `fn` failed; if the rollback fails too (say, the connection is gone), the first error wins. */
async function rollbackQuietly(rollback: () => Promise<unknown>): Promise<void> {
  try {
    await rollback();
  } catch {
    // The caller rethrows the error that made the rollback necessary.
  }
}

function newFrame(
  db: Database,
  executor: Kysely<DatabaseSchema>,
  parent: TransactionFrame | undefined,
): TransactionFrame {
  return {
    database: db,
    executor,
    parent,
    open: true,
    onCommit: [],
    childQueue: Promise.resolve(),
    failed: false,
    savepointCount: 0,
  };
}

function abortedError(db: Database): CarafeError {
  return new CarafeError(
    'CARAFE_DB_TRANSACTION_ABORTED',
    `A query failed inside atomic() on database "${db.name}" and its error was caught, which leaves a ` +
      'PostgreSQL transaction unusable; the block was rolled back. Wrap the statement that may fail in its own ' +
      'atomic() so that only that part rolls back.',
  );
}

function endedError(db: Database): CarafeError {
  return new CarafeError(
    'CARAFE_DB_TRANSACTION_ENDED',
    `A nested atomic() on database "${db.name}" was still running when the block around it ended, so ` +
      'its work could not be part of that transaction. Await every atomic() call inside a block.',
  );
}

interface Committed<T> {
  readonly result: T;
  readonly callbacks: readonly CommitCallback[];
}

function outermost<T>(db: Database, fn: () => Promise<T>): Promise<Committed<T>> {
  return db
    .executor()
    .connection()
    .execute(async (executor) => {
      await execute(executor, beginStatements[db.dialect]);
      const frame = newFrame(db, executor, undefined);
      let result: T;
      try {
        result = await runInTransaction(frame, fn);
      } catch (error) {
        frame.open = false;
        await rollbackQuietly(() => execute(executor, 'ROLLBACK'));
        throw error;
      }
      frame.open = false;
      // PostgreSQL would answer COMMIT on an aborted transaction with a silent rollback.
      if (frame.failed && db.dialect === 'postgres') {
        await rollbackQuietly(() => execute(executor, 'ROLLBACK'));
        throw abortedError(db);
      }
      try {
        await execute(executor, 'COMMIT');
      } catch (error) {
        await rollbackQuietly(() => execute(executor, 'ROLLBACK'));
        throw error;
      }
      return { result, callbacks: frame.onCommit };
    });
}

/** Nested blocks of one frame take turns: their savepoints share one connection. */
async function queued<T>(parent: TransactionFrame, task: () => Promise<T>): Promise<T> {
  const previous = parent.childQueue;
  let release = (): void => {};
  parent.childQueue = new Promise<void>((resolve) => {
    release = resolve;
  });
  await previous;
  try {
    return await task();
  } finally {
    release();
  }
}

function rootOf(frame: TransactionFrame): TransactionFrame {
  let root = frame;
  while (root.parent !== undefined) root = root.parent;
  return root;
}

function nested<T>(parent: TransactionFrame, fn: () => Promise<T>): Promise<T> {
  return queued(parent, async () => {
    const { executor, database: db } = parent;
    // The transaction's connection goes back to the pool when the outermost block ends; a
    // block that was not awaited must not send anything on it after that.
    if (!isOpen(parent)) throw endedError(db);
    const name = `carafe_sp_${++rootOf(parent).savepointCount}`;
    await execute(executor, `SAVEPOINT ${name}`);
    const frame = newFrame(db, executor, parent);
    const undo = async () => {
      if (!isOpen(parent)) return;
      await rollbackQuietly(async () => {
        await execute(executor, `ROLLBACK TO SAVEPOINT ${name}`);
        await execute(executor, `RELEASE SAVEPOINT ${name}`);
      });
    };
    let result: T;
    try {
      result = await runInTransaction(frame, fn);
    } catch (error) {
      frame.open = false;
      await undo();
      throw error;
    }
    frame.open = false;
    if (!isOpen(parent)) throw endedError(db);
    if (frame.failed && db.dialect === 'postgres') {
      await undo();
      throw abortedError(db);
    }
    await execute(executor, `RELEASE SAVEPOINT ${name}`);
    parent.onCommit.push(...frame.onCommit);
    return result;
  });
}

async function runCallbacks(callbacks: readonly CommitCallback[]): Promise<void> {
  const errors: unknown[] = [];
  for (const callback of callbacks) {
    try {
      await callback();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new AggregateError(errors, `${errors.length} onCommit() callbacks failed`);
}

/**
 * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws.
 * Inside another `atomic()` on the same database it opens a savepoint instead, so a failure
 * rolls back only this block. The transaction follows the async call chain; queries made
 * through the database's `executor()` join it without being passed anything.
 */
export async function atomic<T>(
  fn: () => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const db = database(options.using);
  const parent = currentTransaction(db);
  if (parent !== undefined) return nested(parent, fn);
  const { result, callbacks } = await outermost(db, fn);
  // After the connection is back in the pool: callbacks may query (on SQLite, the one connection).
  await runCallbacks(callbacks);
  return result;
}

/**
 * Runs `fn` after the outermost transaction commits, or never if it rolls back (a callback
 * added in a nested block is dropped when that block rolls back). Outside a transaction
 * `fn` runs at once. Callback errors surface from the outermost `atomic()`, after the commit.
 */
export function onCommit(fn: CommitCallback, options: TransactionOptions = {}): void {
  const frame = currentTransaction(database(options.using));
  if (frame === undefined) {
    void fn();
    return;
  }
  frame.onCommit.push(fn);
}

/** Whether the current async call chain is inside `atomic()` for the database. */
export function inTransaction(using?: string): boolean {
  return currentTransaction(database(using)) !== undefined;
}
