// Which real services the suite may talk to. On a laptop without them the suite skips
// each with one clear line; with CI=true a missing service is a failure, not a skip.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { Carafe } from '../../src/index.js';

export type ServiceName = 'postgres' | 'mariadb' | 'redis' | 'chromium';

/** Debian's browser, driven by playwright-core in the browser tests; `.ci/run` installs it. */
export const chromiumPath = '/usr/bin/chromium';

/** Debian's chromium, headless, with the flags the browser tests run it with. */
async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The app on the real Node server and a Chromium page to drive it. */
export interface BrowserSession {
  /** The server's URL, without a trailing slash. */
  readonly base: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Closes the browser, then the server. */
  close(): Promise<void>;
}

/** Starts `app` on a free port and Chromium side by side, and opens one page. */
export async function openBrowserSession(
  app: Carafe,
  pageOptions?: Parameters<Browser['newPage']>[0],
): Promise<BrowserSession> {
  const [server, browser] = await Promise.all([
    app.listen({ port: 0, handleSignals: false }),
    launchChromium(),
  ]);
  const page = await browser.newPage(pageOptions);
  // A missing element should fail the step quickly, not after Playwright's 30 s default.
  page.setDefaultTimeout(5_000);
  return {
    base: server.url,
    browser,
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
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
