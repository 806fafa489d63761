// What every migration command takes and shares: the apps, the database, where lines go, and
// loading the apps' migrations into a graph.
import { type AppDefinition, CarafeError } from '../../../index.js';
import { type Database, database } from '../../connection/index.js';
import { MigrationGraph } from '../graph.js';
import {
  type LoadedMigration,
  loadMigrations,
  type MigrationApp,
  migrationApps,
} from '../loader.js';

export interface CommandOptions {
  /** The project's apps (`config.apps`): their models and migrations folders. */
  readonly apps: readonly AppDefinition[];
  /** The configured database to work on; `default` when omitted. */
  readonly using?: string | undefined;
  /** Receives each line of output; `console.log` by default. */
  readonly output?: ((line: string) => void) | undefined;
}

/** Every command answers with an exit code for the CLI: 0 for success, 1 for "no". */
export interface CommandResult {
  readonly exitCode: 0 | 1;
}

export function outputOf(options: CommandOptions): (line: string) => void {
  return options.output ?? ((line) => console.log(line));
}

export function databaseOf(options: CommandOptions): Database {
  return database(options.using);
}

export interface Project {
  readonly apps: readonly MigrationApp[];
  readonly loaded: readonly LoadedMigration[];
}

export async function loadProject(options: CommandOptions): Promise<Project> {
  const apps = migrationApps(options.apps);
  return { apps, loaded: await loadMigrations(apps) };
}

/** The graph for a database whose record table lists `recorded`. */
export function buildGraph(project: Project, recorded: ReadonlySet<string>): MigrationGraph {
  return new MigrationGraph(project.loaded, recorded);
}

/** The message `migrate` and `makemigrations` give when an app's history has split. */
export function conflictMessage(conflicts: ReadonlyMap<string, readonly string[]>): string {
  const lines = [...conflicts].map(
    ([app, leaves]) => `${app}: ${leaves.map((key) => key.slice(app.length + 1)).join(', ')}`,
  );
  return (
    `Conflicting migrations: more than one latest migration in an app (usually from two branches):\n` +
    `${lines.map((line) => `  ${line}`).join('\n')}\n` +
    'Run makemigrations with merge: true (--merge) to add a migration that merges them.'
  );
}

/**
 * The migration of `app` whose name is `prefix` or starts with it (`0002` finds
 * `0002_question_pub_date`); a clear error when none or several match.
 */
export function findMigration(graph: MigrationGraph, app: string, prefix: string): LoadedMigration {
  const migrations = graph.appMigrations(app);
  const exact = migrations.find((migration) => migration.name === prefix);
  if (exact !== undefined) return exact;
  const matches = migrations.filter((migration) => migration.name.startsWith(prefix));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    const replaced = graph.replacementOf(`${app}.${prefix}`);
    const hint = replaced === undefined ? '' : ` It was squashed into ${replaced}; use that name.`;
    throw new CarafeError(
      'CARAFE_MIGRATION_UNKNOWN',
      `App "${app}" has no migration named "${prefix}" or starting with it.${hint} ` +
        `Its migrations: ${migrations.map((migration) => migration.name).join(', ') || 'none'}.`,
    );
  }
  throw new CarafeError(
    'CARAFE_MIGRATION_AMBIGUOUS',
    `"${prefix}" matches several migrations of "${app}": ${matches.map((migration) => migration.name).join(', ')}. ` +
      'Give more of the name.',
  );
}

const answerCodes = new Set([
  'CARAFE_MIGRATION_RENAME_AMBIGUOUS',
  'CARAFE_MIGRATION_NEEDS_DEFAULT',
]);

/** Whether detection stopped on a question only a developer can answer (a rename, a one-off value). */
export function needsAnswer(error: unknown): error is CarafeError {
  return error instanceof CarafeError && answerCodes.has(error.code);
}
