// From the project's apps to their migrations: which apps take part, where their files are,
// and the files themselves, imported and checked.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AppDefinition, CarafeError } from '../../index.js';
import type { ModelMeta } from '../meta.js';
import { isMigration, type Migration } from './migration.js';

/** An app as the migration commands see it. */
export interface MigrationApp {
  /** The migration label: the last segment of the app name (`carafe.sessions` → `sessions`). */
  readonly label: string;
  readonly definition: AppDefinition;
  /** The absolute path of the migrations folder, if the app declares one. */
  readonly folder: string | undefined;
  /** The app's own models (never automatic join models). */
  readonly models: readonly ModelMeta[];
}

/** One migration file, loaded. */
export interface LoadedMigration {
  readonly app: string;
  /** The file name without its extension: `0002_question_pub_date`. */
  readonly name: string;
  /** `'polls.0002_question_pub_date'`: how graphs and plans name a migration. */
  readonly key: string;
  readonly file: string;
  readonly migration: Migration;
}

export function migrationKey(app: string, name: string): string {
  return `${app}.${name}`;
}

/** Migration files: a four-digit number, a name, and a module extension. */
const fileName = /^(\d{4}_[A-Za-z0-9_]+)\.(ts|mts|js|mjs)$/;

function folderPath(app: AppDefinition): string | undefined {
  const folder = app.migrations;
  if (folder === undefined) return undefined;
  if (folder instanceof URL) {
    if (folder.protocol !== 'file:') {
      throw new CarafeError(
        'CARAFE_MIGRATION_FOLDER',
        `App "${app.name}": migrations must be a file: URL or a path, got ${folder.href}.`,
      );
    }
    return fileURLToPath(folder);
  }
  return resolve(folder);
}

function isModelClass(value: unknown): value is { readonly meta: ModelMeta } {
  if (typeof value !== 'function') return false;
  const meta: unknown = (value as { meta?: unknown }).meta;
  return typeof meta === 'object' && meta !== null && typeof (meta as ModelMeta).label === 'string';
}

function appModels(app: AppDefinition, label: string): ModelMeta[] {
  return (app.models ?? []).map((value, index) => {
    if (!isModelClass(value)) {
      throw new CarafeError(
        'CARAFE_MIGRATION_APP_MODELS',
        `App "${app.name}": models[${index}] is not a model; list the classes model() returned.`,
      );
    }
    const meta = value.meta;
    if (meta.appLabel !== label) {
      throw new CarafeError(
        'CARAFE_MIGRATION_APP_LABEL',
        `App "${app.name}" lists the model "${meta.label}", whose app label is "${meta.appLabel}"; ` +
          `an app's models must be labelled "${label}.<Name>" (the last segment of the app name), ` +
          'or the model belongs in another app.',
      );
    }
    return meta;
  });
}

/** The apps that take part in migrations: those with models or a migrations folder. */
export function migrationApps(apps: readonly AppDefinition[]): MigrationApp[] {
  const byLabel = new Map<string, MigrationApp>();
  for (const definition of apps) {
    if (definition.models === undefined && definition.migrations === undefined) continue;
    const label = definition.name.slice(definition.name.lastIndexOf('.') + 1);
    const clash = byLabel.get(label);
    if (clash !== undefined) {
      throw new CarafeError(
        'CARAFE_MIGRATION_APP_LABEL',
        `Apps "${clash.definition.name}" and "${definition.name}" both have the migration label "${label}" ` +
          '(the last segment of the name); rename one of them.',
      );
    }
    const models = appModels(definition, label);
    // Relations named by label or thunk are resolved before their targets are described.
    for (const registry of new Set(models.map((meta) => meta.registry))) registry.resolve();
    byLabel.set(label, { label, definition, folder: folderPath(definition), models });
  }
  return [...byLabel.values()];
}

/** The app labelled `label`; a clear error listing the known ones otherwise. */
export function findApp(apps: readonly MigrationApp[], label: string): MigrationApp {
  const found = apps.find((app) => app.label === label);
  if (found === undefined) {
    const known = apps.map((app) => app.label).join(', ') || 'none';
    throw new CarafeError(
      'CARAFE_MIGRATION_UNKNOWN_APP',
      `No app with the migration label "${label}" (apps with models or migrations: ${known}).`,
    );
  }
  return found;
}

function migrationFiles(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return files;
  for (const entry of readdirSync(folder).sort()) {
    const match = fileName.exec(entry);
    if (match === null) continue;
    const name = match[1]!;
    const other = files.get(name);
    if (other !== undefined) {
      throw new CarafeError(
        'CARAFE_MIGRATION_DUPLICATE',
        `Two files in ${folder} define the migration ${name}: ${other} and ${entry}. Keep one.`,
      );
    }
    files.set(name, entry);
  }
  return files;
}

function loadError(file: string, problem: string, cause?: unknown): CarafeError {
  return new CarafeError('CARAFE_MIGRATION_LOAD', `Migration file ${file}: ${problem}`, { cause });
}

async function importMigration(file: string): Promise<Migration> {
  // The version in the URL makes a file edited since it was last imported load afresh (a
  // migration fixed after a failed run, in the same process).
  const { mtimeMs, size } = statSync(file);
  const url = `${pathToFileURL(file).href}?version=${mtimeMs}-${size}`;
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      (error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ' (TypeScript migrations need a TypeScript-aware runner such as tsx, or run the compiled .js files)'
        : '';
    throw loadError(file, `could not be imported: ${message}${hint}`, error);
  }
  if (!isMigration(module.default)) {
    throw loadError(
      file,
      'the default export must be a migration: `export default migration({ dependencies, operations })` ' +
        "with migration imported from 'carafe/db/migrations'.",
    );
  }
  return module.default;
}

/** Imports every migration file of `apps`, in app order then file-name order. */
export async function loadMigrations(apps: readonly MigrationApp[]): Promise<LoadedMigration[]> {
  const loaded: LoadedMigration[] = [];
  for (const app of apps) {
    if (app.folder === undefined) continue;
    for (const [name, entry] of migrationFiles(app.folder)) {
      const file = join(app.folder, entry);
      const migration = await importMigration(file);
      loaded.push({ app: app.label, name, key: migrationKey(app.label, name), file, migration });
    }
  }
  return loaded;
}
