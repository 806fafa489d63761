// The caching app: listing it makes the `cache` setting the caches in use, closed on shutdown.
import { type AppDefinition, defineApp } from '../index.js';
import { closeCaches, useCacheConfig } from './registry.js';

/** `apps: [caching()]` with `cache: { default: { backend: 'redis', url } }` in carafe.config.ts. */
export function caching(): AppDefinition {
  return defineApp({
    name: 'carafe.cache',
    setup(app) {
      // The caches replaced (the built-in memory one, or an earlier app's) close in the background.
      useCacheConfig(app.config.cache).catch((error: unknown) => {
        app.logger.warn({ err: error }, 'closing the previous caches failed');
      });
      app.onShutdown(closeCaches);
    },
  });
}
