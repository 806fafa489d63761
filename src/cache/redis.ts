// The Redis backend: one JSON string per entry, the time to live as the key's own expiry (PX),
// so Redis forgets expired entries itself and every process sharing the server sees the same
// cache. The client library is loaded and connected on first use.
import type { createClient } from 'redis';
import type { CacheBackend } from './backend.js';

type Client = ReturnType<typeof createClient>;

// INCRBY alone would create a missing key (without expiry); Django's incr refuses one instead.
const INCREMENT_EXISTING = `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('INCRBY', KEYS[1], ARGV[1])`;

const expiration = (ttlMs: number | null) =>
  ttlMs === null ? {} : { expiration: { type: 'PX', value: ttlMs } as const };

const parse = (json: string | null): unknown => (json === null ? undefined : JSON.parse(json));

export class RedisBackend implements CacheBackend {
  readonly #url: string;
  readonly #prefix: string;
  #connecting: Promise<Client> | undefined;

  constructor(url: string, prefix: string) {
    this.#url = url;
    this.#prefix = prefix;
  }

  /** `prefix:version:key`, as Django's make_key. */
  #key(version: number, key: string): string {
    return `${this.#prefix}:${version}:${key}`;
  }

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
      // As the Redis sessions: a call fails at once while Redis is away rather than hanging,
      // and a dropped connection is re-established in the background once it has worked.
      disableOfflineQueue: true,
      socket: {
        reconnectStrategy: (retries: number, cause: Error) =>
          wasReady ? Math.min(100 * retries, 3000) : cause,
      },
    });
    client.on('ready', () => {
      wasReady = true;
    });
    // Failures also arrive as events, and Node crashes on an unheard 'error'.
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  async get(version: number, key: string): Promise<unknown> {
    return parse(await (await this.#ready()).get(this.#key(version, key)));
  }

  async getMany(version: number, keys: readonly string[]): Promise<unknown[]> {
    if (keys.length === 0) return [];
    const client = await this.#ready();
    return (await client.mGet(keys.map((key) => this.#key(version, key)))).map(parse);
  }

  async set(version: number, key: string, value: unknown, ttlMs: number | null): Promise<void> {
    const client = await this.#ready();
    await client.set(this.#key(version, key), JSON.stringify(value), expiration(ttlMs));
  }

  async add(version: number, key: string, value: unknown, ttlMs: number | null): Promise<boolean> {
    const client = await this.#ready();
    const reply = await client.set(this.#key(version, key), JSON.stringify(value), {
      condition: 'NX',
      ...expiration(ttlMs),
    });
    return reply !== null;
  }

  async setMany(
    version: number,
    entries: readonly (readonly [string, unknown])[],
    ttlMs: number | null,
  ): Promise<void> {
    if (entries.length === 0) return;
    const transaction = (await this.#ready()).multi();
    for (const [key, value] of entries) {
      transaction.set(this.#key(version, key), JSON.stringify(value), expiration(ttlMs));
    }
    await transaction.exec();
  }

  async delete(version: number, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return (await this.#ready()).del(keys.map((key) => this.#key(version, key)));
  }

  async has(version: number, key: string): Promise<boolean> {
    return (await (await this.#ready()).exists(this.#key(version, key))) === 1;
  }

  async incr(
    version: number,
    key: string,
    delta: number,
  ): Promise<number | 'missing' | 'not-an-integer'> {
    const client = await this.#ready();
    try {
      const reply = await client.eval(INCREMENT_EXISTING, {
        keys: [this.#key(version, key)],
        arguments: [String(delta)],
      });
      return typeof reply === 'number' ? reply : 'missing';
    } catch (error) {
      if (error instanceof Error && error.message.includes('not an integer')) {
        return 'not-an-integer';
      }
      throw error;
    }
  }

  async clear(): Promise<void> {
    const client = await this.#ready();
    // `prefix:` then a digit: every version of this cache, but not a cache whose prefix merely
    // starts with this one (`app` must not clear `app:admin`).
    const match = `${this.#prefix.replace(/[*?[\]\\]/g, '\\$&')}:[0-9]*`;
    for await (const keys of client.scanIterator({ MATCH: match, COUNT: 500 })) {
      if (keys.length > 0) await client.unlink(keys);
    }
  }

  async close(): Promise<void> {
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting === undefined) return;
    const client = await connecting.catch(() => undefined);
    if (client?.isOpen) await client.close();
  }
}
