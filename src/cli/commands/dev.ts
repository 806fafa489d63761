// carafe dev: a supervisor that runs the app in a child process with debug on and starts a new
// child when code changes. The supervisor never imports the project, so a syntax error only
// stops the child, and the next save brings it back.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, relative } from 'node:path';
import { closeDatabases } from '../../db/index.js';
import type { Arguments } from '../args.js';
import type { CommandContext } from '../context.js';
import { findConfigFile } from '../project.js';
import { watchTree } from '../watch.js';
import { addressOf, listen, untilExit } from './listen.js';

const childVariable = 'CARAFE_DEV_SERVER';
/** How long a stopping child may finish its requests before it is killed. */
const stopTimeout = 3000;
/** Editors write a file in several steps; changes this close together make one restart. */
const settleTime = 100;

async function runServer(args: Arguments, context: CommandContext): Promise<number> {
  const { host, port } = addressOf(args);
  const { app } = await context.openProject({ debug: true, quiet: false });
  app.onShutdown(closeDatabases);
  const server = await listen(app, { host, port });
  context.terminal.print(
    `Carafe dev server on ${context.terminal.out.bold(`${server.url}/`)} (debug on; restarts when code changes; Ctrl-C stops it).`,
  );
  return untilExit();
}

/** Children being stopped on purpose, whose exit is no news. */
const stopping = new WeakSet<ChildProcess>();

/** Ends `child` gracefully (SIGTERM, unless it was already sent a signal), killing it if it lingers. */
async function stop(child: ChildProcess, signalled = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = once(child, 'exit');
  if (!signalled) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeout);
  await exited;
  clearTimeout(timer);
}

async function supervise(args: Arguments, context: CommandContext): Promise<number> {
  addressOf(args); // a bad --port is reported once here, not by every child
  const root = dirname(findConfigFile(context.configPath));
  const { terminal } = context;
  let child: ChildProcess | undefined;
  let closing = false;

  const start = (): void => {
    const started = spawn(
      process.execPath,
      [...process.execArgv, process.argv[1]!, ...context.argv],
      {
        stdio: 'inherit',
        env: { ...process.env, [childVariable]: '1' },
      },
    );
    started.on('exit', (code, signal) => {
      if (stopping.has(started) || signal !== null) return;
      terminal.print(
        terminal.out.yellow(
          `The server stopped (exit code ${code}); saving a file starts it again.`,
        ),
      );
    });
    child = started;
  };

  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let restarting = Promise.resolve();
  const restart = async (files: readonly string[]): Promise<void> => {
    const shown = files.slice(0, 3).map((file) => relative(root, file));
    const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
    terminal.print(terminal.out.dim(`${shown.join(', ')}${more} changed; restarting.`));
    if (child !== undefined) await stop(child);
    if (!closing) start();
  };
  const watcher = watchTree(root, (file) => {
    if (!pending.includes(file)) pending.push(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = pending;
      pending = [];
      restarting = restarting.then(() => restart(files));
    }, settleTime);
  });

  start();
  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  closing = true;
  watcher.close();
  clearTimeout(timer);
  await restarting;
  // Ctrl-C at the terminal reaches the child too (same process group); SIGTERM is passed on.
  if (child !== undefined) await stop(child, signal[0] === 'SIGINT');
  return 0;
}

export function runDev(args: Arguments, context: CommandContext): Promise<number> {
  return process.env[childVariable] === '1' ? runServer(args, context) : supervise(args, context);
}
