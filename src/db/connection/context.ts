// The open transactions of the current async call chain, one per database. atomic() pushes
// frames; Database.executor() reads them, so no transaction handle is passed around.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { Database, DatabaseSchema } from './database.js';

export type CommitCallback = () => void | Promise<void>;

export interface TransactionFrame {
  readonly database: Database;
  /** Kysely bound to the one connection the transaction holds. */
  readonly executor: Kysely<DatabaseSchema>;
  /** The enclosing block; `undefined` for the outermost one (the real transaction). */
  readonly parent: TransactionFrame | undefined;
  /** Cleared when the block ends, so code that outlives it falls back to the pool. */
  open: boolean;
  /** Callbacks for after the outermost commit; a block's list moves to its parent when it succeeds. */
  readonly onCommit: CommitCallback[];
  /** Nested blocks of this frame run one at a time: savepoints on one connection cannot interleave. */
  childQueue: Promise<void>;
  /** A query in this block failed; on PostgreSQL that aborts the transaction until a rollback. */
  failed: boolean;
  /** Counts savepoints on the outermost frame so names are unique within the transaction. */
  savepointCount: number;
}

const storage = new AsyncLocalStorage<ReadonlyMap<Database, TransactionFrame>>();

/** Whether the block and every block around it are still running. */
export function isOpen(frame: TransactionFrame): boolean {
  for (
    let current: TransactionFrame | undefined = frame;
    current !== undefined;
    current = current.parent
  ) {
    if (!current.open) return false;
  }
  return true;
}

/**
 * The innermost block for `database` in this async call chain that is still usable: it and
 * every block around it are open. Code that outlives its block therefore runs outside it.
 */
export function currentTransaction(database: Database): TransactionFrame | undefined {
  const innermost = storage.getStore()?.get(database);
  let usable = innermost;
  for (let frame = innermost; frame !== undefined; frame = frame.parent) {
    if (!frame.open) usable = frame.parent;
  }
  return usable;
}

/** Runs `fn` with `frame` as the current block of its database. */
export function runInTransaction<T>(frame: TransactionFrame, fn: () => Promise<T>): Promise<T> {
  const frames = new Map(storage.getStore());
  frames.set(frame.database, frame);
  // Awaiting inside the store keeps a returned thenable (a QuerySet) in the transaction.
  return storage.run(frames, async () => await fn());
}

const pinnedStorage = new AsyncLocalStorage<ReadonlyMap<Database, Kysely<DatabaseSchema>>>();

/** The connection `Database.pinned()` holds for `database` in this async call chain, if any. */
export function pinnedExecutor(database: Database): Kysely<DatabaseSchema> | undefined {
  return pinnedStorage.getStore()?.get(database);
}

/** Runs `fn` with `executor` (bound to one connection) as `database`'s connection outside transactions. */
export function runPinned<T>(
  database: Database,
  executor: Kysely<DatabaseSchema>,
  fn: () => Promise<T>,
): Promise<T> {
  const pinned = new Map(pinnedStorage.getStore());
  pinned.set(database, executor);
  return pinnedStorage.run(pinned, fn);
}
