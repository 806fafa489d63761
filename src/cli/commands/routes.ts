// carafe routes: the compiled routes, as the router will match them.
import type { Arguments } from '../args.js';
import type { CommandContext } from '../context.js';
import { table } from '../terminal.js';

export async function runRoutes(args: Arguments, context: CommandContext): Promise<number> {
  const { app } = await context.openProject();
  const routes = app.listRoutes();
  const { terminal } = context;
  if (args.flag('json')) {
    terminal.print(JSON.stringify(routes, null, 2));
    return 0;
  }
  if (routes.length === 0) {
    terminal.print('No routes. Routes come from the apps listed in carafe.config.ts.');
    return 0;
  }
  const [header, ...rows] = table([
    ['Name', 'Methods', 'Pattern', 'Handler'],
    ...routes.map((route) => [route.name, route.methods.join(','), route.pattern, route.handler]),
  ]);
  terminal.print(terminal.out.bold(header!));
  for (const row of rows) terminal.print(row);
  return 0;
}
