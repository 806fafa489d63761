// What a cache needs from where it keeps entries. Keys arrive as the caller gave them, with the
// version to keep them under (the backend adds the cache's prefix where it shares a server);
// times to live in milliseconds (`null`: no expiry); a miss is `undefined`.
export interface CacheBackend {
  get(version: number, key: string): Promise<unknown>;
  getMany(version: number, keys: readonly string[]): Promise<unknown[]>;
  set(version: number, key: string, value: unknown, ttlMs: number | null): Promise<void>;
  /** Stores only when the key is absent; resolves to whether it stored. */
  add(version: number, key: string, value: unknown, ttlMs: number | null): Promise<boolean>;
  setMany(
    version: number,
    entries: readonly (readonly [string, unknown])[],
    ttlMs: number | null,
  ): Promise<void>;
  /** Resolves to how many of the keys existed. */
  delete(version: number, keys: readonly string[]): Promise<number>;
  has(version: number, key: string): Promise<boolean>;
  /** Adds `delta` to an integer entry, keeping its expiry, and resolves to the new value. */
  incr(version: number, key: string, delta: number): Promise<number | 'missing' | 'not-an-integer'>;
  /** Removes every entry of the cache, whatever its version. */
  clear(): Promise<void>;
  close(): Promise<void>;
}
