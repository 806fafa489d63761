// Watches a project folder for code changes, for `carafe dev`. One non-recursive watcher per
// folder, so node_modules, .git and dist are never walked (Node's recursive mode on Linux
// would watch every folder under node_modules).
import { type Dirent, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';

const ignoredFolders = new Set(['node_modules', 'dist']);
/** Code, config and environment files; templates and static files need no restart in debug. */
const watchedFile = /\.(?:[cm]?[jt]sx?|json)$|^\.env(?:\..+)?$/;

function ignoredFolder(name: string): boolean {
  return ignoredFolders.has(name) || name.startsWith('.');
}

export interface TreeWatcher {
  close(): void;
}

/** Calls `onChange` with the path of each code file created, changed or removed under `root`. */
export function watchTree(root: string, onChange: (file: string) => void): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();

  const isDirectory = (path: string): boolean => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };

  const add = (folder: string): void => {
    if (watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, name) => {
        if (name === null) return;
        const path = join(folder, name);
        if (isDirectory(path)) {
          if (!ignoredFolder(name)) add(path);
        } else if (watchedFile.test(name)) onChange(path);
      });
    } catch {
      return; // removed between listing and watching
    }
    // A removed folder ends its watcher with an error; forget it.
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !ignoredFolder(entry.name)) add(join(folder, entry.name));
    }
  };

  add(root);
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
