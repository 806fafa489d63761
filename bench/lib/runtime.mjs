// How a server process is launched. `compiled` (the default) transpiles src/ and
// bench/servers/ to JavaScript once and runs it with plain node, as a deployed app runs:
// tsx's loader thread alone adds ~30 MB of RSS and slows every import, which would
// swamp the memory and startup figures. `tsx` runs the .ts files as they are.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const SKIPPED_SOURCE = /\.(test|typetest)\.ts$|\.d\.ts$/;

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

function transpileTree(repoRoot, sourceDir, outRoot) {
  const from = join(repoRoot, sourceDir);
  if (!existsSync(from)) return 0;
  let count = 0;
  for (const file of filesUnder(from)) {
    const target = join(outRoot, relative(repoRoot, file));
    mkdirSync(dirname(target), { recursive: true });
    if (!file.endsWith('.ts')) {
      copyFileSync(file, target);
      continue;
    }
    if (SKIPPED_SOURCE.test(file)) continue;
    const output = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const errors = output.diagnostics ?? [];
    if (errors.length > 0) {
      const text = ts.flattenDiagnosticMessageText(errors[0].messageText, '\n');
      throw new Error(`cannot transpile ${relative(repoRoot, file)}: ${text}`);
    }
    writeFileSync(target.replace(/\.ts$/, '.js'), output.outputText);
    count++;
  }
  return count;
}

/**
 * Prepares the chosen runtime and returns `launch(serverName, pin)` giving the command and
 * arguments of one server process (the runner appends `--port N`).
 */
export function prepareRuntime(kind, repoRoot, buildDir) {
  let describe = 'node --import tsx bench/servers/<name>.ts';
  let entry = (name) => ['--import', 'tsx', join(repoRoot, 'bench', 'servers', `${name}.ts`)];
  if (kind === 'compiled') {
    rmSync(buildDir, { recursive: true, force: true });
    // Inside the repository, so bare imports still resolve to its node_modules.
    const files = ['src', 'bench/servers'].reduce(
      (total, dir) => total + transpileTree(repoRoot, dir, buildDir),
      0,
    );
    describe = `node ${relative(repoRoot, buildDir)}/bench/servers/<name>.js (${files} files transpiled)`;
    entry = (name) => [join(buildDir, 'bench', 'servers', `${name}.js`)];
  }
  return {
    describe,
    launch(name, pin) {
      const nodeArgs = entry(name);
      return pin
        ? { command: 'taskset', args: ['-c', '0', process.execPath, ...nodeArgs], cwd: repoRoot }
        : { command: process.execPath, args: nodeArgs, cwd: repoRoot };
    },
  };
}
