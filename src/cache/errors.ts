// The errors a cache call can raise, worded once for both backends.
import { CarafeError } from '../index.js';

export function missingKeyError(key: string): CarafeError {
  return new CarafeError(
    'CARAFE_CACHE_MISSING_KEY',
    `Cannot increment ${JSON.stringify(key)}: the cache has no such entry (never set, expired or evicted). ` +
      'Create it first, e.g. await cache.add(key, 0) (which leaves an existing entry alone), then incr().',
  );
}

export function notAnIntegerError(key: string): CarafeError {
  return new CarafeError(
    'CARAFE_CACHE_NOT_AN_INTEGER',
    `Cannot increment ${JSON.stringify(key)}: its value is not an integer. incr() and decr() work on entries set to whole numbers.`,
  );
}
