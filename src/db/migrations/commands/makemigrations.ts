// makemigrations: compares what the migration files build with the models and writes the
// migrations that close the gap, one file per app, each depending on what it needs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CarafeError } from '../../../index.js';
import { swappableDependency } from '../../swappable.js';
import { appsBefore, detectChanges } from '../autodetector.js';
import type { MigrationGraph } from '../graph.js';
import { interactiveQuestioner } from '../interactive-questioner.js';
import { findApp, type MigrationApp } from '../loader.js';
import type { MigrationDependency, MigrationKey } from '../migration.js';
import { migrationName, nextNumber, suggestName } from '../naming.js';
import type { Operation } from '../operations/operation.js';
import { nonInteractiveQuestioner, type Questioner } from '../questioner.js';
import { ProjectState } from '../state.js';
import { migrationSource } from '../writer.js';
import {
  buildGraph,
  type CommandOptions,
  type CommandResult,
  conflictMessage,
  loadProject,
  needsAnswer,
  outputOf,
} from './shared.js';

export interface MakeMigrationsOptions extends Omit<CommandOptions, 'using'> {
  /** Only these apps (migration labels), plus the apps their changes cannot go without. */
  readonly appLabels?: readonly string[] | undefined;
  /** The new migration's name after its number (`0002_<name>`); made up from the changes otherwise. */
  readonly name?: string | undefined;
  /** An empty migration for each of `appLabels`, to fill with a data migration. */
  readonly empty?: boolean | undefined;
  /** Show what would be written; write nothing. */
  readonly dryRun?: boolean | undefined;
  /** Exit code 1 (and the list of changes) when the models have changes with no migration; write nothing. */
  readonly check?: boolean | undefined;
  /** Write a migration joining the latest migrations of each app whose history has split. */
  readonly merge?: boolean | undefined;
  /**
   * Ask about renames and one-off defaults at the terminal (`terminal`, stdin/stdout by default).
   * Without it the answers come from `renames`, `noRenames` and `defaults`, and a question
   * they do not answer fails naming the flag to pass.
   */
  readonly interactive?: boolean | undefined;
  readonly terminal?: { readonly input: Readable; readonly output: Writable } | undefined;
  /** `'polls.Question.text=questionText'` (a field) or `'polls.Question=polls.Query'` (a model). */
  readonly renames?: readonly string[] | undefined;
  /** `'polls.Question.text'` or `'polls.Question'`: removed and another added, not renamed. */
  readonly noRenames?: readonly string[] | undefined;
  /** One-off values for rows that exist: `{ 'polls.Question.pubDate': '2026-01-31T12:00:00Z' }`. */
  readonly defaults?: Readonly<Record<string, string>> | undefined;
}

export interface WrittenMigration {
  readonly app: string;
  readonly name: string;
  /** Where the file is (or would be, with `dryRun`/`check`). */
  readonly file: string;
  readonly source: string;
  readonly operations: readonly string[];
}

export interface MakeMigrationsResult extends CommandResult {
  readonly migrations: readonly WrittenMigration[];
}

