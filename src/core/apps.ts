// Apps (Django's apps, Flask's extensions): a named bundle of routes, middleware and setup that a
// project enables by listing it in `config.apps`. Batteries are apps too; nothing is implicit.
import type { Carafe } from './app.js';
import type { Blueprint } from './blueprint.js';
import { CarafeError } from './errors.js';
import type { Middleware } from './handler.js';

export interface AppDefinition {
  /** Unique label, e.g. `polls` or `carafe.sessions`. */
  readonly name: string;
  /** Routes, mounted on the app at the blueprint's own prefix. */
  readonly routes?: Blueprint | undefined;
  /** App-wide middleware, installed in the order the apps are listed (outermost first). */
  readonly middleware?: readonly Middleware[] | undefined;
  /** Models, read by `carafe/db` (migrations, admin). */
  readonly models?: readonly unknown[] | undefined;
  /**
   * The folder of the app's migration files, read by `carafe/db/migrations`: a `file:` URL
   * (`new URL('./migrations/', import.meta.url)`, which follows the module wherever it is
   * installed or compiled to) or a path, relative to the working directory.
   */
  readonly migrations?: string | URL | undefined;
  /** A folder of templates, searched after the project's own. */
  readonly templates?: string | undefined;
  /** A folder of static files, searched after the project's own. */
  readonly static?: string | undefined;
  /** Called once when the app is built: register hooks, context processors, error handlers. */
  readonly setup?: ((app: Carafe) => void) | undefined;
  /** Commands of the `carafe` command line, by name: `carafe <name> …args`. */
  readonly commands?: Readonly<Record<string, AppCommand>> | undefined;
}

/** A command an app adds to `carafe` (Django's management commands). */
export interface AppCommand {
  /** One line, shown by `carafe --help` and `carafe <name> --help`. */
  readonly description: string;
  /**
   * Runs `carafe <name> …args` with the arguments after the name, as given. The number
   * returned is the exit code (0 when nothing is returned); a thrown error prints one line
   * and exits 1.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a command that returns nothing exits with 0
  run(args: readonly string[], context: AppCommandContext): number | void | Promise<number | void>;
}

export interface AppCommandContext {
  /** The project's app, built from `carafe.config.ts`, with its databases configured. */
  readonly app: Carafe;
  /** Writes one line to standard output. */
  print(line: string): void;
  /** Whether standard input is a terminal, where questions reach a person. */
  readonly interactive: boolean;
  /**
   * Asks on the terminal (or reads the next line of piped input) and resolves with the answer;
   * `{ hidden: true }` does not echo it, for passwords.
   */
  ask(question: string, options?: { readonly hidden?: boolean }): Promise<string>;
}

/** Declares an app: `export const polls = defineApp({ name: 'polls', routes, models })`. */
export function defineApp<const T extends AppDefinition>(definition: T): T {
  if (!/^[a-z][\w.-]*$/i.test(definition.name)) {
    throw new CarafeError('CARAFE_APP_NAME', `App name ${JSON.stringify(definition.name)} is not valid: use letters, digits, '.', '_' or '-'.`);
  }
  return definition;
}

export function isAppDefinition(value: unknown): value is AppDefinition {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}
