// Commands that apps add (`defineApp({ commands: { seed: { description, run } } })`), gathered
// from the project's apps and checked against the built-in names.
import { type AppCommand, type Carafe, CarafeError } from '../index.js';
import { builtinCommands } from './commands.js';

export interface FoundAppCommand {
  readonly name: string;
  /** The app that defines it. */
  readonly app: string;
  readonly command: AppCommand;
}

const commandName = /^[a-z][a-z0-9-]*$/;

export function appCommands(app: Carafe): FoundAppCommand[] {
  const found = new Map<string, FoundAppCommand>();
  const reserved = new Set(['help', ...builtinCommands.map((command) => command.name)]);
  for (const definition of app.apps) {
    for (const [name, command] of Object.entries(definition.commands ?? {})) {
      const problem = !commandName.test(name)
        ? 'is not a usable command name: use lower-case letters, digits and "-"'
        : reserved.has(name)
          ? 'is the name of a built-in command'
          : found.has(name)
            ? `is also defined by the app ${found.get(name)!.app}`
            : typeof command?.run !== 'function' || typeof command.description !== 'string'
              ? 'needs { description, run(args, context) }'
              : undefined;
      if (problem !== undefined) {
        throw new CarafeError(
          'CARAFE_CLI_APP_COMMAND',
          `The command "${name}" of the app ${definition.name} ${problem}. Rename it in its defineApp({ commands }).`,
        );
      }
      found.set(name, { name, app: definition.name, command });
    }
  }
  return [...found.values()];
}
