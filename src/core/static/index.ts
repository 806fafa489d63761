// Static files from one or more folders, confined to them: a request path can name a file
// inside a root and nothing else, whatever its encoding and whatever symlinks lie on disk.
import { realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { BadRequest, CarafeError, MethodNotAllowed, NotFound } from '../errors.js';
import { isMissingFileError } from '../http/file-send.js';
import { mimeType } from '../http/mime.js';
import { HttpResponse } from '../http/response.js';

export interface StaticRoot {
  /** The folder to serve; relative paths are taken from the working directory at startup. */
  dir: string;
}

export interface StaticOptions {
  /** Searched in order; the first that has the file wins (the project's folder before the apps'). */
  roots: readonly StaticRoot[];
  /** Seconds browsers may reuse a file without asking. Default 0: `no-cache`, revalidated by ETag. */
  maxAge?: number;
  /** File names that carry a content hash, cached for a year. Default `/\.[0-9a-f]{8,}\./` (`app.3f9a1c2e.js`). */
  immutablePattern?: RegExp;
}

/** The parts of the request the handler reads. */
export interface StaticRequest {
  readonly method: string;
}

/** Answers one static request; `relativePath` is the still percent-encoded part after the URL prefix. */
export type StaticHandler = (relativePath: string, req: StaticRequest) => Promise<HttpResponse>;

const oneYear = 31_536_000;

export function createStaticHandler(options: StaticOptions): StaticHandler {
  const maxAge = options.maxAge ?? 0;
  if (!Number.isInteger(maxAge) || maxAge < 0) {
    throw new CarafeError(
      'CARAFE_BAD_STATIC_OPTIONS',
      `Static maxAge must be a whole number of seconds (0 or more), got ${String(options.maxAge)}.`,
    );
  }
  if (options.roots.length === 0) {
    throw new CarafeError(
      'CARAFE_BAD_STATIC_OPTIONS',
      'createStaticHandler() needs at least one root folder: { roots: [{ dir: "static" }] }.',
    );
  }
  const roots = options.roots.map((root) => new Root(resolve(root.dir)));
  // Without `g`/`y`, whose lastIndex would make `test` alternate between calls.
  const immutablePattern = options.immutablePattern
    ? new RegExp(
        options.immutablePattern.source,
        options.immutablePattern.flags.replace(/[gy]/g, ''),
      )
    : /\.[0-9a-f]{8,}\./;
  const cacheControl = maxAge === 0 ? 'no-cache' : `public, max-age=${maxAge}`;
  const immutableCacheControl = `public, max-age=${oneYear}, immutable`;

  return async (relativePath, req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowed(['GET', 'HEAD']);
    const segments = safeSegments(relativePath);
    for (const root of roots) {
      const found = await root.find(segments);
      if (found === undefined) continue;
      const name = segments[segments.length - 1]!;
      const response = new HttpResponse({ kind: 'file', path: found.path, stat: found });
      response.headers['content-type'] = mimeType(name);
      response.headers['cache-control'] = immutablePattern.test(name)
        ? immutableCacheControl
        : cacheControl;
      return response;
    }
    throw new NotFound();
  };
}

/**
 * Decoded path segments that are plain names. Encoding is undone once, per segment, so an
 * encoded `/` stays inside its segment and is refused; a double-encoded `%252e` decodes to the
 * literal `%2e`, which is just a name that does not exist.
 */
function safeSegments(relativePath: string): string[] {
  const segments = relativePath.split('/');
  for (let i = 0; i < segments.length; i++) {
    let segment: string;
    try {
      segment = decodeURIComponent(segments[i]!);
    } catch {
      throw new BadRequest('The static file path has invalid percent-encoding.');
    }
    if (!isPlainName(segment)) throw new NotFound();
    segments[i] = segment;
  }
  return segments;
}

// Empty (`//`, a leading `/`, a trailing `/`), dotfiles and `.`/`..`, separators, NUL and other
// controls, and `:` (Windows drive letters and alternate data streams).
const forbiddenCharacter = /[/\\:\p{Cc}]/u;

function isPlainName(segment: string): boolean {
  return segment !== '' && !segment.startsWith('.') && !forbiddenCharacter.test(segment);
}

class Root {
  readonly #dir: string;
  #real: string | undefined;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The file's real path and stat, or undefined when it is missing, not a file, or outside. */
  async find(
    segments: readonly string[],
  ): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
    const root = await this.#realDir();
    if (root === undefined) return undefined;
    try {
      const path = await realpath(join(root, ...segments));
      // A symlink may point anywhere; only what really lies under the root is served.
      if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
      const info = await stat(path);
      if (!info.isFile()) return undefined;
      return { path, size: info.size, mtimeMs: info.mtimeMs };
    } catch (error) {
      if (isMissingFileError(error)) return undefined;
      throw error;
    }
  }

  // Resolved lazily and cached once found, so a folder created after startup is still served.
  async #realDir(): Promise<string | undefined> {
    if (this.#real !== undefined) return this.#real;
    try {
      this.#real = await realpath(this.#dir);
      return this.#real;
    } catch (error) {
      if (isMissingFileError(error)) return undefined;
      throw error;
    }
  }
}
