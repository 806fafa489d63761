// `carafe <command> …`: finds the command (built in, or from one of the project's apps), parses
// its arguments and runs it. Every failure ends as one line on stderr and a non-zero exit code:
// 2 for a mistake in the call, 1 for anything else.
import { readFileSync } from 'node:fs';
import { closeDatabases } from '../db/index.js';
import { CarafeError } from '../index.js';
import { appCommands, type FoundAppCommand } from './app-commands.js';
import { type Arguments, parseArguments, UsageError } from './args.js';
import { type BuiltinCommand, builtinCommands, findBuiltin, globalOptions } from './commands.js';
import type { CommandContext } from './context.js';
import { appCommandHelp, commandHelp, mainHelp } from './help.js';
import { openProject, type Project } from './project.js';
import { createPrompter } from './prompt.js';
import { closest } from './suggest.js';
import { createTerminal, type Terminal } from './terminal.js';

interface Globals {
  readonly help: boolean;
  readonly version: boolean;
  readonly verbose: boolean;
  readonly config: string | undefined;
}

/** Splits off the options before the command name: `carafe --config x migrate` → globals, `migrate`, rest. */
function splitGlobals(argv: readonly string[]): {
  globals: Globals;
  command: string | undefined;
  rest: readonly string[];
} {
  const spec = {
    command: 'carafe',
    options: { ...globalOptions, version: { type: 'boolean', description: '' } } as const,
    positionals: [],
  };
  const index = argv.findIndex(
    (token, i) => !token.startsWith('-') && !(i > 0 && argv[i - 1] === '--config'),
  );
  const before = index === -1 ? argv : argv.slice(0, index);
  const args = parseArguments(spec, before);
  return {
    globals: {
      help: args.flag('help'),
      version: args.flag('version'),
      verbose: args.flag('verbose'),
      config: args.value('config'),
    },
    command: index === -1 ? undefined : argv[index],
    rest: index === -1 ? [] : argv.slice(index + 1),
  };
}

function version(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  const value = (parsed as { version?: unknown }).version;
  return typeof value === 'string' ? value : 'unknown';
}

function parseFor(command: BuiltinCommand, argv: readonly string[]): Arguments {
  return parseArguments(
    {
      command: `carafe ${command.name}`,
      options: { ...globalOptions, ...command.options },
      positionals: command.positionals,
      ...(command.passThrough === true && { passThrough: true }),
    },
    argv,
  );
}

async function listAppCommands(
  configPath: string | undefined,
): Promise<FoundAppCommand[] | string> {
  try {
    return appCommands((await openProject(configPath, { quiet: true })).app);
  } catch (error) {
    if (error instanceof CarafeError && error.code === 'CARAFE_CLI_NO_CONFIG') return [];
    return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}

async function runAppCommand(
  name: string,
  argv: readonly string[],
  globals: Globals,
  terminal: Terminal,
): Promise<number> {
  let project: Project | undefined;
  let problem: unknown;
  try {
    project = await openProject(globals.config, { quiet: true });
  } catch (error) {
    if (!(error instanceof CarafeError && error.code === 'CARAFE_CLI_NO_CONFIG')) problem = error;
  }
  const listed = project === undefined ? [] : appCommands(project.app);
  const found = listed.find((entry) => entry.name === name);
  if (project === undefined || found === undefined) {
    const known = [
      'help',
      ...builtinCommands.map((command) => command.name),
      ...listed.map((entry) => entry.name),
    ];
    const guess = closest(name, known);
    // A project that does not load may well define the command: its error says more.
    if (guess === undefined && problem !== undefined) throw problem;
    const hint = guess === undefined ? '' : ` Did you mean '${guess}'?`;
    throw new UsageError(`Unknown command '${name}'.${hint} Run carafe --help for the list.`);
  }
  if (globals.help || argv.includes('--help') || argv.includes('-h')) {
    terminal.print(appCommandHelp(terminal.out, found));
    return 0;
  }
  const prompter = createPrompter();
  try {
    const code = await found.command.run(argv, {
      app: project.app,
      print: (line) => terminal.print(line),
      interactive: prompter.interactive,
      ask: (question, options) => prompter.ask(question, options),
    });
    return typeof code === 'number' ? code : 0;
  } finally {
    prompter.close();
  }
}

async function dispatch(argv: readonly string[], terminal: Terminal): Promise<number> {
  const { globals, command: name, rest } = splitGlobals(argv);
  if (name === undefined || name === 'help') {
    if (globals.version && name === undefined) {
      terminal.print(version());
      return 0;
    }
    const topic = name === 'help' ? rest.find((token) => !token.startsWith('-')) : undefined;
    const builtin = topic === undefined ? undefined : findBuiltin(topic);
    if (builtin !== undefined) terminal.print(commandHelp(terminal.out, builtin));
    else if (topic !== undefined) return runAppCommand(topic, ['--help'], globals, terminal);
    else terminal.print(mainHelp(terminal.out, await listAppCommands(globals.config)));
    return 0;
  }
  const command = findBuiltin(name);
  if (command === undefined) return runAppCommand(name, rest, globals, terminal);
  const args = parseFor(command, rest);
  if (globals.help || args.flag('help')) {
    terminal.print(commandHelp(terminal.out, command));
    return 0;
  }
  const configPath = args.value('config') ?? globals.config;
  const context: CommandContext = {
    terminal,
    argv,
    configPath,
    openProject: (options) => openProject(configPath, { quiet: true, ...options }),
  };
  const run = await command.load();
  return run(args, context);
}

function report(error: unknown, terminal: Terminal, verbose: boolean): number {
  const { err } = terminal;
  const label = err.red('error:');
  if (error instanceof UsageError) {
    terminal.printError(`${label} ${error.message}`);
    return 2;
  }
  if (error instanceof CarafeError) {
    terminal.printError(`${label} ${error.message}`);
    if (verbose) {
      // The frames only: the message is already printed.
      const stack = error.stack ?? '';
      const frames = stack.indexOf('\n    at ');
      terminal.printError(err.dim(`${error.code}${frames === -1 ? '' : stack.slice(frames)}`));
    }
    return 1;
  }
  if (verbose && error instanceof Error) {
    terminal.printError(`${label} ${error.stack ?? error.message}`);
    return 1;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  terminal.printError(
    `${label} ${message.split('\n')[0]} ${err.dim('(--verbose shows the stack)')}`,
  );
  return 1;
}

/**
 * Runs `carafe` with `argv` (the words after `carafe`) and answers the exit code. The `carafe`
 * executable calls it; it is exported for tools that run commands in-process.
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  terminal: Terminal = createTerminal(),
): Promise<number> {
  try {
    return await dispatch(argv, terminal);
  } catch (error) {
    return report(error, terminal, argv.includes('--verbose'));
  } finally {
    await closeDatabases();
  }
}
