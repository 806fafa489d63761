// Django's system checks: problems found by looking at the project rather than waiting for a
// request to fail. Each has a stable id, so it can be looked up and, when deliberate, ignored.
import { makemigrations } from '../db/migrations/index.js';
import { type Carafe, type CarafeConfig, CarafeError } from '../index.js';

export type CheckLevel = 'error' | 'warning';

export interface CheckMessage {
  /** `carafe.E001` (an error) or `carafe.W001` (a warning). */
  readonly id: string;
  readonly level: CheckLevel;
  readonly message: string;
  readonly hint?: string;
}

export interface CheckTarget {
  readonly app: Carafe;
  /** The config as `carafe.config.ts` wrote it, before defaults were filled. */
  readonly written: CarafeConfig;
  /** The project folder. */
  readonly root: string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function databaseCheck({ app }: CheckTarget): CheckMessage[] {
  const withModels = app.apps.filter((definition) => (definition.models?.length ?? 0) > 0);
  if (withModels.length === 0 || app.config.database !== undefined) return [];
  return [
    {
      id: 'carafe.E001',
      level: 'error',
      message: `The apps ${withModels.map((definition) => definition.name).join(', ')} have models, but no database is configured.`,
      hint: "Set database in carafe.config.ts, e.g. database: env('DATABASE_URL', 'sqlite://db.sqlite3').",
    },
  ];
}

function routesCheck({ app }: CheckTarget): CheckMessage[] {
  try {
    app.listRoutes();
    return [];
  } catch (error) {
    if (!(error instanceof CarafeError)) throw error;
    return [
      { id: 'carafe.E002', level: 'error', message: `The routes do not compile: ${error.message}` },
    ];
  }
}

async function migrationsCheck({ app }: CheckTarget): Promise<CheckMessage[]> {
  const lines: string[] = [];
  try {
    const { exitCode } = await makemigrations({
      apps: app.apps,
      check: true,
      output: (line) => lines.push(line),
    });
    if (exitCode === 0) return [];
    const changed = lines
      .map((line) => /^Migrations for '(.+)':$/.exec(line)?.[1])
      .filter((label) => label !== undefined);
    return [
      {
        id: 'carafe.W001',
        level: 'warning',
        message: `The models have changes that no migration makes yet${changed.length > 0 ? ` (${changed.join(', ')})` : ''}.`,
        hint: 'Run carafe makemigrations, review the new files and commit them.',
      },
    ];
  } catch (error) {
    if (!(error instanceof CarafeError)) throw error;
    return [
      {
        id: 'carafe.E003',
        level: 'error',
        message: `The migrations cannot be loaded: ${messageOf(error)}`,
      },
    ];
  }
}

/** The checks `carafe check` always runs. */
export async function systemChecks(target: CheckTarget): Promise<CheckMessage[]> {
  return [...databaseCheck(target), ...routesCheck(target), ...(await migrationsCheck(target))];
}
