// carafe shell: Node's REPL with the project loaded: every model by its name, `models` by
// label, `app` and `config`. The REPL accepts `await` at the top level.
import { once } from 'node:events';
import { join } from 'node:path';
import { start } from 'node:repl';
import { constants, Script } from 'node:vm';
import type { Carafe } from '../../index.js';
import type { Arguments } from '../args.js';
import type { CommandContext } from '../context.js';

interface ModelLike {
  readonly meta: { readonly label: string; readonly modelName: string };
}

function isModel(value: unknown): value is ModelLike {
  if (typeof value !== 'function') return false;
  const meta: unknown = (value as { meta?: unknown }).meta;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    typeof (meta as { label?: unknown }).label === 'string' &&
    typeof (meta as { modelName?: unknown }).modelName === 'string'
  );
}

interface ShellVariables {
  readonly variables: Record<string, unknown>;
  /** Models whose name another model already took, reachable only through `models`. */
  readonly shadowed: readonly string[];
}

function shellVariables(app: Carafe): ShellVariables {
  const models: Record<string, unknown> = {};
  const variables: Record<string, unknown> = { app, config: app.config, models };
  const shadowed: string[] = [];
  for (const definition of app.apps) {
    for (const model of definition.models ?? []) {
      if (!isModel(model)) continue;
      models[model.meta.label] = model;
      if (model.meta.modelName in variables) shadowed.push(model.meta.label);
      else variables[model.meta.modelName] = model;
    }
  }
  return { variables, shadowed };
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * Runs `-c` code as the body of an async function given the shell's variables. It is compiled
 * as a script "in" the project folder with Node's own module loader, so `await import('./src/…')`
 * resolves from the project as it would in a file there (a plain `new Function` resolves it
 * from this file instead).
 */
async function runCode(code: string, variables: Record<string, unknown>, root: string) {
  const names = Object.keys(variables).filter((name) => identifier.test(name));
  const script = new Script(`(async (${names.join(', ')}) => {\n${code}\n})`, {
    filename: join(root, '[carafe shell -c]'),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const body = script.runInThisContext() as (...values: unknown[]) => Promise<void>;
  await quietly(() => body(...names.map((name) => variables[name])));
}

/**
 * Runs `fn` without Node's "experimental" notice about the loader option above, which it
 * prints at the first import: the option is stable in practice on every Node we support.
 */
async function quietly(fn: () => Promise<void>): Promise<void> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    await fn();
  } finally {
    process.emitWarning = emitWarning;
  }
}

export async function runShell(args: Arguments, context: CommandContext): Promise<number> {
  const code = args.value('command');
  // A script's output is its own; the REPL logs as configured.
  const { app, root } = await context.openProject({ quiet: code !== undefined });
  const { variables, shadowed } = shellVariables(app);
  if (code !== undefined) {
    await runCode(code, variables, root);
    return 0;
  }
  const { terminal } = context;
  const names = Object.keys(variables).filter(
    (name) => !['app', 'config', 'models'].includes(name),
  );
  terminal.print(
    `Carafe shell. Loaded: ${names.length > 0 ? names.join(', ') : 'no models'}; app, config, models['app.Model'].`,
  );
  if (shadowed.length > 0) {
    terminal.print(`Same names as others, so only in models[…]: ${shadowed.join(', ')}.`);
  }
  terminal.print('Top-level await works. Ctrl-D (or .exit) leaves.');
  const repl = start({ prompt: 'carafe> ' });
  Object.assign(repl.context, variables);
  await once(repl, 'exit');
  return 0;
}
