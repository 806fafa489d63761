// sqlmigrate: the SQL a migration runs on the database's dialect, collected, never executed.
import { operationOrder, operationStates, runOperation } from '../executor.js';
import { findApp } from '../loader.js';
import { MigrationRecorder } from '../recorder.js';
import { createSchemaEditor } from '../schema-editor/index.js';
import {
  buildGraph,
  type CommandOptions,
  type CommandResult,
  databaseOf,
  findMigration,
  loadProject,
  outputOf,
} from './shared.js';

export interface SqlMigrateOptions extends CommandOptions {
  readonly app: string;
  /** The migration's name or a prefix of it (`0002`). */
  readonly name: string;
  /** The SQL that unapplies it instead. */
  readonly backwards?: boolean | undefined;
}

export interface SqlMigrateResult extends CommandResult {
  /** One entry per statement (`-- …` lines for steps that are not SQL). */
  readonly statements: readonly string[];
}

/** Prints the statements of one migration for the database's dialect (`using`). */
export async function sqlmigrate(options: SqlMigrateOptions): Promise<SqlMigrateResult> {
  const output = outputOf(options);
  const db = databaseOf(options);
  const project = await loadProject(options);
  findApp(project.apps, options.app);
  const graph = buildGraph(project, await new MigrationRecorder(db).applied());
  const migration = findMigration(graph, options.app, options.name);
  const backwards = options.backwards === true;
  const editor = createSchemaEditor(db, { collect: true });
  const states = operationStates(graph, migration);
  const operations = migration.migration.operations;
  await editor.run(async () => {
    for (const index of operationOrder(migration, backwards)) {
      editor.note(`${backwards ? 'Undo ' : ''}${operations[index]!.describe()}`);
      await runOperation(operations[index]!, editor, states, index, backwards);
    }
  });
  const statements = editor.statements.map((statement) =>
    statement.startsWith('--') || statement.endsWith(';') ? statement : `${statement};`,
  );
  const atomic = migration.migration.atomic && db.dialect !== 'mysql';
  if (atomic) output('BEGIN;');
  for (const statement of statements) output(statement);
  if (atomic) output('COMMIT;');
  return { exitCode: 0, statements };
}
