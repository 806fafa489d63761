// squashmigrations: one migration that does what a run of an app's migrations did, and
// `replaces` them, so new databases run fewer steps while existing ones keep their record.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CarafeError } from '../../../index.js';
import { isSwappableDependency } from '../../swappable.js';
import type { LoadedMigration } from '../loader.js';
import { findApp } from '../loader.js';
import type { MigrationDependency, MigrationKey } from '../migration.js';
import { AddField } from '../operations/fields.js';
import { CreateModel } from '../operations/models.js';
import type { Operation } from '../operations/operation.js';
import { withChanges } from '../operations/shared.js';
import { RunCode } from '../operations/special.js';
import { migrationSource } from '../writer.js';
import {
  buildGraph,
  type CommandOptions,
  type CommandResult,
  findMigration,
  loadProject,
  outputOf,
} from './shared.js';

export interface SquashMigrationsOptions extends Omit<CommandOptions, 'using'> {
  readonly app: string;
  /** The last migration to squash (a name or prefix). */
  readonly upTo: string;
  /** The first one; the app's first migration by default. */
  readonly from?: string | undefined;
  /** The new migration's name after its number; `<first>_squashed_<last>` by default. */
  readonly name?: string | undefined;
  /** Print the file instead of writing it. */
  readonly dryRun?: boolean | undefined;
}

export interface SquashMigrationsResult extends CommandResult {
  /** The file written (or that would be). */
  readonly file: string;
  readonly source: string;
  /** The migrations it replaces. */
  readonly replaces: readonly MigrationKey[];
}

function squashError(message: string): CarafeError {
  return new CarafeError('CARAFE_MIGRATION_SQUASH', message);
}

function relationTargets(field: AddField): string[] {
  return [field.field.to, field.field.through].filter(
    (label): label is string => label !== undefined,
  );
}

/**
 * Folds each `addField` into the `createModel` of its model earlier in the list, when nothing in
 * between could depend on the order: only other model creations and field additions lie between,
 * and none creates the model a new relation points to.
 */
export function foldOperations(operations: readonly Operation[]): Operation[] {
  const result: Operation[] = [];
  for (const operation of operations) {
    if (operation instanceof AddField) {
      const at = result.findLastIndex(
        (earlier) => earlier instanceof CreateModel && earlier.label === operation.label,
      );
      const create = result[at];
      const between = result.slice(at + 1);
      const foldable =
        create instanceof CreateModel &&
        !create.state.fields.has(operation.name) &&
        between.every(
          (earlier) =>
            (earlier instanceof CreateModel &&
              !relationTargets(operation).includes(earlier.label)) ||
            (earlier instanceof AddField && earlier.label !== operation.label),
        );
      if (foldable) {
        const fields = new Map(create.state.fields);
        fields.set(operation.name, operation.field);
        result[at] = new CreateModel(withChanges(create.state, { fields }));
        continue;
      }
    }
    result.push(operation);
  }
  return result;
}

function toSquash(
  migrations: readonly LoadedMigration[],
  from: LoadedMigration | undefined,
): LoadedMigration[] {
  if (from === undefined) return [...migrations];
  const start = migrations.indexOf(from);
  if (start === -1) {
    throw squashError(
      `${from.key} does not come before the last migration to squash; pick an earlier one as from.`,
    );
  }
  return migrations.slice(start);
}

function checkCopyable(migrations: readonly LoadedMigration[]): void {
  for (const migration of migrations) {
    const code = migration.migration.operations.find((operation) => operation instanceof RunCode);
    if (code !== undefined) {
      throw squashError(
        `${migration.key} has a code step ("${code.describe()}"); functions cannot be copied into a new file. ` +
          'Squash up to the migration before it, or start after it with from.',
      );
    }
  }
}

/** Writes one migration replacing `from`…`upTo` of `app`. Throws when it cannot copy a step. */
export async function squashmigrations(
  options: SquashMigrationsOptions,
): Promise<SquashMigrationsResult> {
  const output = outputOf(options);
  const project = await loadProject(options);
  const app = findApp(project.apps, options.app);
  if (app.folder === undefined) throw squashError(`App "${app.label}" has no migrations folder.`);
  // As for a new database: earlier squashes stand in for what they replaced.
  const graph = buildGraph(project, new Set());
  const last = findMigration(graph, app.label, options.upTo);
  const inApp = graph
    .forwardsPlan(last.key)
    .map((key) => graph.node(key))
    .filter((migration) => migration.app === app.label);
  const from =
    options.from === undefined ? undefined : findMigration(graph, app.label, options.from);
  const migrations = toSquash(inApp, from);
  if (migrations.length < 2) throw squashError('Give at least two migrations to squash.');
  checkCopyable(migrations);

  const squashed = new Set(migrations.map((migration) => migration.key));
  const dependencies: MigrationDependency[] = [];
  const replaces: MigrationKey[] = [];
  for (const migration of migrations) {
    for (const dependency of migration.migration.dependencies) {
      if (isSwappableDependency(dependency)) {
        const label = dependency.swappable;
        if (!dependencies.some((d) => isSwappableDependency(d) && d.swappable === label))
          dependencies.push(dependency);
        continue;
      }
      const [depApp, depName] = dependency;
      const key = `${depApp}.${depName}`;
      const listed = dependencies.some(
        (d) => !isSwappableDependency(d) && d[0] === depApp && d[1] === depName,
      );
      if (squashed.has(key) || listed) continue;
      dependencies.push([depApp, depName]);
    }
    const replaced = migration.migration.replaces;
    replaces.push(...(replaced.length > 0 ? replaced : [[migration.app, migration.name] as const]));
  }
  const first = migrations[0]!;
  const name =
    options.name === undefined
      ? `${first.name}_squashed_${last.name}`
      : `${first.name.slice(0, 4)}_${options.name}`;
  const file = join(app.folder, `${name}.ts`);
  if (graph.has(`${app.label}.${name}`) || existsSync(file)) {
    throw squashError(`A migration ${app.label}.${name} exists already; choose another name.`);
  }
  const source = migrationSource({
    operations: foldOperations(migrations.flatMap((migration) => migration.migration.operations)),
    dependencies,
    initial: first.migration.initial,
    replaces,
    atomic: migrations.every((migration) => migration.migration.atomic),
  });
  if (options.dryRun === true) {
    for (const line of source.trimEnd().split('\n')) output(line);
  } else {
    writeFileSync(file, source);
    output(`Created ${file}, replacing ${migrations.length} migrations of ${app.label}.`);
    output('Once every database has applied it, delete the replaced files and remove `replaces`.');
  }
  return { exitCode: 0, file, source, replaces };
}
