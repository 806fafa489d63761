// One Redis connection, opened on first use, shared by the batteries that keep data in Redis
// (sessions, cache). Internal: not a package export. The client library is loaded only when a
// connection is first needed, so an app that never reaches Redis (or a test that only defines a
// store) loads nothing.
import type { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

export class LazyRedis {
  readonly #url: string;
  #connecting: Promise<RedisClient> | undefined;

  constructor(url: string) {
    this.#url = url;
  }

  /** The connected client; a failed attempt is forgotten, so the next call tries again. */
  client(): Promise<RedisClient> {
    this.#connecting ??= this.#connect().catch((error: unknown) => {
      this.#connecting = undefined;
      throw error;
    });
    return this.#connecting;
  }

  async #connect(): Promise<RedisClient> {
    const { createClient } = await import('redis');
    let wasReady = false;
    const client = createClient({
      url: this.#url,
      // A request must fail rather than hang while Redis is away: commands are not queued
      // offline, and a first connection that fails is reported at once instead of retried
      // forever. Once connected, a dropped connection is re-established in the background.
      disableOfflineQueue: true,
      socket: {
        reconnectStrategy: (retries: number, cause: Error) =>
          wasReady ? Math.min(100 * retries, 3000) : cause,
      },
    });
    client.on('ready', () => {
      wasReady = true;
    });
    // The client also reports each failure as an event, and Node crashes on an unheard 'error'.
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting === undefined) return;
    const client = await connecting.catch(() => undefined);
    if (client?.isOpen) await client.close();
  }
}
