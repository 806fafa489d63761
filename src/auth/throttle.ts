// Login throttling: failed attempts are counted per login name and per client address within a
// window; past the limit, `authenticate()` refuses before looking at the password. The counts
// live in a small store: in memory by default (one process), or a `carafe/cache` cache (Redis)
// when several processes serve the site.
import { CarafeError, HttpError, type HttpRequest } from '../index.js';

/** Where failure counts are kept. Every count lives `windowSeconds` from its first failure. */
export interface ThrottleStore {
  /** The failures counted under `key` in its current window (0 when none). */
  get(key: string): Promise<number>;
  /** Counts one more failure under `key`, opening a window if there is none; resolves to the count. */
  increment(key: string, windowSeconds: number): Promise<number>;
  /** Forgets `key`. */
  reset(key: string): Promise<void>;
}

export interface MemoryThrottleStoreOptions {
  /** Keys kept at most; the oldest are dropped first. 10,000 by default. */
  readonly maxKeys?: number;
  /** The clock, in milliseconds; `Date.now` by default (tests pass their own). */
  readonly now?: () => number;
}

/** A store in this process's memory: right for one process; counts vanish on restart. */
export class MemoryThrottleStore implements ThrottleStore {
  readonly #entries = new Map<string, { count: number; endsAt: number }>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: MemoryThrottleStoreOptions = {}) {
    const maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
      throw new CarafeError(
        'CARAFE_AUTH_OPTION',
        `MemoryThrottleStore({ maxKeys }) takes a whole number above 0, got ${String(maxKeys)}.`,
      );
    }
    this.#maxKeys = maxKeys;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<number> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return 0;
    if (entry.endsAt <= this.#now()) {
      this.#entries.delete(key);
      return 0;
    }
    return entry.count;
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.endsAt > now) {
      entry.count++;
      return entry.count;
    }
    // Deleting first moves the key to the end of the Map's order: the oldest windows come first.
    this.#entries.delete(key);
    this.#entries.set(key, { count: 1, endsAt: now + windowSeconds * 1000 });
    if (this.#entries.size > this.#maxKeys) this.#evict(now);
    return 1;
  }

  async reset(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Drops expired entries, then, if still too many, the oldest windows. */
  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.endsAt <= now) this.#entries.delete(key);
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxKeys) break;
      this.#entries.delete(key);
    }
  }
}

/** The part of a `carafe/cache` cache the throttle uses. */
export interface ThrottleCache {
  get<T = unknown>(key: string): Promise<T | undefined>;
  add(key: string, value: unknown, options?: { ttl?: number | null }): Promise<boolean>;
  incr(key: string, delta?: number): Promise<number>;
  delete(key: string): Promise<boolean>;
}

/**
 * A store over a `carafe/cache` cache, so every process behind a load balancer shares the counts:
 * `loginThrottle: { store: cacheThrottleStore(caches.get('default')) }` with a Redis cache.
 */
export function cacheThrottleStore(cache: ThrottleCache): ThrottleStore {
  return {
    async get(key) {
      const value = await cache.get<unknown>(key);
      return typeof value === 'number' ? value : 0;
    },
    async increment(key, windowSeconds) {
      // `add` opens the window only when there is none; `incr` keeps its expiry.
      await cache.add(key, 0, { ttl: windowSeconds });
      try {
        return await cache.incr(key);
      } catch (error) {
        // The window closed between the two calls: open a new one.
        if (!(error instanceof CarafeError && error.code === 'CARAFE_CACHE_MISSING_KEY'))
          throw error;
        await cache.add(key, 1, { ttl: windowSeconds });
        return 1;
      }
    },
    async reset(key) {
      await cache.delete(key);
    },
  };
}

export interface LoginThrottleOptions {
  /** Failed attempts allowed per login name within the window; 5 by default. */
  readonly perAccount?: number;
  /** Failed attempts allowed per client address within the window; 20 by default. */
  readonly perIp?: number;
  /** The window in seconds, counted from the first failure; 15 minutes by default. */
  readonly window?: number;
  /** Where counts are kept; a `MemoryThrottleStore` of this app by default. */
  readonly store?: ThrottleStore;
}

/** The 429 `authenticate()` throws while a login name or an address is throttled. */
export class LoginThrottled extends HttpError {
  constructor(windowSeconds: number) {
    const minutes = Math.max(1, Math.ceil(windowSeconds / 60));
    super(
      429,
      `Too many failed login attempts. Wait up to ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
      { code: 'CARAFE_AUTH_THROTTLED', headers: { 'Retry-After': String(windowSeconds) } },
    );
    this.name = 'LoginThrottled';
  }
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new CarafeError(
      'CARAFE_AUTH_OPTION',
      `auth({ loginThrottle: { ${name} } }) takes a whole number above 0, got ${String(value)}.`,
    );
  }
  return value;
}

/** The throttle of one app, built from `auth({ loginThrottle })`. */
export class LoginThrottle {
  readonly perAccount: number;
  readonly perIp: number;
  readonly window: number;
  readonly store: ThrottleStore;

  constructor(options: LoginThrottleOptions = {}) {
    this.perAccount = positiveInteger(options.perAccount ?? 5, 'perAccount');
    this.perIp = positiveInteger(options.perIp ?? 20, 'perIp');
    this.window = positiveInteger(options.window ?? 15 * 60, 'window');
    this.store = options.store ?? new MemoryThrottleStore();
  }

  /** Throws `LoginThrottled` when the name or the address used up its attempts. */
  async check(req: HttpRequest, username: string): Promise<void> {
    const ip = ipKey(req);
    const [account, address] = await Promise.all([
      this.store.get(accountKey(username)),
      ip === undefined ? 0 : this.store.get(ip),
    ]);
    if (account >= this.perAccount || address >= this.perIp) {
      throw new LoginThrottled(this.window);
    }
  }

  async failed(req: HttpRequest, username: string): Promise<void> {
    const ip = ipKey(req);
    await Promise.all([
      this.store.increment(accountKey(username), this.window),
      ip === undefined ? undefined : this.store.increment(ip, this.window),
    ]);
  }

  /**
   * A good password clears the name's count. The address keeps its count: one right password
   * must not let a guesser go on trying other names from there.
   */
  async succeeded(username: string): Promise<void> {
    await this.store.reset(accountKey(username));
  }
}

/** `Ada` and `ada` share one count, so changing case does not buy more guesses. */
function accountKey(username: string): string {
  return `carafe.auth.throttle:user:${username.normalize('NFKC').toLowerCase()}`;
}

function ipKey(req: HttpRequest): string | undefined {
  const ip = req.ip;
  return ip === undefined ? undefined : `carafe.auth.throttle:ip:${ip}`;
}
