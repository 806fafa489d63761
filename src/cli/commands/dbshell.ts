// carafe dbshell: the database's own command-line client, connected with the configured
// parameters. Passwords go through the client's environment variable, never its arguments,
// which other users of the machine can read in the process list.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type ConnectionSpec, connectionParameters } from '../../db/index.js';
import { CarafeError } from '../../index.js';
import type { Arguments } from '../args.js';
import type { CommandContext } from '../context.js';

interface Client {
  /** Executable names, the first found on PATH is used. */
  readonly names: readonly string[];
  readonly install: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

function definedEntries(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function clientFor(spec: ConnectionSpec, extra: readonly string[]): Client {
  if (spec.dialect === 'sqlite') {
    return {
      names: ['sqlite3'],
      install: 'apt install sqlite3, brew install sqlite',
      args: [...(spec.filename === ':memory:' ? [] : [spec.filename]), ...extra],
      env: {},
    };
  }
  if (spec.dialect === 'postgres') {
    return {
      names: ['psql'],
      install: 'apt install postgresql-client, brew install libpq',
      args: [...extra],
      env: definedEntries({
        PGHOST: spec.host,
        PGPORT: String(spec.port),
        PGUSER: spec.user,
        PGPASSWORD: spec.password,
        PGDATABASE: spec.database,
        PGSSLMODE:
          spec.tls === false ? undefined : spec.tls === 'verify' ? 'verify-full' : 'require',
        PGOPTIONS: spec.schema === undefined ? undefined : `-c search_path=${spec.schema}`,
      }),
    };
  }
  const location = spec.host.startsWith('/')
    ? [`--socket=${spec.host}`]
    : [`--host=${spec.host}`, `--port=${spec.port}`];
  return {
    names: ['mariadb', 'mysql'],
    install: 'apt install mariadb-client, brew install mariadb',
    args: [
      ...location,
      ...(spec.user === undefined ? [] : [`--user=${spec.user}`]),
      ...(spec.database === undefined ? [] : [`--database=${spec.database}`]),
      ...extra,
    ],
    env: definedEntries({ MYSQL_PWD: spec.password }),
  };
}

function findExecutable(names: readonly string[]): string | undefined {
  const folders = (process.env.PATH ?? '').split(delimiter).filter((folder) => folder !== '');
  for (const name of names) {
    for (const folder of folders) {
      const candidate = join(folder, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this folder
      }
    }
  }
  return undefined;
}

export async function runDbshell(args: Arguments, context: CommandContext): Promise<number> {
  const { config } = await context.openProject();
  const name = args.value('database') ?? 'default';
  const spec = connectionParameters(config.database, name);
  if (spec === undefined) {
    throw new CarafeError(
      'CARAFE_CLI_NO_DATABASE',
      config.database === undefined
        ? "No database is configured: set database in carafe.config.ts, e.g. database: env('DATABASE_URL', 'sqlite://db.sqlite3')."
        : `There is no database named "${name}" in the database setting of carafe.config.ts.`,
    );
  }
  const client = clientFor(spec, args.rest);
  const executable = findExecutable(client.names);
  if (executable === undefined) {
    throw new CarafeError(
      'CARAFE_CLI_DBSHELL_CLIENT',
      `The ${client.names.join(' or ')} client is not installed or not on PATH; install it (${client.install}) and run carafe dbshell again.`,
    );
  }
  const child = spawn(executable, client.args, {
    stdio: 'inherit',
    env: { ...process.env, ...client.env },
  });
  // Ctrl-C is for the client (cancel a query), not for carafe.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  try {
    const [code] = (await once(child, 'exit')) as [number | null];
    return code ?? 1;
  } finally {
    process.off('SIGINT', ignore);
  }
}
