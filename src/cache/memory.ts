// The in-memory backend: per cache (two caches never share one) a Map of keys per version,
// whose entries are also linked from oldest to newest write, with expiry checked on access.
// Eviction is the clock (second-chance) approximation of LRU: a read only marks its entry as
// used; when room is needed, the oldest entry goes unless it was used since it last came up,
// in which case it is unmarked and moved to the newest end. A read thus writes one field of its
// own entry, where relinking it as strict LRU does touched three other entries scattered in
// memory — about a quarter of the cost of a 100-key getMany. Keys are looked up as given (no prefix
// joined to each). Values are kept as they are, not copied: what `get` returns is the object
// `set` was given.
import type { CacheBackend } from './backend.js';

interface Entry {
  readonly version: number;
  readonly key: string;
  value: unknown;
  /** `Date.now()` time after which the entry is gone; Infinity for none. */
  expiresAt: number;
  /** Read since it was written or last spared by eviction. */
  used: boolean;
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
    return this.#unexpired(this.#versions.get(version)?.get(key), now);
  }

  #unexpired(entry: Entry | undefined, now: number): Entry | undefined {
    if (entry === undefined || entry.expiresAt > now) return entry;
    this.#remove(entry);
    return undefined;
  }

  #read(entry: Entry | undefined, now: number): unknown {
    const live = this.#unexpired(entry, now);
    if (live === undefined) return undefined;
    live.used = true;
    return live.value;
  }

  /** Drops the oldest entry not used since it last came up; used ones get a second chance. */
  #evictOne(): void {
    let oldest = this.#oldest;
    while (oldest !== undefined && oldest.used) {
      oldest.used = false;
      this.#unlink(oldest);
      this.#linkNewest(oldest);
      oldest = this.#oldest;
    }
    if (oldest !== undefined) this.#remove(oldest);
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
      // A rewrite is a use, and makes the entry the newest write.
      existing.value = value;
      existing.expiresAt = expiresAt;
      existing.used = true;
      this.#unlink(existing);
      this.#linkNewest(existing);
      return;
    }
    // Room is made before linking, so the entry being written is never the one evicted.
    if (this.#size >= this.#maxEntries) this.#evictOne();
    const entry: Entry = {
      version,
      key,
      value,
      expiresAt,
      used: false,
      older: undefined,
      newer: undefined,
    };
    entries.set(key, entry);
    this.#size++;
    this.#linkNewest(entry);
  }

  async get(version: number, key: string): Promise<unknown> {
    return this.#read(this.#versions.get(version)?.get(key), Date.now());
  }

  async getMany(version: number, keys: readonly string[]): Promise<unknown[]> {
    const entries = this.#versions.get(version);
    const now = Date.now();
    const values: unknown[] = [];
    for (const key of keys) values.push(this.#read(entries?.get(key), now));
    return values;
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
    entry.used = true;
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
