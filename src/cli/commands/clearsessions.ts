// carafe clearsessions: deletes expired rows of the database session store (Django's command).
import type { Arguments } from '../args.js';
import type { CommandContext } from '../context.js';

export async function runClearSessions(args: Arguments, context: CommandContext): Promise<number> {
  const { app } = await context.openProject();
  const { terminal } = context;
  if (!app.apps.some((definition) => definition.name === 'carafe.sessions')) {
    terminal.print('The sessions app is not listed in apps; there are no sessions to clear.');
    return 0;
  }
  const { clearExpiredSessions } = await import('../../sessions/index.js');
  const deleted = await clearExpiredSessions({ using: args.value('database') });
  terminal.print(`Deleted ${deleted} expired session${deleted === 1 ? '' : 's'}.`);
  return 0;
}
