// Which real services the suite may talk to. On a laptop without them the suite skips
// each with one clear line; with CI=true a missing service is a failure, not a skip.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import type { Browser } from 'playwright-core';

export type ServiceName = 'postgres' | 'mariadb' | 'redis' | 'chromium';

/** Debian's browser, driven by playwright-core in the browser tests; `.ci/run` installs it. */
export const chromiumPath = '/usr/bin/chromium';

/** Debian's chromium, headless, with the flags the browser tests run it with. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const ports: Record<Exclude<ServiceName, 'chromium'>, number> = {
  postgres: 5432,
  mariadb: 3306,
  redis: 6379,
};

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

async function missing(name: ServiceName): Promise<string | undefined> {
  if (name === 'chromium')
    return existsSync(chromiumPath) ? undefined : `chromium is not installed at ${chromiumPath}`;
  return (await portOpen(ports[name]))
    ? undefined
    : `${name} is not reachable on 127.0.0.1:${ports[name]}`;
}

/**
 * Resolves to `false` when the service answers, or to a skip reason when it does not.
 * Under CI=true a missing service throws, so the run fails instead of skipping.
 */
export async function serviceSkip(name: ServiceName): Promise<false | string> {
  const problem = await missing(name);
  if (problem === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${problem}`);
  return `${problem}; its tests are skipped`;
}
