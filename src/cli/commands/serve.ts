// carafe serve: the app in production mode, with workers.
import cluster from 'node:cluster';
import { closeDatabases } from '../../db/index.js';
import { type CarafeConfig, CarafeError } from '../../index.js';
import type { Arguments } from '../args.js';
import type { CommandContext } from '../context.js';
import { useStaticManifest } from '../static-manifest.js';
import { addressOf, listen, untilExit } from './listen.js';

/** The two settings production cannot do without, refused in one line before anything starts. */
function refuseInsecure(config: CarafeConfig): void {
  const missing: string[] = [];
  if (typeof config.secretKey !== 'string' || config.secretKey === '') missing.push('secretKey');
  if (!Array.isArray(config.allowedHosts) || config.allowedHosts.length === 0) {
    missing.push('allowedHosts');
  }
  if (missing.length === 0) return;
  throw new CarafeError(
    'CARAFE_CLI_SERVE_INSECURE',
    `carafe serve runs with debug off and refuses to start without ${missing.join(' and ')}: write secretKey: env('SECRET_KEY') and allowedHosts: env.list('ALLOWED_HOSTS') in carafe.config.ts and set those variables (carafe dev is for your own machine).`,
  );
}

export async function runServe(args: Arguments, context: CommandContext): Promise<number> {
  const { host, port } = addressOf(args);
  const workers = args.integer('workers', 1, 1);
  const { app } = await context.openProject({
    debug: false,
    quiet: false,
    inspect: refuseInsecure,
  });
  app.onShutdown(closeDatabases);
  await useStaticManifest(app);
  const server = await listen(app, { host, port, workers });
  if (cluster.isPrimary) {
    const processes = workers > 1 ? ` with ${workers} workers` : '';
    context.terminal.print(
      `Carafe is serving on ${context.terminal.out.bold(`${server.url}/`)}${processes} (production mode; Ctrl-C or SIGTERM stops it).`,
    );
  }
  return untilExit();
}
