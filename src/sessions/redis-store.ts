// Sessions in Redis: the cookie holds a random id, Redis the data, with the session's lifetime
// as the key's TTL so Redis forgets expired sessions on its own.
import type { createClient } from 'redis';
import {
  newSessionId,
  parseStoredSession,
  type SessionStore,
  type StoredSession,
} from './store.js';

export interface RedisSessionsOptions {
  /** `redis://[:password@]host[:port][/db]`; defaults to `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prefix of every key; defaults to `carafe:session:`. */
  prefix?: string;
}

/** A session store on Redis: `sessions({ backend: redisSessions({ url: env('REDIS_URL') }) })`. */
export function redisSessions(options: RedisSessionsOptions = {}): SessionStore {
  return new RedisSessionStore(options);
}

type Client = ReturnType<typeof createClient>;

class RedisSessionStore implements SessionStore {
  readonly #url: string;
  readonly #prefix: string;
  #connecting: Promise<Client> | undefined;

  constructor(options: RedisSessionsOptions) {
    this.#url = options.url ?? 'redis://127.0.0.1:6379';
    this.#prefix = options.prefix ?? 'carafe:session:';
  }

  // Loads the client library and connects on first use: an app that never reaches Redis (or a
  // test that only defines it) needs neither.
  #ready(): Promise<Client> {
    this.#connecting ??= this.#connect().catch((error: unknown) => {
      this.#connecting = undefined;
      throw error;
    });
    return this.#connecting;
  }

  async #connect(): Promise<Client> {
    const { createClient } = await import('redis');
    let wasReady = false;
    const client = createClient({
      url: this.#url,
      // A request must fail (500) rather than hang while Redis is away: commands are not queued
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

  async load(id: string): Promise<StoredSession | undefined> {
    const json = await (await this.#ready()).get(this.#prefix + id);
    return json === null ? undefined : parseStoredSession(json);
  }

  async save(id: string, session: StoredSession, ttlSeconds: number): Promise<void> {
    await (await this.#ready()).set(this.#prefix + id, JSON.stringify(session), {
      expiration: { type: 'EX', value: ttlSeconds },
    });
  }

  async create(session: StoredSession, ttlSeconds: number): Promise<string> {
    const client = await this.#ready();
    const json = JSON.stringify(session);
    // 192 random bits make a collision practically impossible; NX makes it impossible.
    for (;;) {
      const id = newSessionId();
      const reply = await client.set(this.#prefix + id, json, {
        condition: 'NX',
        expiration: { type: 'EX', value: ttlSeconds },
      });
      if (reply !== null) return id;
    }
  }

  async delete(id: string): Promise<void> {
    await (await this.#ready()).del(this.#prefix + id);
  }

  async exists(id: string): Promise<boolean> {
    return (await (await this.#ready()).exists(this.#prefix + id)) === 1;
  }

  async close(): Promise<void> {
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting === undefined) return;
    const client = await connecting.catch(() => undefined);
    if (client?.isOpen) await client.close();
  }
}
