// The migration commands: flags mapped onto the functions of carafe/db/migrations, which do
// the work and print their own lines.
import {
  makemigrations,
  migrate,
  showmigrations,
  sqlmigrate,
  squashmigrations,
} from '../../db/migrations/index.js';
import type { AppDefinition } from '../../index.js';
import { type Arguments, UsageError } from '../args.js';
import type { CommandContext } from '../context.js';

async function projectApps(context: CommandContext): Promise<readonly AppDefinition[]> {
  const { app } = await context.openProject();
  return app.apps;
}

function output(context: CommandContext): (line: string) => void {
  return (line) => context.terminal.print(line);
}

/** `--default polls.Question.pubDate=2026-01-31` (repeatable) → `{ 'polls.Question.pubDate': '2026-01-31' }`. */
function defaultsOf(args: Arguments): Record<string, string> | undefined {
  const given = args.values('default');
  if (given.length === 0) return undefined;
  const defaults: Record<string, string> = {};
  for (const entry of given) {
    const equals = entry.indexOf('=');
    if (equals <= 0) {
      throw new UsageError(
        `--default ${entry}: write it as app.Model.field=value, e.g. --default polls.Question.pubDate=2026-01-31.`,
      );
    }
    defaults[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return defaults;
}

export async function runMakeMigrations(args: Arguments, context: CommandContext): Promise<number> {
  const apps = await projectApps(context);
  const defaults = defaultsOf(args);
  const answered =
    args.values('rename').length > 0 ||
    args.values('no-rename').length > 0 ||
    defaults !== undefined;
  // Answers given as flags mean a scripted run: nothing is asked then.
  const interactive =
    !answered && !args.flag('no-input') && !args.flag('check') && process.stdin.isTTY === true;
  const result = await makemigrations({
    apps,
    output: output(context),
    ...(args.positionals.length > 0 && { appLabels: args.positionals }),
    name: args.value('name'),
    empty: args.flag('empty'),
    dryRun: args.flag('dry-run'),
    check: args.flag('check'),
    merge: args.flag('merge'),
    interactive,
    renames: args.values('rename'),
    noRenames: args.values('no-rename'),
    ...(defaults !== undefined && { defaults }),
  });
  return result.exitCode;
}

export async function runMigrate(args: Arguments, context: CommandContext): Promise<number> {
  const apps = await projectApps(context);
  const [app, target] = args.positionals;
  const result = await migrate({
    apps,
    output: output(context),
    app,
    target,
    plan: args.flag('plan'),
    fake: args.flag('fake'),
    using: args.value('database'),
  });
  return result.exitCode;
}

export async function runShowMigrations(args: Arguments, context: CommandContext): Promise<number> {
  const apps = await projectApps(context);
  const result = await showmigrations({
    apps,
    output: output(context),
    ...(args.positionals.length > 0 && { appLabels: args.positionals }),
    using: args.value('database'),
  });
  return result.exitCode;
}

export async function runSqlMigrate(args: Arguments, context: CommandContext): Promise<number> {
  const apps = await projectApps(context);
  // Both are required, so the parser has checked they are there.
  const result = await sqlmigrate({
    apps,
    output: output(context),
    app: args.positionals[0]!,
    name: args.positionals[1]!,
    backwards: args.flag('backwards'),
    using: args.value('database'),
  });
  return result.exitCode;
}

export async function runSquashMigrations(
  args: Arguments,
  context: CommandContext,
): Promise<number> {
  const apps = await projectApps(context);
  const result = await squashmigrations({
    apps,
    output: output(context),
    app: args.positionals[0]!,
    upTo: args.positionals[1]!,
    from: args.value('from'),
    name: args.value('name'),
    dryRun: args.flag('dry-run'),
  });
  return result.exitCode;
}
