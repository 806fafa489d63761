// The built-in commands: what each takes (for parsing and help) and where its code is, loaded
// only when that command runs, so `carafe --help` stays quick.
import type { Arguments, OptionSpec, PositionalSpec } from './args.js';
import type { CommandContext } from './context.js';
import { scaffoldCommands } from './scaffold-commands.js';

export type CommandRun = (args: Arguments, context: CommandContext) => Promise<number>;

export interface BuiltinCommand {
  readonly name: string;
  readonly group: 'Project' | 'Database' | 'Migrations';
  /** One line for `carafe --help`. */
  readonly summary: string;
  /** Paragraphs for `carafe <name> --help`. */
  readonly details?: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly passThrough?: boolean;
  readonly examples?: readonly string[];
  readonly load: () => Promise<CommandRun>;
}

export const globalOptions: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for the command.' },
  config: {
    type: 'string',
    value: 'PATH',
    description: 'The project configuration (default: carafe.config.ts, .js or .mjs here).',
  },
  verbose: { type: 'boolean', description: 'Show the stack of unexpected errors.' },
};

const database: OptionSpec = {
  type: 'string',
  value: 'NAME',
  description: 'The configured database to use (default: default).',
};
const host: OptionSpec = {
  type: 'string',
  value: 'HOST',
  description: 'The interface to listen on (default 127.0.0.1; 0.0.0.0 for every one).',
};
const port: OptionSpec = {
  type: 'string',
  value: 'PORT',
  description: 'The port to listen on (default: $PORT, else 8000).',
};

