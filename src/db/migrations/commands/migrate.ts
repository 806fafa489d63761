// migrate: brings the database to the latest migrations, or to a named one (backwards too),
// holding the migration lock so that concurrent runs take turns and never apply twice.
import { CarafeError } from '../../../index.js';
import { detectChanges } from '../autodetector.js';
import { executeStep, type StepOutcome } from '../executor.js';
import type { MigrationGraph, MigrationTarget, PlanStep } from '../graph.js';
import { findApp } from '../loader.js';
import { withMigrationLock } from '../lock.js';
import { postMigrate } from '../post-migrate.js';
import { nonInteractiveQuestioner } from '../questioner.js';
import { MigrationRecorder, type Progress } from '../recorder.js';
import { ProjectState } from '../state.js';
import {
  buildGraph,
  type CommandOptions,
  type CommandResult,
  conflictMessage,
  databaseOf,
  findMigration,
  loadProject,
  needsAnswer,
  outputOf,
  type Project,
} from './shared.js';

export interface MigrateOptions extends CommandOptions {
  /** Only this app (its migration label); every app when omitted. */
  readonly app?: string | undefined;
  /** With `app`: a migration name or prefix (`0002`) to go forwards or back to, or `'zero'` to unapply all. */
  readonly target?: string | undefined;
  /** Print the plan and run nothing. */
  readonly plan?: boolean | undefined;
  /** Record the plan as done without running it (for tables that already match). */
  readonly fake?: boolean | undefined;
}

export interface MigrateStep {
  /** `'polls.0002_question_pub_date'`. */
  readonly migration: string;
  readonly backwards: boolean;
  /** What happened; `undefined` with `plan: true`. */
  readonly outcome: StepOutcome | undefined;
}

export interface MigrateResult extends CommandResult {
  readonly steps: readonly MigrateStep[];
}

function targetsOf(
  options: MigrateOptions,
  graph: MigrationGraph,
  apps: readonly string[],
): MigrationTarget[] {
  if (options.app === undefined) {
    if (options.target !== undefined) {
      throw new CarafeError(
        'CARAFE_MIGRATION_TARGET',
        'A migration target needs its app: migrate({ app, target }).',
      );
    }
    return apps.flatMap((app) =>
      graph.leaves(app).map((key) => ({ app, name: key.slice(app.length + 1) })),
    );
  }
  const app = options.app;
  if (options.target === 'zero') return [{ app, zero: true }];
  if (options.target !== undefined)
    return [{ app, name: findMigration(graph, app, options.target).name }];
  return graph.leaves(app).map((key) => ({ app, name: key.slice(app.length + 1) }));
}

function checkUnfinished(unfinished: readonly Progress[], plan: readonly PlanStep[]): void {
  for (const entry of unfinished) {
    const direction = entry.direction === 'backwards';
    const resumed = plan.some(
      (step) =>
        step.migration.app === entry.app &&
        step.migration.name === entry.name &&
        step.backwards === direction,
    );
    if (resumed) continue;
    throw new CarafeError(
      'CARAFE_MIGRATION_UNFINISHED',
      `Migration ${entry.app}.${entry.name} was left half-${direction ? 'unapplied' : 'applied'} by a run that ` +
        `failed after ${entry.done} operation(s). Run migrate ${direction ? 'backwards past' : 'up to'} it again ` +
        'to finish it once the cause is fixed, or repair the schema by hand and delete its row from ' +
        'carafe_migration_progress.',
    );
  }
}

function printPlan(plan: readonly PlanStep[], output: (line: string) => void): void {
  if (plan.length === 0) {
    output('  No planned migration operations.');
    return;
  }
  for (const step of plan) {
    output(`${step.migration.key}${step.backwards ? ' (unapply)' : ''}`);
    const operations = [...step.migration.migration.operations];
    if (step.backwards) operations.reverse();
    for (const operation of operations) {
      output(`    ${step.backwards ? 'Undo ' : ''}${operation.describe()}`);
    }
    if (operations.length === 0) output('    (no operations)');
  }
}

interface Planned {
  readonly graph: MigrationGraph;
  readonly plan: PlanStep[];
}

/** The plan from the record as it is now. */
async function makePlan(
  project: Project,
  recorder: MigrationRecorder,
  options: MigrateOptions,
): Promise<Planned> {
  const recorded = await recorder.applied();
  const graph = buildGraph(project, recorded);
  const conflicts = graph.conflicts();
  if (conflicts.size > 0)
    throw new CarafeError('CARAFE_MIGRATION_CONFLICT', conflictMessage(conflicts));
  graph.checkSwappedModels(recorded);
  const apps = project.apps.map((app) => app.label);
  return { graph, plan: graph.plan(targetsOf(options, graph, apps), graph.appliedNodes(recorded)) };
}

const noteOf: Record<StepOutcome, string> = {
  applied: 'OK',
  unapplied: 'OK',
  faked: 'FAKED',
  skipped: 'already done by another run',
};

/** Whether the models have changes no migration makes yet (Django's reminder after migrate). */
async function hasUnmigratedChanges(project: Project, graph: MigrationGraph): Promise<boolean> {
  const live = project.apps.flatMap((app) => app.models);
  if (live.length === 0) return false;
  try {
    const to = ProjectState.fromModels(live);
    const changes = await detectChanges(graph.finalState(), to, {
      questioner: nonInteractiveQuestioner(),
      models: live,
    });
    return changes.size > 0;
  } catch (error) {
    // A question only makemigrations can ask means a change; other problems are its to report.
    return needsAnswer(error);
  }
}

/**
 * Applies (or unapplies) migrations on the database. Throws for conflicts (two latest
 * migrations in an app), unknown targets, irreversible steps and failing migrations.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const output = outputOf(options);
  const db = databaseOf(options);
  const project = await loadProject(options);
  if (options.app !== undefined) findApp(project.apps, options.app);
  const recorder = new MigrationRecorder(db);
  if (options.plan === true) {
    const { plan } = await makePlan(project, recorder, options);
    output('Planned operations:');
    printPlan(plan, output);
    const steps = plan.map((step) => ({
      migration: step.migration.key,
      backwards: step.backwards,
      outcome: undefined,
    }));
    return { exitCode: 0, steps };
  }
  const waiting = () =>
    output('Another migrate is running on this database; waiting for it to finish…');
  return withMigrationLock(db, waiting, async () => {
    // Read the record only now: a run that waited for the lock sees the other's work.
    await recorder.ensureTables();
    const { graph, plan } = await makePlan(project, recorder, options);
    const unfinished = await recorder.unfinished();
    checkUnfinished(unfinished, plan);
    if (plan.length === 0) output('No migrations to apply.');
    const context = { db, graph, recorder, unfinished };
    const steps: MigrateStep[] = [];
    for (const step of plan) {
      const outcome = await executeStep(context, step, options.fake === true);
      output(
        `  ${step.backwards ? 'Unapplying' : 'Applying'} ${step.migration.key}... ${noteOf[outcome]}`,
      );
      steps.push({ migration: step.migration.key, backwards: step.backwards, outcome });
    }
    if (options.fake !== true) {
      const applied = graph.appliedNodes(await recorder.applied());
      await postMigrate.send({
        apps: options.apps,
        using: db.name,
        state: graph.stateAt([...applied]),
      });
    }
    if (await hasUnmigratedChanges(project, graph)) {
      output(
        'Your models have changes that no migration makes yet: run makemigrations, then migrate again.',
      );
    }
    return { exitCode: 0, steps };
  });
}
