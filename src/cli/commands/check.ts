// carafe check [--deploy]: prints what the checks found; errors (or, with --fail-level warning,
// warnings too) make the exit status 1.
import { type Arguments, UsageError } from '../args.js';
import { type CheckMessage, systemChecks } from '../checks.js';
import type { CommandContext } from '../context.js';
import { deployChecks } from '../deploy-checks.js';
import type { Terminal } from '../terminal.js';

function show(terminal: Terminal, message: CheckMessage): void {
  const { out } = terminal;
  const level = message.level === 'error' ? out.red('error') : out.yellow('warning');
  terminal.print(`${out.bold(message.id)} (${level}): ${message.message}`);
  if (message.hint !== undefined) terminal.print(`    ${out.dim(`Hint: ${message.hint}`)}`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export async function runCheck(args: Arguments, context: CommandContext): Promise<number> {
  const failLevel = args.value('fail-level') ?? 'error';
  if (failLevel !== 'error' && failLevel !== 'warning') {
    throw new UsageError(`--fail-level must be error or warning (got "${failLevel}").`);
  }
  const ignored = new Set(args.values('ignore'));
  const { app, written, root } = await context.openProject();
  const target = { app, written, root };
  const found = [
    ...(await systemChecks(target)),
    ...(args.flag('deploy') ? await deployChecks(target) : []),
  ];
  const shown = found.filter((message) => !ignored.has(message.id));
  const { terminal } = context;
  for (const message of shown) show(terminal, message);
  const errors = shown.filter((message) => message.level === 'error').length;
  const warnings = shown.length - errors;
  const silenced = found.length - shown.length;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning')];
  const summary =
    shown.length === 0
      ? 'no problems'
      : counts.filter((count) => !count.startsWith('0 ')).join(' and ');
  terminal.print(
    `${shown.length > 0 ? '\n' : ''}System check found ${summary}${silenced > 0 ? ` (${silenced} ignored)` : ''}.`,
  );
  return errors > 0 || (failLevel === 'warning' && warnings > 0) ? 1 : 0;
}
