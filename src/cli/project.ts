// The project a command works on: `carafe.config.ts` found and imported, the app built from it,
// its databases configured. The project folder is the config's folder; commands run there, so
// `.env`, `sqlite://db.sqlite3` and static folders mean the same as when the app runs.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configureDatabases } from '../db/index.js';
import { Carafe, type CarafeConfig, CarafeError, type ResolvedConfig } from '../index.js';

const configNames = [
  'carafe.config.ts',
  'carafe.config.mts',
  'carafe.config.js',
  'carafe.config.mjs',
];

export interface ProjectOptions {
  /** Overrides the config's `debug` (`dev` turns it on, `serve` off). */
  readonly debug?: boolean;
  /** Looks at the config as written, before it is resolved (for `serve`'s own refusal). */
  readonly inspect?: (config: CarafeConfig) => void;
  /**
   * Logs errors only, so a one-off command does not print the app's startup warnings (the
   * generated debug key, say) each time. The server commands and the shell log as configured.
   */
  readonly quiet?: boolean;
}

export interface Project {
  /** The project folder (the config's), which is also the working directory. */
  readonly root: string;
  readonly configFile: string;
  /** What `carafe.config.ts` exports, as written. */
  readonly written: CarafeConfig;
  readonly app: Carafe;
  readonly config: ResolvedConfig;
}

/** The config file: `explicit` (from --config), else the first of `configNames` in `cwd`. */
export function findConfigFile(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (existsSync(file)) return file;
    throw new CarafeError(
      'CARAFE_CLI_NO_CONFIG',
      `The config file ${file} given with --config does not exist.`,
    );
  }
  for (const name of configNames) {
    const file = join(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new CarafeError(
    'CARAFE_CLI_NO_CONFIG',
    `No carafe.config.ts in ${cwd}. Run carafe in the project folder (beside carafe.config.ts), or pass --config path/to/carafe.config.ts.`,
  );
}

function isConfig(value: unknown): value is CarafeConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function importConfig(file: string): Promise<CarafeConfig> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new CarafeError(
        'CARAFE_CLI_CONFIG',
        `${basename(file)} needs TypeScript support to load: run it through the carafe command, which brings tsx, or node --import tsx.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (!isConfig(module.default)) {
    throw new CarafeError(
      'CARAFE_CLI_CONFIG',
      `${basename(file)} must end with export default defineConfig({ … }) (its default export is ${module.default === undefined ? 'missing' : 'not an object'}).`,
    );
  }
  return module.default;
}

/** Finds, imports and builds the project; changes the working directory to its folder. */
export async function openProject(
  configPath: string | undefined,
  options: ProjectOptions = {},
): Promise<Project> {
  const configFile = findConfigFile(configPath);
  const root = dirname(configFile);
  process.chdir(root);
  const written = await importConfig(configFile);
  options.inspect?.(written);
  const config: CarafeConfig = { ...written };
  if (options.debug !== undefined) config.debug = options.debug;
  // A log setting that is not an object is left alone, for the config check to report.
  if (options.quiet === true && (written.log === undefined || isConfig(written.log))) {
    config.log = { ...written.log, level: 'error' };
  }
  const app = new Carafe(config);
  if (app.config.database !== undefined) configureDatabases(app.config.database);
  return { root, configFile, written, app, config: app.config };
}
