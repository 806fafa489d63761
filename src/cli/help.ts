// Help text: the command list (`carafe --help`) and each command's usage (`carafe migrate --help`).

import type { FoundAppCommand } from './app-commands.js';
import { type OptionSpec, shownPositional } from './args.js';
import { type BuiltinCommand, builtinCommands, globalOptions } from './commands.js';
import { type Style, table } from './terminal.js';

const groups = ['Project', 'Database', 'Migrations'] as const;

function optionRows(options: Readonly<Record<string, OptionSpec>>): string[][] {
  return Object.entries(options).map(([name, option]) => {
    const short = option.short === undefined ? '    ' : `-${option.short}, `;
    const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
    const repeat = option.multiple === true ? ' (repeatable)' : '';
    return [`  ${short}--${name}${value}`, `${option.description}${repeat}`];
  });
}

/** `appCommands` is the list, or why the project's commands could not be listed. */
export function mainHelp(style: Style, appCommands: readonly FoundAppCommand[] | string): string {
  const lines = [
    `${style.bold('Usage:')} carafe <command> [options]`,
    '',
    'Runs the project whose carafe.config.ts is in the current folder.',
  ];
  // One table for every section, so the descriptions line up across them.
  const sections: { title: string; rows: string[][] }[] = groups.map((group) => ({
    title: `${group}:`,
    rows: builtinCommands
      .filter((command) => command.group === group)
      .map((command) => [`  ${command.name}`, command.summary]),
  }));
  if (typeof appCommands !== 'string' && appCommands.length > 0) {
    sections.push({
      title: 'From the apps:',
      rows: appCommands.map((found) => [
        `  ${found.name}`,
        `${found.command.description} (${found.app})`,
      ]),
    });
  }
  const aligned = table(sections.flatMap((section) => section.rows));
  for (const section of sections) {
    lines.push('', style.bold(section.title), ...aligned.splice(0, section.rows.length));
  }
  if (typeof appCommands === 'string') {
    lines.push('', style.dim(`Commands of the project's apps could not be listed: ${appCommands}`));
  }
  lines.push('', style.bold('Options:'));
  lines.push(
    ...table([...optionRows(globalOptions), ['      --version', "Print Carafe's version."]]),
  );
  lines.push('', 'Run carafe <command> --help for what a command takes.');
  return lines.join('\n');
}

export function commandHelp(style: Style, command: BuiltinCommand): string {
  const positionals = command.positionals.map(shownPositional).join(' ');
  const usage = ['carafe', command.name, positionals, '[options]'];
  if (command.passThrough === true) usage.push('[-- client arguments]');
  const lines = [
    `${style.bold('Usage:')} ${usage.filter((part) => part !== '').join(' ')}`,
    '',
    command.summary,
  ];
  if (command.details !== undefined) lines.push('', command.details);
  if (command.positionals.length > 0) {
    lines.push('', style.bold('Arguments:'));
    lines.push(
      ...table(
        command.positionals.map((positional) => [`  ${positional.name}`, positional.description]),
      ),
    );
  }
  lines.push('', style.bold('Options:'));
  lines.push(...table([...optionRows(command.options), ...optionRows(globalOptions)]));
  if (command.examples !== undefined) {
    lines.push('', style.bold('Examples:'), ...command.examples.map((example) => `  ${example}`));
  }
  return lines.join('\n');
}

export function appCommandHelp(style: Style, found: FoundAppCommand): string {
  return [
    `${style.bold('Usage:')} carafe ${found.name} [arguments]`,
    '',
    found.command.description,
    '',
    `Defined by the app ${found.app}, which reads its own arguments. Give --config before the command name.`,
  ].join('\n');
}
