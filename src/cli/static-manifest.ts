// The manifest `carafe collectstatic` writes into staticRoot, and the URLs it gives templates:
// `static('css/site.css')` becomes `/static/css/site.3f2a1b9c.css`, a name browsers may cache
// for a year because a changed file gets a new one.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Carafe, CarafeError } from '../index.js';

export const manifestName = 'manifest.json';

/** `manifest.json`: each collected path to its hashed copy. */
export interface StaticManifest {
  readonly version: 1;
  readonly paths: Readonly<Record<string, string>>;
}

function isManifest(value: unknown): value is StaticManifest {
  if (typeof value !== 'object' || value === null) return false;
  const { version, paths } = value as { version?: unknown; paths?: unknown };
  return (
    version === 1 &&
    typeof paths === 'object' &&
    paths !== null &&
    Object.values(paths).every((path) => typeof path === 'string')
  );
}

/** The manifest in `staticRoot`, or `undefined` when there is none yet. */
function readManifest(staticRoot: string): StaticManifest | undefined {
  const file = join(resolve(staticRoot), manifestName);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isManifest(parsed)) {
    throw new CarafeError(
      'CARAFE_STATIC_MANIFEST',
      `${file} is not a manifest written by carafe collectstatic. Run carafe collectstatic again (or delete the file).`,
    );
  }
  return parsed;
}

/**
 * Makes `static()` in `app`'s templates give the hashed names of `staticRoot/manifest.json`.
 * Only outside debug mode, where files are collected; in debug the files are served as they are
 * being edited. Returns whether a manifest is in use. `carafe serve` calls it; call it yourself
 * when you start the app another way.
 */
export async function useStaticManifest(app: Carafe): Promise<boolean> {
  const root = app.config.staticRoot;
  if (app.config.debug || root === undefined) return false;
  const manifest = readManifest(root);
  if (manifest === undefined) return false;
  const { setStaticUrlResolver } = await import('../templates/index.js');
  const prefix = app.config.staticUrl;
  setStaticUrlResolver(app, (path) => {
    const hashed = manifest.paths[path] ?? path;
    return prefix + hashed.split('/').map(encodeURIComponent).join('/');
  });
  return true;
}
