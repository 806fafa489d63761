// carafe startapp <name>: an app's folder, src/<name>/, in the current project.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CarafeError } from '../../index.js';
import { type Arguments, UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { findConfigFile } from '../project.js';
import { renderTemplate, writeFiles } from '../scaffold.js';

// The name is a variable (`export const polls = defineApp(…)`), so no keyword; nor one the
// generated config already imports.
const taken = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof let new null return static super switch ' +
    'this throw true try typeof var void while with yield await implements interface package ' +
    'private protected public arguments eval undefined admin auth security sessions pages ' +
    'carafe config app main'
  ).split(' '),
);

export function checkAppName(name: string): void {
  const problem = !/^[a-z][a-z0-9_]*$/.test(name)
    ? 'must start with a lower-case letter and hold only a-z, 0-9 and "_"'
    : name.length > 50
      ? 'is longer than 50 characters'
      : taken.has(name)
        ? 'is a JavaScript keyword or a name the project already uses'
        : undefined;
  if (problem !== undefined) {
    throw new UsageError(
      `The app name "${name}" ${problem} (it names the folder, the variable and the models' label), e.g. carafe startapp polls.`,
    );
  }
}

export async function runStartapp(args: Arguments, context: CommandContext): Promise<number> {
  const name = args.positionals[0]!;
  checkAppName(name);
  // The project is not imported: an app can be added to a project that does not load yet.
  const root = dirname(findConfigFile(context.configPath));
  const target = join(root, 'src', name);
  if (existsSync(target)) {
    throw new CarafeError(
      'CARAFE_CLI_SCAFFOLD_EXISTS',
      `${target} exists already; nothing was written. Choose another name for the app.`,
    );
  }
  writeFiles(target, renderTemplate('app', { name }));
  const { out } = context.terminal;
  const shown = relative(process.cwd(), target) || '.';
  context.terminal.print(`Created the ${out.bold(name)} app in ${shown}/. List it in carafe.config.ts:

  import { ${name} } from './src/${name}/app.js';
  …
  apps: [sessions(), security(), auth(), admin, pages, ${name}],

Its page is then at /${name}/. Once models.ts has models: npx carafe makemigrations ${name}`);
  return 0;
}