export const builtinCommands: readonly BuiltinCommand[] = [
  ...scaffoldCommands,
  {
    name: 'dev',
    group: 'Project',
    summary: 'Run the development server: debug on, restarted when code changes.',
    details:
      'Runs the app with debug on (detailed error pages, templates re-read on every render) in a ' +
      'child process, and restarts it when a .ts, .js, .json or .env file under the project folder ' +
      'changes (node_modules, .git, dist and dot-folders are ignored).',
    positionals: [],
    options: { host, port },
    examples: ['carafe dev', 'carafe dev --port 3000'],
    load: async () => (await import('./commands/dev.js')).runDev,
  },
  {
    name: 'serve',
    group: 'Project',
    summary: 'Run the app in production mode (debug off).',
    details:
      'Refuses to start without secretKey and allowedHosts. With --workers n, n processes share ' +
      'the port and a worker that dies is replaced. SIGTERM or Ctrl-C shuts down gracefully.',
    positionals: [],
    options: {
      host,
      port,
      workers: {
        type: 'string',
        value: 'N',
        description: 'Worker processes sharing the port (default 1).',
      },
    },
    examples: ['carafe serve --host 0.0.0.0 --port 8000 --workers 4'],
    load: async () => (await import('./commands/serve.js')).runServe,
  },
  {
    name: 'shell',
    group: 'Project',
    summary: "A REPL with the project's models, app and config loaded; await works.",
    details:
      'Every model of the listed apps is a variable named after it (Question), `models` holds them ' +
      "by label ('polls.Question'), and `app` and `config` are the project's.",
    positionals: [],
    options: {
      command: {
        type: 'string',
        short: 'c',
        value: 'CODE',
        description: 'Run this code (await allowed) instead of starting the REPL.',
      },
    },
    examples: ['carafe shell', `carafe shell -c "console.log(await Question.objects.count())"`],
    load: async () => (await import('./commands/shell.js')).runShell,
  },
  {
    name: 'routes',
    group: 'Project',
    summary: 'List the routes: name, methods, pattern and handler.',
    positionals: [],
    options: { json: { type: 'boolean', description: 'Print them as JSON.' } },
    load: async () => (await import('./commands/routes.js')).runRoutes,
  },
  {
    name: 'check',
    group: 'Project',
    summary: 'Look for problems in the project; --deploy adds the production checklist.',
    details:
      'Errors (carafe.E…) exit with status 1; warnings (carafe.W…) are printed. --deploy checks ' +
      'debug, the secret key, allowed hosts, the security app, HSTS, the HTTPS redirect and proxy ' +
      'settings, sending two requests through the app in memory (never over the network).',
    positionals: [],
    options: {
      deploy: { type: 'boolean', description: 'Add the production (deployment) checks.' },
      'fail-level': {
        type: 'string',
        value: 'LEVEL',
        description: 'error (default) or warning: the level that makes the exit status 1.',
      },
      ignore: {
        type: 'string',
        multiple: true,
        value: 'ID',
        description: 'Leave out a check by its id (carafe.W009); repeatable.',
      },
    },
    examples: ['carafe check', 'carafe check --deploy --fail-level warning'],
    load: async () => (await import('./commands/check.js')).runCheck,
  },
  {
    name: 'collectstatic',
    group: 'Project',
    summary: 'Copy every static file into staticRoot, with hashed names and a manifest.',
    details:
      "Copies the project's and the apps' static folders (the first folder with a file wins, as " +
      'when serving) into staticRoot, each file also under a name carrying its content hash ' +
      '(app.3f2a1b9c.css), and writes manifest.json. Outside debug, static() in templates then ' +
      'gives the hashed URLs, which browsers may cache for a year.',
    positionals: [],
    options: {
      clear: { type: 'boolean', description: 'Empty staticRoot first.' },
    },
    load: async () => (await import('./commands/collectstatic.js')).runCollectStatic,
  },
  {
    name: 'dbshell',
    group: 'Database',
    summary: "Open the database's own client (psql, mariadb/mysql or sqlite3).",
    details: 'Arguments after -- are passed to the client.',
    positionals: [],
    options: { database },
    passThrough: true,
    examples: ['carafe dbshell', `carafe dbshell -- -c 'select 1'`],
    load: async () => (await import('./commands/dbshell.js')).runDbshell,
  },
  {
    name: 'clearsessions',
    group: 'Database',
    summary: 'Delete expired sessions from the database.',
    positionals: [],
    options: { database },
    load: async () => (await import('./commands/clearsessions.js')).runClearSessions,
  },
  {
    name: 'makemigrations',
    group: 'Migrations',
    summary: 'Write the migrations that bring the schema in line with the models.',
    details:
      'On a terminal, renames and one-off values are asked; otherwise (or with --no-input) they ' +
      'come from --rename, --no-rename and --default, and a question they do not answer stops ' +
      'the run naming the flag to pass.',
    positionals: [
      { name: 'app', description: 'Only these apps (migration labels).', variadic: true },
    ],
    options: {
      name: { type: 'string', value: 'NAME', description: 'Name the migration 0002_NAME.' },
      empty: { type: 'boolean', description: 'An empty migration, for a data migration.' },
      'dry-run': { type: 'boolean', description: 'Show the migrations; write nothing.' },
      check: {
        type: 'boolean',
        description: 'Exit 1 when models have changes with no migration; write nothing.',
      },
      merge: { type: 'boolean', description: 'Merge the latest migrations of a split history.' },
      rename: {
        type: 'string',
        multiple: true,
        value: 'OLD=NEW',
        description: 'A rename: polls.Question.text=title or polls.Question=polls.Query.',
      },
      'no-rename': {
        type: 'string',
        multiple: true,
        value: 'PATH',
        description: 'Not a rename: remove it and add the new one (polls.Question.text).',
      },
      default: {
        type: 'string',
        multiple: true,
        value: 'PATH=VALUE',
        description: 'A one-off value for existing rows: polls.Question.pubDate=2026-01-31.',
      },
      'no-input': { type: 'boolean', description: 'Never ask, even on a terminal.' },
    },
    examples: ['carafe makemigrations', 'carafe makemigrations polls --name add_votes'],
    load: async () => (await import('./commands/migrations.js')).runMakeMigrations,
  },
  {
    name: 'migrate',
    group: 'Migrations',
    summary: 'Apply (or unapply) migrations on the database.',
    positionals: [
      { name: 'app', description: 'Only this app.' },
      { name: 'target', description: "A migration name or prefix to go to; 'zero' unapplies all." },
    ],
    options: {
      plan: { type: 'boolean', description: 'Show what would run; run nothing.' },
      fake: { type: 'boolean', description: 'Record the migrations without running them.' },
      database,
    },
    examples: ['carafe migrate', 'carafe migrate polls 0002', 'carafe migrate polls zero'],
    load: async () => (await import('./commands/migrations.js')).runMigrate,
  },
  {
    name: 'showmigrations',
    group: 'Migrations',
    summary: "List each app's migrations, [X] when applied.",
    positionals: [{ name: 'app', description: 'Only these apps.', variadic: true }],
    options: { database },
    load: async () => (await import('./commands/migrations.js')).runShowMigrations,
  },
  {
    name: 'sqlmigrate',
    group: 'Migrations',
    summary: 'Print the SQL of one migration for the database; run nothing.',
    positionals: [
      { name: 'app', description: 'The app.', required: true },
      { name: 'name', description: 'The migration name or a prefix (0002).', required: true },
    ],
    options: {
      backwards: { type: 'boolean', description: 'The SQL that unapplies it.' },
      database,
    },
    examples: ['carafe sqlmigrate polls 0002'],
    load: async () => (await import('./commands/migrations.js')).runSqlMigrate,
  },
  {
    name: 'squashmigrations',
    group: 'Migrations',
    summary: "Fold a run of an app's migrations into one that replaces them.",
    positionals: [
      { name: 'app', description: 'The app.', required: true },
      {
        name: 'upTo',
        description: 'The last migration to squash (name or prefix).',
        required: true,
      },
    ],
    options: {
      from: { type: 'string', value: 'NAME', description: 'The first one (default: the first).' },
      name: { type: 'string', value: 'NAME', description: 'Name the new migration.' },
      'dry-run': { type: 'boolean', description: 'Print the file; write nothing.' },
    },
    examples: ['carafe squashmigrations polls 0040'],
    load: async () => (await import('./commands/migrations.js')).runSquashMigrations,
  },
];

export function findBuiltin(name: string): BuiltinCommand | undefined {
  return builtinCommands.find((command) => command.name === name);
}
