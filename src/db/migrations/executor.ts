// Runs a plan's steps. Where DDL is transactional (SQLite, PostgreSQL) a migration's schema
// changes and its record row commit together, so a failure leaves both as they were. MariaDB
// and MySQL commit every DDL statement on the spot: there each operation runs on its own and
// its completion is recorded in the progress table, so running `migrate` again after fixing
// the cause resumes after the last completed operation. `atomic: false` migrations run the
// same way on every database, without any transaction.
import { CarafeError } from '../../index.js';
import type { Database } from '../connection/index.js';
import { atomic } from '../transaction.js';
import type { MigrationGraph, PlanStep } from './graph.js';
import type { LoadedMigration } from './loader.js';
import type { Operation } from './operations/operation.js';
import type { Direction, MigrationRecorder, Progress } from './recorder.js';
import { createSchemaEditor, type SchemaEditor } from './schema-editor/index.js';
import type { ProjectState } from './state.js';

export interface ExecutorContext {
  readonly db: Database;
  readonly graph: MigrationGraph;
  readonly recorder: MigrationRecorder;
  /** Migrations a previous run left half-done (non-transactional runs only). */
  readonly unfinished: readonly Progress[];
}

/** What happened to one step. */
export type StepOutcome = 'applied' | 'unapplied' | 'faked' | 'skipped';

/** The states around each operation: `states[i]` before operation `i`, `states[i + 1]` after. */
export function operationStates(graph: MigrationGraph, migration: LoadedMigration): ProjectState[] {
  const states = [graph.stateBefore(migration.key)];
  for (const operation of migration.migration.operations) {
    const next = states.at(-1)!.clone();
    operation.stateForwards(next);
    states.push(next);
  }
  return states;
}

/** Runs one operation in the step's direction. */
export function runOperation(
  operation: Operation,
  editor: SchemaEditor,
  states: readonly ProjectState[],
  index: number,
  backwards: boolean,
): Promise<void> {
  return backwards
    ? operation.databaseBackwards(editor, states[index + 1]!, states[index]!)
    : operation.databaseForwards(editor, states[index]!, states[index + 1]!);
}

function irreversibleCheck(migration: LoadedMigration): void {
  const blocking = migration.migration.operations.find((operation) => !operation.reversible);
  if (blocking !== undefined) {
    throw new CarafeError(
      'CARAFE_MIGRATION_IRREVERSIBLE',
      `Migration ${migration.key} cannot be unapplied: "${blocking.describe()}" has no reverse. ` +
        'Give it one in the migration file, or migrate back no further than this migration.',
    );
  }
}

/** The keys the record table gets for a migration: a squashed one stands for its originals too. */
function recordedKeys(migration: LoadedMigration): [string, string][] {
  return [
    [migration.app, migration.name],
    ...migration.migration.replaces.map(([app, name]): [string, string] => [app, name]),
  ];
}

async function record(
  recorder: MigrationRecorder,
  migration: LoadedMigration,
  backwards: boolean,
): Promise<void> {
  for (const [app, name] of recordedKeys(migration)) {
    await recorder.recordUnapplied(app, name);
    if (!backwards) await recorder.recordApplied(app, name);
  }
  await recorder.clearProgress(migration.app, migration.name);
}

/** Whether the record table already shows the step done (another run got there first). */
async function alreadyDone(context: ExecutorContext, step: PlanStep): Promise<boolean> {
  const recorded = await context.recorder.applied();
  const applied = context.graph.appliedNodes(recorded).has(step.migration.key);
  return step.backwards ? !applied : applied;
}

/**
 * The whole migration in one transaction with its record row. The editor's `run()` opens it
 * (on SQLite with key enforcement off around it, and the keys checked before the commit).
 */
async function runAtomic(context: ExecutorContext, step: PlanStep): Promise<boolean> {
  const { db, graph, recorder } = context;
  const { migration, backwards } = step;
  const editor = createSchemaEditor(db);
  return editor.run(async () => {
    // SQLite has no lock around the run: this transaction is the lock, so look again.
    if (db.dialect === 'sqlite' && (await alreadyDone(context, step))) return false;
    const states = operationStates(graph, migration);
    for (const index of operationOrder(migration, backwards)) {
      await runOperation(migration.migration.operations[index]!, editor, states, index, backwards);
    }
    await record(recorder, migration, backwards);
    return true;
  });
}

/** The indexes of a migration's operations in the order a step runs them. */
export function operationOrder(migration: LoadedMigration, backwards: boolean): number[] {
  const order = migration.migration.operations.map((_, index) => index);
  return backwards ? order.reverse() : order;
}

/**
 * Operation by operation, each completed (its deferred foreign keys added) and followed by a
 * progress row; on MariaDB/MySQL each in its own transaction too, which makes data steps
 * (RunCode, fills) all-or-nothing even though DDL commits on its own.
 */
async function runResumable(context: ExecutorContext, step: PlanStep): Promise<void> {
  const { db, graph, recorder } = context;
  const { migration, backwards } = step;
  const direction: Direction = backwards ? 'backwards' : 'forwards';
  const progress = context.unfinished.find(
    (entry) =>
      entry.app === migration.app && entry.name === migration.name && entry.direction === direction,
  );
  const states = operationStates(graph, migration);
  const order = operationOrder(migration, backwards);
  const editor = createSchemaEditor(db);
  await editor.run(
    async () => {
      for (let done = progress?.done ?? 0; done < order.length; done++) {
        const index = order[done]!;
        const run = async () => {
          await runOperation(
            migration.migration.operations[index]!,
            editor,
            states,
            index,
            backwards,
          );
          await editor.finish();
          await recorder.setProgress(migration.app, migration.name, direction, done + 1);
        };
        if (migration.migration.atomic) await atomic(run, { using: db.name });
        else await run();
      }
      await atomic(() => record(recorder, migration, backwards), { using: db.name });
    },
    { atomic: false },
  );
}

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}

/**
 * SQLite gives up waiting for the write lock after its busy timeout; another `migrate` may hold
 * it longer, with a long migration. `BEGIN IMMEDIATE` is what fails then, before anything ran,
 * so the step is tried again until the lock is free.
 */
async function untilSqliteUnlocked<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }
}

/** Applies or unapplies one migration (or only records it, with `fake`). */
export async function executeStep(
  context: ExecutorContext,
  step: PlanStep,
  fake: boolean,
): Promise<StepOutcome> {
  const { db, recorder } = context;
  const { migration, backwards } = step;
  if (backwards && !fake) irreversibleCheck(migration);
  if (fake) {
    await atomic(() => record(recorder, migration, backwards), { using: db.name });
    return 'faked';
  }
  if (migration.migration.atomic && db.dialect !== 'mysql') {
    if (!(await untilSqliteUnlocked(() => runAtomic(context, step)))) return 'skipped';
  } else {
    await runResumable(context, step);
  }
  return backwards ? 'unapplied' : 'applied';
}