// The migrations are written by this version of Carafe; read once, from the package itself.
function carafeVersion(): string | undefined {
  try {
    const text = readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8');
    const version: unknown = JSON.parse(text).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

const version = carafeVersion();

function folderOf(app: MigrationApp): string {
  if (app.folder === undefined) {
    throw new CarafeError(
      'CARAFE_MIGRATION_NO_FOLDER',
      `App "${app.definition.name}" has model changes but no migrations folder. Add ` +
        "migrations: new URL('./migrations/', import.meta.url) to its defineApp().",
    );
  }
  return app.folder;
}

function nameCheck(name: string | undefined): void {
  if (name !== undefined && !/^[A-Za-z0-9_]+$/.test(name)) {
    throw new CarafeError(
      'CARAFE_MIGRATION_NAME',
      `"${name}" cannot be a migration name: use letters, digits and "_" (it becomes the file name).`,
    );
  }
}

interface Draft {
  readonly app: MigrationApp;
  /** The full name: `0002_question_pub_date`. */
  readonly name: string;
  readonly operations: readonly Operation[];
  readonly dependencies: MigrationDependency[];
  readonly initial: boolean;
}

function keyOf(key: string): MigrationKey {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** The next free name in `label`: `0003_<suffix>`. */
function nextName(graph: MigrationGraph, label: string, suffix: string): string {
  return migrationName(
    nextNumber(graph.appMigrations(label).map((migration) => migration.name)),
    suffix,
  );
}

const writeOptions = version === undefined ? {} : { version };

function rendered(draft: Draft, source: string): WrittenMigration {
  return {
    app: draft.app.label,
    name: draft.name,
    file: join(folderOf(draft.app), `${draft.name}.ts`),
    source,
    operations: draft.operations.map((operation) => operation.describe()),
  };
}

function render(draft: Draft): WrittenMigration {
  const { operations, dependencies, initial } = draft;
  return rendered(draft, migrationSource({ operations, dependencies, initial }, writeOptions));
}

function questionerFor(options: MakeMigrationsOptions): {
  questioner: Questioner;
  unused: () => string[];
} {
  if (options.interactive === true) {
    const terminal = options.terminal ?? { input: process.stdin, output: process.stdout };
    return { questioner: interactiveQuestioner(terminal), unused: () => [] };
  }
  const questioner = nonInteractiveQuestioner({
    ...(options.renames !== undefined && { renames: options.renames }),
    ...(options.noRenames !== undefined && { noRenames: options.noRenames }),
    ...(options.defaults !== undefined && { defaults: options.defaults }),
  });
  return { questioner, unused: () => questioner.unused() };
}

/** Drafts for the model changes: each app's operations, after its latest migration and what it needs. */
async function changeDrafts(
  options: MakeMigrationsOptions,
  apps: readonly MigrationApp[],
  graph: MigrationGraph,
  output: (line: string) => void,
): Promise<Draft[]> {
  const live = apps.flatMap((app) => app.models);
  const { questioner, unused } = questionerFor(options);
  const changes = await detectChanges(graph.finalState(), ProjectState.fromModels(live), {
    questioner,
    models: live,
    ...(options.appLabels !== undefined && { apps: options.appLabels }),
  });
  for (const flag of unused()) output(`Warning: ${flag} was not needed by any change.`);
  const drafts: Draft[] = [];
  const newKey = new Map<string, string>();
  // Apps whose migration others need come first, so theirs can name it.
  const placed = new Set<string>();
  const place = (label: string): void => {
    if (placed.has(label)) return;
    placed.add(label);
    const own = changes.get(label)!;
    for (const other of appsBefore(own)) if (other !== label && changes.has(other)) place(other);
    const app = findApp(apps, label);
    const previous = graph.leaves(label);
    const dependencies: MigrationDependency[] = previous.map(keyOf);
    for (const other of own.dependsOn) {
      const leaves = newKey.has(other)
        ? [newKey.get(other)!]
        : previous.length === 0
          ? graph.leavesFor(other, label)
          : graph.leaves(other);
      if (leaves.length === 0) {
        throw new CarafeError(
          'CARAFE_MIGRATION_GRAPH',
          `The changes to "${label}" refer to models of "${other}", which has no migrations; run makemigrations for "${other}" too.`,
        );
      }
      dependencies.push(...leaves.map(keyOf));
    }
    for (const swappable of own.swappables) dependencies.push(swappableDependency(swappable));
    const initial = previous.length === 0;
    const operations = changes.get(label)!.operations;
    const name = nextName(graph, label, options.name ?? suggestName(operations, { initial }));
    drafts.push({ app, name, operations, dependencies, initial });
    newKey.set(label, `${label}.${name}`);
  };
  for (const label of changes.keys()) place(label);
  return drafts;
}

const dataMigrationExample = [
  '    // A data migration. `models` are the models as of this migration, not as in models.ts:',
  '    // op.runCode(',
  '    //   async ({ models }) => {',
  "    //     const Question = models.get('polls.Question');",
  "    //     await Question.objects.filter({ text: '' }).update({ text: 'untitled' });",
  '    //   },',
  '    //   // The reverse, run when migrating back; leave it out to make the migration irreversible.',
  '    //   async () => {},',
  '    // ),',
];

/** An empty migration's source, with a commented data-migration example in `operations`. */
function emptySource(draft: Draft): string {
  const source = migrationSource(
    { operations: [], dependencies: draft.dependencies, initial: draft.initial },
    writeOptions,
  );
  const empty = '  operations: [],\n';
  if (!source.includes(empty)) return source;
  return source
    .replace('import { migration } from', 'import { migration, op } from')
    .replace(empty, `  operations: [\n${dataMigrationExample.join('\n')}\n  ],\n`);
}

function emptyMigrations(
  options: MakeMigrationsOptions,
  apps: readonly MigrationApp[],
  graph: MigrationGraph,
): WrittenMigration[] {
  if (options.appLabels === undefined || options.appLabels.length === 0) {
    throw new CarafeError(
      'CARAFE_MIGRATION_EMPTY_APPS',
      'An empty migration needs the apps to make it for (appLabels).',
    );
  }
  return options.appLabels.map((label) => {
    const previous = graph.leaves(label);
    const initial = previous.length === 0;
    const name = nextName(graph, label, options.name ?? suggestName([], { initial }));
    const draft: Draft = {
      app: findApp(apps, label),
      name,
      operations: [],
      dependencies: previous.map(keyOf),
      initial,
    };
    return rendered(draft, emptySource(draft));
  });
}

function mergeMigrations(
  options: MakeMigrationsOptions,
  apps: readonly MigrationApp[],
  graph: MigrationGraph,
): WrittenMigration[] {
  return [...graph.conflicts()]
    .filter(([label]) => options.appLabels === undefined || options.appLabels.includes(label))
    .map(([label, leaves]) => {
      const dependencies = leaves.map(keyOf);
      const long = `merge_${dependencies.map(([, name]) => name).join('_')}`;
      const short = `merge_${dependencies.map(([, name]) => name.slice(0, 4)).join('_')}`;
      const suffix = options.name ?? (long.length <= 52 ? long : short);
      const draft: Draft = {
        app: findApp(apps, label),
        name: nextName(graph, label, suffix),
        operations: [],
        dependencies,
        initial: false,
      };
      return render(draft);
    });
}

function report(migrations: readonly WrittenMigration[], output: (line: string) => void): void {
  for (const migration of migrations) {
    output(`Migrations for '${migration.app}':`);
    output(`  ${relative(process.cwd(), migration.file)}`);
    for (const operation of migration.operations) output(`    - ${operation}`);
  }
}

function write(migrations: readonly WrittenMigration[]): void {
  for (const migration of migrations) {
    mkdirSync(join(migration.file, '..'), { recursive: true });
    writeFileSync(migration.file, migration.source, { flag: 'wx' });
  }
}

/**
 * Writes the migrations the models need. With `check`, writes nothing and answers exit code 1
 * when there are changes; with `dryRun`, prints them; with `merge`, joins split histories.
 */
export async function makemigrations(
  options: MakeMigrationsOptions,
): Promise<MakeMigrationsResult> {
  const output = outputOf(options);
  nameCheck(options.name);
  const project = await loadProject(options);
  for (const label of options.appLabels ?? []) findApp(project.apps, label);
  // As for a new database: squashed migrations stand in for those they replace.
  const graph = buildGraph(project, new Set());
  const conflicts = graph.conflicts();

  if (options.merge === true) {
    const merges = mergeMigrations(options, project.apps, graph);
    if (merges.length === 0) {
      output('No conflicts detected to merge.');
      return { exitCode: 0, migrations: [] };
    }
    report(merges, output);
    if (options.dryRun !== true && options.check !== true) write(merges);
    return { exitCode: 0, migrations: merges };
  }
  if (conflicts.size > 0)
    throw new CarafeError('CARAFE_MIGRATION_CONFLICT', conflictMessage(conflicts));

  if (options.empty === true) {
    const empties = emptyMigrations(options, project.apps, graph);
    report(empties, output);
    if (options.dryRun !== true) write(empties);
    return { exitCode: 0, migrations: empties };
  }

  let drafts: Draft[];
  try {
    drafts = await changeDrafts(options, project.apps, graph, output);
  } catch (error) {
    // A question only a developer can answer means there are changes: that is what check asks.
    if (options.check !== true || !needsAnswer(error)) throw error;
    output(
      `Changes detected that need answers before a migration can be written:\n${error.message}`,
    );
    return { exitCode: 1, migrations: [] };
  }
  const migrations = drafts.map(render);
  if (migrations.length === 0) {
    output('No changes detected.');
    return { exitCode: 0, migrations };
  }
  report(migrations, output);
  if (options.check === true) return { exitCode: 1, migrations };
  if (options.dryRun === true) {
    for (const migration of migrations) {
      output(`// ${migration.app}/${migration.name}.ts`);
      for (const line of migration.source.trimEnd().split('\n')) output(line);
    }
    return { exitCode: 0, migrations };
  }
  write(migrations);
  return { exitCode: 0, migrations };
}
