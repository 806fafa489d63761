// What `dev` and `serve` share: where to listen, and a port in use said plainly.
import { type Carafe, CarafeError, type ListenOptions, type RunningServer } from '../../index.js';
import { type Arguments, UsageError } from '../args.js';

function portFromEnvironment(): number {
  const text = process.env.PORT;
  if (text === undefined || text === '') return 8000;
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(port) || port > 65535) {
    throw new UsageError(`The PORT environment variable must be a port number (got "${text}").`);
  }
  return port;
}

export function addressOf(args: Arguments): { host: string; port: number } {
  const port = args.integer('port', portFromEnvironment(), 0);
  if (port > 65535) throw new UsageError(`--port must be at most 65535 (got ${port}).`);
  return { host: args.value('host') ?? '127.0.0.1', port };
}

export async function listen(app: Carafe, options: ListenOptions): Promise<RunningServer> {
  try {
    return await app.listen(options);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const reason =
        code === 'EADDRINUSE'
          ? 'is in use by another program'
          : code === 'EACCES'
            ? 'needs privileges this user does not have'
            : 'is not an address of this machine';
      throw new CarafeError(
        'CARAFE_CLI_LISTEN',
        `Cannot listen on ${options.host}:${options.port}: the ${code === 'EADDRNOTAVAIL' ? 'host' : 'port'} ${reason}. Choose another with --host or --port.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** What a server command returns: it runs until a signal, whose handler exits the process. */
export function untilExit(): Promise<number> {
  return new Promise<number>(() => {});
}
