// Which real services the suite may talk to. On a laptop without them the suite skips
// each with one clear line; with CI=true a missing service is a failure, not a skip.
import { connect } from 'node:net';

export type ServiceName = 'postgres' | 'mariadb' | 'redis';

const ports: Record<ServiceName, number> = { postgres: 5432, mariadb: 3306, redis: 6379 };

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Resolves to `false` when the service answers, or to a skip reason when it does not.
 * Under CI=true a missing service throws, so the run fails instead of skipping.
 */
export async function serviceSkip(name: ServiceName): Promise<false | string> {
  if (await portOpen(ports[name])) return false;
  const reason = `${name} is not reachable on 127.0.0.1:${ports[name]}; its tests are skipped`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason.split(';')[0]}`);
  return reason;
}
