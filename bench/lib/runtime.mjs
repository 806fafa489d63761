// How a server process is launched. `compiled` (the default) transpiles the servers and
// the TypeScript they import to JavaScript once, bundles the core as `npm run build` does, and
// runs it with plain node, as a deployed app runs: tsx's loader thread alone adds ~30 MB of RSS
// and slows every import, which would swamp the memory and startup figures. `tsx` runs the .ts
// files as they are.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { bundleCore } from '../../scripts/bundle-core.mjs';
import { placed } from './processes.mjs';

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
};

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

function emit(repoRoot, outRoot, file, text) {
  const target = join(outRoot, relative(repoRoot, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

function transpile(repoRoot, file, source) {
  const output = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: COMPILER_OPTIONS,
  });
  const [error] = output.diagnostics ?? [];
  if (error) {
    const message = ts.flattenDiagnosticMessageText(error.messageText, '\n');
    throw new Error(`cannot transpile ${relative(repoRoot, file)}: ${message}`);
  }
  return output.outputText;
}

/**
 * Transpiles the entry files and every relative module they reach (only those: a
 * half-edited file elsewhere in src/ must not stop the run). Returns the count.
 */
function transpileReachable(repoRoot, entries, outRoot) {
  const queue = [...entries];
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const imported = resolve(dirname(file), fileName);
      const typescriptSource = imported.replace(/\.js$/, '.ts');
      if (existsSync(typescriptSource)) queue.push(typescriptSource);
      else if (existsSync(imported)) emit(repoRoot, outRoot, imported, readFileSync(imported));
    }
    emit(repoRoot, outRoot, file, transpile(repoRoot, file, source));
  }
  return seen.size;
}

/**
 * Copies the non-TypeScript files of src/ and bench/servers/ (templates, assets a module may
 * read at run time beside itself).
 */
function copyAssets(repoRoot, outRoot) {
  for (const folder of ['src', join('bench', 'servers')]) {
    const dir = join(repoRoot, folder);
    if (!existsSync(dir)) continue;
    for (const file of filesUnder(dir)) {
      if (file.endsWith('.ts')) continue;
      const target = join(outRoot, relative(repoRoot, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
  }
}

/**
 * Prepares the chosen runtime for the given servers and returns `launch(name, placement, nodeFlags)`,
 * the command, arguments and directory of one server process (the runner appends `--port N`).
 */
export async function prepareRuntime(kind, repoRoot, buildDir, serverNames) {
  const serverSource = (name) => join(repoRoot, 'bench', 'servers', `${name}.ts`);
  let describe = 'node --import tsx bench/servers/<name>.ts';
  let entry = (name) => ['--import', 'tsx', serverSource(name)];
  if (kind === 'compiled') {
    rmSync(buildDir, { recursive: true, force: true });
    // Inside the repository, so bare imports still resolve to its node_modules.
    const count = transpileReachable(repoRoot, serverNames.map(serverSource), buildDir);
    copyAssets(repoRoot, buildDir);
    await bundleCore(repoRoot, join(buildDir, 'src', 'index.js'), { sourcemap: false });
    describe = `node ${relative(repoRoot, buildDir)}/bench/servers/<name>.js (${count} modules transpiled, the core bundled)`;
    entry = (name) => [join(buildDir, 'bench', 'servers', `${name}.js`)];
  }
  return {
    describe,
    launch(name, where, nodeFlags = []) {
      return { ...placed(process.execPath, [...nodeFlags, ...entry(name)], where), cwd: repoRoot };
    },
  };
}
