// carafe collectstatic: every static file in one folder, each also under a name carrying its
// content hash, and a manifest from one to the other for templates' static().
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CarafeError } from '../../index.js';
import type { Arguments } from '../args.js';
import type { CommandContext } from '../context.js';
import { manifestName, type StaticManifest } from '../static-manifest.js';
import type { Terminal } from '../terminal.js';

function inside(folder: string, parent: string): boolean {
  return folder === parent || folder.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** Files under `folder` by path relative to it (with `/`), dotfiles left out as when serving. */
function filesOf(
  folder: string,
  prefix = '',
  found = new Map<string, string>(),
): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return found;
    throw error;
  }
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(folder, name);
    const relativePath = prefix + name;
    const info = statSync(path);
    if (info.isDirectory()) filesOf(path, `${relativePath}/`, found);
    else if (info.isFile()) found.set(relativePath, path);
  }
  return found;
}

/** `css/site.css` → `css/site.3f2a1b9c.css`; a name without extension gets the hash at its end. */
function hashedName(path: string, content: Buffer): string {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 8);
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return `${path}.${hash}`;
  return `${path.slice(0, dot)}.${hash}${path.slice(dot)}`;
}

function progress(terminal: Terminal, done: number, total: number): void {
  if (!terminal.interactive) return;
  terminal.stdout.write(`\r\u001b[2KCopying static files: ${done}/${total}`);
  if (done === total) terminal.stdout.write('\r\u001b[2K');
}

function write(target: string, path: string, content: Buffer): void {
  const file = join(target, ...path.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

export async function runCollectStatic(args: Arguments, context: CommandContext): Promise<number> {
  const { app, config, root } = await context.openProject();
  if (config.staticRoot === undefined) {
    throw new CarafeError(
      'CARAFE_CLI_NO_STATIC_ROOT',
      "collectstatic copies into staticRoot, which is not set: add staticRoot: 'staticfiles' to carafe.config.ts.",
    );
  }
  const target = resolve(config.staticRoot);
  const sources = [...new Set(app.staticFolders.map((folder) => resolve(folder)))].filter(
    (folder) => folder !== target,
  );
  for (const source of sources) {
    if (inside(target, source) || inside(source, target)) {
      throw new CarafeError(
        'CARAFE_CLI_STATIC_ROOT',
        `staticRoot (${relative(root, target)}) and the static folder ${relative(root, source)} overlap; staticRoot must be a folder of its own, such as 'staticfiles'.`,
      );
    }
  }
  // The first folder that has a path wins, as when serving.
  const files = new Map<string, string>();
  for (const source of sources) {
    for (const [path, file] of filesOf(source)) if (!files.has(path)) files.set(path, file);
  }
  if (args.flag('clear')) rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const paths: Record<string, string> = {};
  const { terminal } = context;
  let done = 0;
  for (const [path, file] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const content = readFileSync(file);
    const hashed = hashedName(path, content);
    write(target, path, content);
    write(target, hashed, content);
    paths[path] = hashed;
    progress(terminal, ++done, files.size);
  }
  const manifest: StaticManifest = { version: 1, paths };
  writeFileSync(join(target, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
  const shown = relative(root, target) || '.';
  terminal.print(
    `${files.size} static file${files.size === 1 ? '' : 's'} copied to ${shown}, each also under a hashed name; ${shown}/${manifestName} lists them.`,
  );
  return 0;
}
