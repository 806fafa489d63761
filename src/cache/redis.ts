// The Redis backend: one JSON string per entry, the time to live as the key's own expiry (PX),
// so Redis forgets expired entries itself and every process sharing the server sees the same
// cache. The client library is loaded and connected on first use.
import { LazyRedis } from '../redis/index.js';
import type { CacheBackend } from './backend.js';

// INCRBY alone would create a missing key (without expiry); Django's incr refuses one instead.
const INCREMENT_EXISTING = `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('INCRBY', KEYS[1], ARGV[1])`;

const expiration = (ttlMs: number | null) =>
  ttlMs === null ? {} : { expiration: { type: 'PX', value: ttlMs } as const };

const parse = (json: string | null): unknown => (json === null ? undefined : JSON.parse(json));

export class RedisBackend implements CacheBackend {
  readonly #prefix: string;
  readonly #redis: LazyRedis;

  constructor(url: string, prefix: string) {
    this.#redis = new LazyRedis(url);
    this.#prefix = prefix;
  }

  /** `prefix:version:key`, as Django's make_key. */
  #key(version: number, key: string): string {
    return `${this.#prefix}:${version}:${key}`;
  }

  async get(version: number, key: string): Promise<unknown> {
    return parse(await (await this.#redis.client()).get(this.#key(version, key)));
  }

  async getMany(version: number, keys: readonly string[]): Promise<unknown[]> {
    if (keys.length === 0) return [];
    const client = await this.#redis.client();
    return (await client.mGet(keys.map((key) => this.#key(version, key)))).map(parse);
  }

  async set(version: number, key: string, value: unknown, ttlMs: number | null): Promise<void> {
    const client = await this.#redis.client();
    await client.set(this.#key(version, key), JSON.stringify(value), expiration(ttlMs));
  }

  async add(version: number, key: string, value: unknown, ttlMs: number | null): Promise<boolean> {
    const client = await this.#redis.client();
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
    const transaction = (await this.#redis.client()).multi();
    for (const [key, value] of entries) {
      transaction.set(this.#key(version, key), JSON.stringify(value), expiration(ttlMs));
    }
    await transaction.exec();
  }

  async delete(version: number, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return (await this.#redis.client()).del(keys.map((key) => this.#key(version, key)));
  }

  async has(version: number, key: string): Promise<boolean> {
    return (await (await this.#redis.client()).exists(this.#key(version, key))) === 1;
  }

  async incr(
    version: number,
    key: string,
    delta: number,
  ): Promise<number | 'missing' | 'not-an-integer'> {
    const client = await this.#redis.client();
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
    const client = await this.#redis.client();
    // `prefix:` then a digit: every version of this cache, but not a cache whose prefix merely
    // starts with this one (`app` must not clear `app:admin`).
    const match = `${this.#prefix.replace(/[*?[\]\\]/g, '\\$&')}:[0-9]*`;
    for await (const keys of client.scanIterator({ MATCH: match, COUNT: 500 })) {
      if (keys.length > 0) await client.unlink(keys);
    }
  }

  close(): Promise<void> {
    return this.#redis.close();
  }
}
