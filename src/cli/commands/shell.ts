// carafe shell: Node's REPL with the project loaded: every model by its name, `models` by
// label, `app` and `config`. The REPL accepts `await` at the top level.
import { once } from 'node:events';
import { start } from 'node:repl';
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

type AsyncFunctionConstructor = new (
  ...parameters: string[]
) => (...values: unknown[]) => Promise<unknown>;

// The constructor of `async function` bodies, which is not a global.
const AsyncFunction = (async () => {}).constructor as AsyncFunctionConstructor;

export async function runShell(args: Arguments, context: CommandContext): Promise<number> {
  const code = args.value('command');
  // A script's output is its own; the REPL logs as configured.
  const { app } = await context.openProject({ quiet: code !== undefined });
  const { variables, shadowed } = shellVariables(app);
  if (code !== undefined) {
    await new AsyncFunction(...Object.keys(variables), code)(...Object.values(variables));
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
