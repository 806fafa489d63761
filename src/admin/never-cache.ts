// Admin pages show private data and one-time tokens: no browser or proxy may keep a copy to show
// again (from the back button after logging out, or to the next user of a shared cache), as
// Django's admin says with `never_cache`. A view that chose its own caching keeps it.
import type { Middleware } from '../index.js';

const noStore = 'max-age=0, no-cache, no-store, must-revalidate, private';

export const neverCache: Middleware = async (_req, next) => {
  const res = await next();
  if (res.header('cache-control') === undefined) res.setHeader('Cache-Control', noStore);
  return res;
};
