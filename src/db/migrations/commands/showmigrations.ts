// showmigrations: every app's migrations, marked applied or not on the database.
import { findApp } from '../loader.js';
import { MigrationRecorder } from '../recorder.js';
import {
  buildGraph,
  type CommandOptions,
  type CommandResult,
  databaseOf,
  loadProject,
  outputOf,
} from './shared.js';

export interface ShowMigrationsOptions extends CommandOptions {
  /** Only these apps (migration labels); all when omitted. */
  readonly appLabels?: readonly string[] | undefined;
}

export interface ShownMigration {
  readonly name: string;
  readonly applied: boolean;
  /** Operations done so far of a migration a failed non-transactional run left half-way. */
  readonly partial?: { readonly done: number; readonly of: number } | undefined;
  /** For a squashed migration: how many it replaces. */
  readonly replaces: number;
}

export interface ShowMigrationsResult extends CommandResult {
  readonly apps: readonly {
    readonly app: string;
    readonly migrations: readonly ShownMigration[];
  }[];
}

function line(migration: ShownMigration): string {
  const mark = migration.applied ? 'X' : migration.partial !== undefined ? '~' : ' ';
  const notes: string[] = [];
  if (migration.replaces > 0) notes.push(`${migration.replaces} squashed migrations`);
  if (migration.partial !== undefined) {
    notes.push(
      `${migration.partial.done} of ${migration.partial.of} operations done; run migrate to finish`,
    );
  }
  return ` [${mark}] ${migration.name}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** Lists each app's migrations: ` [X] 0001_initial`, ` [ ] 0002_question_pub_date`. */
export async function showmigrations(
  options: ShowMigrationsOptions,
): Promise<ShowMigrationsResult> {
  const output = outputOf(options);
  const project = await loadProject(options);
  const labels = options.appLabels ?? project.apps.map((app) => app.label);
  for (const label of labels) findApp(project.apps, label);
  const recorder = new MigrationRecorder(databaseOf(options));
  const recorded = await recorder.applied();
  const unfinished = await recorder.unfinished();
  const graph = buildGraph(project, recorded);
  const applied = graph.appliedNodes(recorded);
  const apps = labels.map((app) => {
    const migrations = graph.appMigrations(app).map((migration): ShownMigration => {
      const progress = unfinished.find(
        (entry) => entry.app === app && entry.name === migration.name,
      );
      return {
        name: migration.name,
        applied: applied.has(migration.key),
        partial:
          progress === undefined
            ? undefined
            : { done: progress.done, of: migration.migration.operations.length },
        replaces: migration.migration.replaces.length,
      };
    });
    output(app);
    if (migrations.length === 0) output(' (no migrations)');
    for (const migration of migrations) output(line(migration));
    return { app, migrations };
  });
  return { exitCode: 0, apps };
}
