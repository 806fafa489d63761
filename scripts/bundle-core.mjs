// The core (`carafe`: src/index.ts and src/core/) ships as one ES module. Node's loader keeps
// every file it loads alive until loading ends, and with the core's ~70 files that was enough to
// make V8 double its young generation before the first request: a served app idled 7 MB higher
// and reached each later doubling sooner. The batteries import the core only through its index,
// so this file is the only copy of it; they stay one file per module, as tsc emits them.
// `npm run build` runs this after tsc; the benchmark runner bundles its own build the same way.
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundles `<root>/src/index.ts` into `outfile`, leaving every npm package as an import. */
export async function bundleCore(root, outfile, { sourcemap = true } = {}) {
  await build({
    entryPoints: [join(root, 'src', 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap,
    logLevel: 'warning',
  });
}

/** tsc's one-file-per-module output of the core, which nothing imports once the bundle exists. */
function removeCoreModules(dist) {
  const core = join(dist, 'core');
  for (const entry of readdirSync(core, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.js(\.map)?$/.test(entry.name)) {
      rmSync(join(entry.parentPath ?? entry.path, entry.name));
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(import.meta.dirname, '..');
  const dist = join(root, 'dist');
  await bundleCore(root, join(dist, 'index.js'));
  removeCoreModules(dist);
}
