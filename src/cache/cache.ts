// A named cache as handlers use it: Django's cache API over a backend, each key kept under the
// cache's version (or the call's), and in Redis under its prefix too (`prefix:version:key`).
import { CarafeError } from '../index.js';
import type { CacheBackend } from './backend.js';
import { missingKeyError, notAnIntegerError } from './errors.js';
import { ttlMilliseconds } from './settings.js';

export interface KeyOptions {
  /** Overrides the cache's `version` for this call. */
  version?: number | undefined;
}

export interface SetOptions extends KeyOptions {
  /** Seconds the entry lives (fractions allowed), `null` for no expiry. Default: the cache's `ttl`. */
  ttl?: number | null | undefined;
}

/** What `cache` and `caches.get(name)` give: every method returns a promise. */
export interface Cache {
  /** The name in the `cache` setting. */
  readonly alias: string;
  /** The value, or `undefined` on a miss (never set, expired, evicted or deleted). */
  get<T = unknown>(key: string, options?: KeyOptions): Promise<T | undefined>;
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** Sets only when the key is absent; resolves to whether it did. */
  add(key: string, value: unknown, options?: SetOptions): Promise<boolean>;
  /** The cached value, or `compute()`'s result, stored first. */
  getOrSet<T>(key: string, compute: () => T | Promise<T>, options?: SetOptions): Promise<T>;
  /** The entries found, by the keys given; missing keys are left out. */
  getMany<T = unknown>(keys: readonly string[], options?: KeyOptions): Promise<Map<string, T>>;
  setMany(
    entries: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>,
    options?: SetOptions,
  ): Promise<void>;
  /** Resolves to whether the key was there. */
  delete(key: string, options?: KeyOptions): Promise<boolean>;
  /** Resolves to how many of the keys were there. */
  deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number>;
  has(key: string, options?: KeyOptions): Promise<boolean>;
  /** Adds `delta` (default 1) to an integer entry, keeping its expiry; a missing key is an error. */
  incr(key: string, delta?: number, options?: KeyOptions): Promise<number>;
  decr(key: string, delta?: number, options?: KeyOptions): Promise<number>;
  /** Removes every entry under this cache's prefix, whatever its version. */
  clear(): Promise<void>;
  /** Closes the connection of a Redis cache (a memory cache is emptied). */
  close(): Promise<void>;
}

export interface CacheSettings {
  readonly ttlMs: number | null;
  readonly version: number;
}

function failOption(path: string, problem: string, fix: string): never {
  throw new CarafeError('CARAFE_CACHE_OPTION', `${path} ${problem}. ${fix}`);
}

function checkValue(key: string, value: unknown): void {
  if (value === undefined) {
    throw new CarafeError(
      'CARAFE_CACHE_VALUE',
      `Cannot cache undefined under ${JSON.stringify(key)}: undefined is what get() returns on a miss. Store null instead, or delete the key.`,
    );
  }
}

function checkDelta(delta: number): void {
  if (!Number.isSafeInteger(delta)) {
    failOption(
      'incr()/decr() delta',
      `must be an integer (got ${delta})`,
      'Give a whole number such as 1.',
    );
  }
}

export class BackendCache implements Cache {
  readonly alias: string;
  readonly #backend: CacheBackend;
  readonly #settings: CacheSettings;

  constructor(alias: string, backend: CacheBackend, settings: CacheSettings) {
    this.alias = alias;
    this.#backend = backend;
    this.#settings = settings;
  }

  #version(options: KeyOptions | undefined): number {
    const version = options?.version;
    if (version === undefined) return this.#settings.version;
    if (!Number.isSafeInteger(version) || version < 0) {
      failOption(
        'version',
        `must be a whole number ≥ 0 (got ${version})`,
        'Give a version such as 2.',
      );
    }
    return version;
  }

  #ttl(options: SetOptions | undefined): number | null {
    const ttl = options?.ttl;
    return ttl === undefined ? this.#settings.ttlMs : ttlMilliseconds(ttl, 'ttl', failOption);
  }

  async get<T = unknown>(key: string, options?: KeyOptions): Promise<T | undefined> {
    // The caller names the type it stored: the cache cannot check it, as Django's cannot.
    return (await this.#backend.get(this.#version(options), key)) as T | undefined;
  }

  async set(key: string, value: unknown, options?: SetOptions): Promise<void> {
    checkValue(key, value);
    await this.#backend.set(this.#version(options), key, value, this.#ttl(options));
  }

  async add(key: string, value: unknown, options?: SetOptions): Promise<boolean> {
    checkValue(key, value);
    return this.#backend.add(this.#version(options), key, value, this.#ttl(options));
  }

  async getOrSet<T>(key: string, compute: () => T | Promise<T>, options?: SetOptions): Promise<T> {
    const cached = await this.get<T>(key, options);
    if (cached !== undefined) return cached;
    const value = await compute();
    await this.set(key, value, options);
    return value;
  }

  async getMany<T = unknown>(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<Map<string, T>> {
    const values = await this.#backend.getMany(this.#version(options), keys);
    const found = new Map<string, T>();
    for (let i = 0; i < keys.length; i++) {
      const value = values[i];
      if (value !== undefined) found.set(keys[i]!, value as T);
    }
    return found;
  }

  async setMany(
    entries: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>,
    options?: SetOptions,
  ): Promise<void> {
    const list = Symbol.iterator in entries ? [...entries] : Object.entries(entries);
    for (const [key, value] of list) checkValue(key, value);
    await this.#backend.setMany(this.#version(options), list, this.#ttl(options));
  }

  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    return (await this.#backend.delete(this.#version(options), [key])) > 0;
  }

  async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return this.#backend.delete(this.#version(options), keys);
  }

  async has(key: string, options?: KeyOptions): Promise<boolean> {
    return this.#backend.has(this.#version(options), key);
  }

  async incr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    checkDelta(delta);
    const result = await this.#backend.incr(this.#version(options), key, delta);
    if (result === 'missing') throw missingKeyError(key);
    if (result === 'not-an-integer') throw notAnIntegerError(key);
    return result;
  }

  async decr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    checkDelta(delta);
    return this.incr(key, -delta, options);
  }

  clear(): Promise<void> {
    return this.#backend.clear();
  }

  close(): Promise<void> {
    return this.#backend.close();
  }
}
