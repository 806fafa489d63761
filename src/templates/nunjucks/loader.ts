// Finds template files in an ordered list of folders: the project's first, so a project's
// `admin/change_list.html` overrides the admin app's. Without the cache, a template whose file
// changed (or that a higher folder now overrides) is read again: edits show on the next render
// without a file watcher.
import { readFileSync, type Stats, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { CarafeError } from '../../index.js';
import type { CompiledTemplate, LoaderSource, SourceLoader } from './internals.js';

interface LoadedFile {
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

export class FolderLoader implements SourceLoader {
  /** Filled and read by Nunjucks: compiled templates by name. */
  cache: Record<string, CompiledTemplate | null | undefined> = {};
  readonly folders: readonly string[];
  readonly #loaded = new Map<string, LoadedFile>();
  readonly #names = new Map<string, string>();

  constructor(folders: readonly string[]) {
    this.folders = folders.map((folder) => resolve(folder));
  }

  getSource(name: string): LoaderSource | null {
    const found = this.#locate(name);
    if (found === undefined) return null;
    const src = readFileSync(found.path, 'utf8');
    this.#loaded.set(name, found);
    this.#names.set(found.path, name);
    return { src, path: found.path, noCache: false };
  }

  /** The template name a loaded file was found under (Nunjucks reports files by path). */
  nameOf(path: string): string | undefined {
    return this.#names.get(path);
  }

  /** Drops the compiled template when its file changed or a higher folder now overrides it. */
  refresh(name: string): void {
    const loaded = this.#loaded.get(name);
    if (loaded === undefined) return;
    const current = this.#locate(name);
    if (
      current === undefined ||
      current.path !== loaded.path ||
      current.mtimeMs !== loaded.mtimeMs ||
      current.size !== loaded.size
    ) {
      this.#loaded.delete(name);
      this.cache[name] = undefined;
    }
  }

  notFound(name: string, referencedFrom: string | undefined): CarafeError {
    const searched =
      this.folders.length === 0
        ? '  (no template folders are configured)'
        : this.folders.map((folder) => `  - ${join(folder, name)}`).join('\n');
    const from = referencedFrom === undefined ? '' : ` (referenced from ${referencedFrom})`;
    return new CarafeError(
      'CARAFE_TEMPLATE_NOT_FOUND',
      `Template "${name}" not found${from}. Searched:\n${searched}\n` +
        'Check the name, or add the folder that holds it to templates.dirs in the config ' +
        '(or pass { templates: folder } to defineApp or new Blueprint).',
    );
  }

  #locate(name: string): LoadedFile | undefined {
    checkTemplateName(name);
    for (const folder of this.folders) {
      const path = join(folder, name);
      if (!path.startsWith(folder + sep)) continue;
      const stats = fileStats(path);
      if (stats?.isFile()) return { path, mtimeMs: stats.mtimeMs, size: stats.size };
    }
    return undefined;
  }
}

function fileStats(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // e.g. ENOTDIR: a path segment is a file
  }
}

/** Names are relative to the template folders; `..`, absolute paths and backslashes could leave them. */
function checkTemplateName(name: string): void {
  const problem =
    name === ''
      ? 'is empty'
      : isAbsolute(name) || /^[a-z]:/i.test(name)
        ? 'is an absolute path'
        : name.includes('\\')
          ? 'contains a backslash'
          : name.includes('\0')
            ? 'contains a NUL character'
            : name.split('/').includes('..')
              ? 'contains a ".." segment'
              : undefined;
  if (problem === undefined) return;
  throw new CarafeError(
    'CARAFE_TEMPLATE_NAME',
    `Template name ${JSON.stringify(name)} ${problem}. Name templates by their path inside a template folder, with forward slashes: 'polls/index.html'.`,
  );
}
