// What `carafe new` and `carafe startapp` share: the templates in ./templates/ rendered with a
// few values, and written only when none of the files exists yet.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CarafeError } from '../index.js';

// Two folders up and back down, so this resolves to the shipped src/cli/templates/ from both
// src/cli/ and the compiled dist/cli/ (tsc does not copy the templates).
const templatesRoot = fileURLToPath(new URL('../../src/cli/templates/', import.meta.url));

export interface RenderedFile {
  /** Relative to the target folder, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

function listFiles(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(folder, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

function fill(text: string, values: Readonly<Record<string, string>>, where: string): string {
  return text.replace(/__([A-Za-z]+)__/g, (_match, key: string) => {
    const value = values[key];
    // A typo in a template would otherwise reach the user's project unnoticed.
    if (value === undefined) throw new Error(`Template ${where} uses an unknown key __${key}__`);
    return value;
  });
}

/** The files of template `name` ('project' or 'app'), paths and contents filled in. */
export function renderTemplate(
  name: 'project' | 'app',
  values: Readonly<Record<string, string>>,
): RenderedFile[] {
  const folder = join(templatesRoot, name);
  return listFiles(folder)
    .filter((path) => path.endsWith('.tmpl'))
    .sort()
    .map((source) => {
      const path = fill(source.slice(0, -'.tmpl'.length), values, source)
        .split('/')
        .map((part) => (part.startsWith('_') ? `.${part.slice(1)}` : part))
        .join('/');
      // JSON files get their values escaped (a Windows path in "file:C:\\…").
      const escaped = path.endsWith('.json')
        ? Object.fromEntries(
            Object.entries(values).map(([key, value]) => [key, JSON.stringify(value).slice(1, -1)]),
          )
        : values;
      return { path, content: fill(readFileSync(join(folder, source), 'utf8'), escaped, source) };
    });
}

/**
 * Writes `files` under `target`. Nothing is written when any of them exists already, so a failed
 * run never leaves half a project over someone's files.
 */
export function writeFiles(target: string, files: readonly RenderedFile[]): void {
  const existing = files.filter((file) => existsSync(join(target, file.path)));
  if (existing.length > 0) {
    const shown = existing
      .slice(0, 3)
      .map((file) => relative(process.cwd(), join(target, file.path)));
    throw new CarafeError(
      'CARAFE_CLI_SCAFFOLD_EXISTS',
      `${shown.join(', ')}${existing.length > 3 ? ' and more' : ''} already exist${existing.length === 1 ? 's' : ''}; nothing was written. Choose another name or move them away.`,
    );
  }
  for (const file of files) {
    const path = join(target, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}
