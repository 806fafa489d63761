// Django's TestCase: a test's work runs in a transaction that is rolled back at its end, so
// the next test finds the database as migrations left it, at the cost of a BEGIN and a ROLLBACK.

import { type CommitCallback, currentTransaction } from '../db/connection/index.js';
import { atomic, database } from '../db/index.js';
import { CarafeError } from '../index.js';
import { testDatabaseNames } from './test-databases.js';

export interface RollbackOptions {
  /** The database name(s) to roll back; every test database (or `default`) when omitted. */
  using?: string | readonly string[] | undefined;
}

/** Thrown at the end of the block to make `atomic()` roll back; never seen outside. */
class RollBack {}

/**
 * Runs `fn` inside `atomic()` on each database and rolls everything back at the end, whether
 * `fn` resolved or threw; returns what it returned. `atomic()` blocks inside become
 * savepoints. `onCommit()` callbacks never run, as nothing commits; see
 * `captureOnCommitCallbacks`.
 */
export async function inRollback<T>(
  fn: () => T | Promise<T>,
  options: RollbackOptions = {},
): Promise<T> {
  const rollBack = new RollBack();
  let outcome: { value: T } | undefined;
  const innermost = async (): Promise<never> => {
    outcome = { value: await fn() };
    throw rollBack;
  };
  // One transaction per database, each inside the previous, all in the same async context.
  const block = testDatabaseNames(options.using).reduceRight<() => Promise<never>>(
    (inner, using) => () => atomic(inner, { using }),
    innermost,
  );
  try {
    return await block();
  } catch (error) {
    if (error !== rollBack || outcome === undefined) throw error;
    return outcome.value;
  }
}

export interface CaptureOnCommitOptions {
  /** Run the captured callbacks once `fn` has finished (and those they add in turn). */
  execute?: boolean | undefined;
  /** The database whose transaction to watch; `default` when omitted. */
  using?: string | undefined;
}

/**
 * Django's captureOnCommitCallbacks: in a test that runs in a transaction, returns the
 * `onCommit()` callbacks `fn` added, which would otherwise be dropped with the rollback;
 * with `execute: true` also runs them, as a commit would.
 */
export async function captureOnCommitCallbacks(
  fn: () => unknown,
  options: CaptureOnCommitOptions = {},
): Promise<CommitCallback[]> {
  const db = database(options.using);
  const frame = currentTransaction(db);
  if (frame === undefined) {
    throw new CarafeError(
      'CARAFE_TEST_NO_TRANSACTION',
      `captureOnCommitCallbacks() needs the test's transaction on database "${db.name}", and there is none: ` +
        'outside a transaction onCommit() runs its callback at once. Call it inside a test that runs in a ' +
        'transaction (not one with `transaction: false`), or inside inRollback().',
    );
  }
  const start = frame.onCommit.length;
  await fn();
  if (options.execute === true) {
    // Callbacks may add more while they run; those are captured and run too.
    for (let index = start; index < frame.onCommit.length; index++) {
      await frame.onCommit[index]?.();
    }
  }
  return frame.onCommit.slice(start);
}
