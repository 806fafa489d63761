// Sessions in Redis: the cookie holds a random id, Redis the data, with the session's lifetime
// as the key's TTL so Redis forgets expired sessions on its own.
import { LazyRedis } from '../redis/index.js';
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

class RedisSessionStore implements SessionStore {
  readonly #prefix: string;
  readonly #redis: LazyRedis;

  constructor(options: RedisSessionsOptions) {
    this.#redis = new LazyRedis(options.url ?? 'redis://127.0.0.1:6379');
    this.#prefix = options.prefix ?? 'carafe:session:';
  }

  async load(id: string): Promise<StoredSession | undefined> {
    const json = await (await this.#redis.client()).get(this.#prefix + id);
    return json === null ? undefined : parseStoredSession(json);
  }

  async save(id: string, session: StoredSession, ttlSeconds: number): Promise<void> {
    await (await this.#redis.client()).set(this.#prefix + id, JSON.stringify(session), {
      expiration: { type: 'EX', value: ttlSeconds },
    });
  }

  async create(session: StoredSession, ttlSeconds: number): Promise<string> {
    const client = await this.#redis.client();
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
    await (await this.#redis.client()).del(this.#prefix + id);
  }

  async exists(id: string): Promise<boolean> {
    return (await (await this.#redis.client()).exists(this.#prefix + id)) === 1;
  }

  close(): Promise<void> {
    return this.#redis.close();
  }
}
