// Scratch folders for migration tests. They live inside the repository (`.tmp/`, ignored by
// git) so that files written there resolve `carafe/db/migrations` like a project's would.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ScratchFolder {
  readonly path: string;
  /** Writes `name` (a path relative to the folder), creating parent folders. */
  write(name: string, content: string): string;
  remove(): void;
}

export function scratchFolder(): ScratchFolder {
  const path = join(repositoryRoot, '.tmp', `migrations-${randomBytes(6).toString('hex')}`);
  mkdirSync(path, { recursive: true });
  return {
    path,
    write(name, content) {
      const file = join(path, name);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
