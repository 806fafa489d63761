// The in-memory backend: per cache (two caches never share one) a Map of keys per version,
// whose entries are also linked from least to most recently used — a read relinks its entry,
// the least recently used one is evicted — with expiry checked on access. Keys are looked up
// as given (no prefix joined to each), and relinking moves two pointers where re-inserting the
// key into the Map would rehash the table over and over.
// Values are kept as they are, not copied: what `get` returns is the object `set` was given.
import type { CacheBackend } from './backend.js';

interface Entry {
  readonly version: number;
  readonly key: string;
  value: unknown;
  /** `Date.now()` time after which the entry is gone; Infinity for none. */
  expiresAt: number;
  older: Entry | undefined;
  newer: Entry | undefined;
}

export class MemoryBackend implements CacheBackend {
  readonly #versions = new Map<number, Map<string, Entry>>();
  #size = 0;
  readonly #maxEntries: number;
  #oldest: Entry | undefined;
  #newest: Entry | undefined;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  #unlink(entry: Entry): void {
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  #linkNewest(entry: Entry): void {
    entry.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }

  #remove(entry: Entry): void {
    this.#unlink(entry);
    this.#versions.get(entry.version)?.delete(entry.key);
    this.#size--;
  }

  #live(version: number, key: string, now: number): Entry | undefined {
    const entry = this.#versions.get(version)?.get(key);
    if (entry === undefined || entry.expiresAt > now) return entry;
    this.#remove(entry);
    return undefined;
  }

  #read(version: number, key: string, now: number): unknown {
    const entry = this.#live(version, key, now);
    if (entry === undefined) return undefined;
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#linkNewest(entry);
    }
    return entry.value;
  }

  #write(version: number, key: string, value: unknown, ttlMs: number | null, now: number): void {
    const expiresAt = ttlMs === null ? Infinity : now + ttlMs;
    let entries = this.#versions.get(version);
    if (entries === undefined) {
      entries = new Map();
      this.#versions.set(version, entries);
    }
    const existing = entries.get(key);
    if (existing !== undefined) {
      existing.value = value;
      existing.expiresAt = expiresAt;
      this.#unlink(existing);
      this.#linkNewest(existing);
      return;
    }
    const entry: Entry = { version, key, value, expiresAt, older: undefined, newer: undefined };
    entries.set(key, entry);
    this.#size++;
    this.#linkNewest(entry);
    if (this.#size > this.#maxEntries && this.#oldest !== undefined) this.#remove(this.#oldest);
  }

  async get(version: number, key: string): Promise<unknown> {
    return this.#read(version, key, Date.now());
  }

  async getMany(version: number, keys: readonly string[]): Promise<unknown[]> {
    const now = Date.now();
    return keys.map((key) => this.#read(version, key, now));
  }

  async set(version: number, key: string, value: unknown, ttlMs: number | null): Promise<void> {
    this.#write(version, key, value, ttlMs, Date.now());
  }

  async add(version: number, key: string, value: unknown, ttlMs: number | null): Promise<boolean> {
    const now = Date.now();
    if (this.#live(version, key, now) !== undefined) return false;
    this.#write(version, key, value, ttlMs, now);
    return true;
  }

  async setMany(
    version: number,
    entries: readonly (readonly [string, unknown])[],
    ttlMs: number | null,
  ): Promise<void> {
    const now = Date.now();
    for (const [key, value] of entries) this.#write(version, key, value, ttlMs, now);
  }

  async delete(version: number, keys: readonly string[]): Promise<number> {
    const now = Date.now();
    let deleted = 0;
    for (const key of keys) {
      const entry = this.#live(version, key, now);
      if (entry === undefined) continue;
      this.#remove(entry);
      deleted++;
    }
    return deleted;
  }

  async has(version: number, key: string): Promise<boolean> {
    return this.#live(version, key, Date.now()) !== undefined;
  }

  async incr(
    version: number,
    key: string,
    delta: number,
  ): Promise<number | 'missing' | 'not-an-integer'> {
    const entry = this.#live(version, key, Date.now());
    if (entry === undefined) return 'missing';
    if (typeof entry.value !== 'number' || !Number.isSafeInteger(entry.value)) {
      return 'not-an-integer';
    }
    entry.value += delta;
    return entry.value;
  }

  /** A memory backend holds the entries of one cache only: all of them go. */
  async clear(): Promise<void> {
    this.#versions.clear();
    this.#size = 0;
    this.#oldest = undefined;
    this.#newest = undefined;
  }

  async close(): Promise<void> {
    await this.clear();
  }
}
