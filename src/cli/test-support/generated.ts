// A project made by `carafe new` in a throwaway folder inside the repository (`.tmp/`, ignored
// by git), depending on this checkout by `file:` path, and the commands run in it as a person
// would: npm install, npm test, npx carafe …, a server on a free port.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const carafeBin = join(repositoryRoot, 'bin', 'carafe.js');

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of every command: nothing from the surrounding shell or npm run leaks in. */
export function cleanEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) {
    if (/^npm_/i.test(name) || name === 'NODE_OPTIONS' || name === 'NODE_TEST_CONTEXT') {
      delete env[name];
    }
  }
  for (const name of ['DATABASE_URL', 'DEBUG', 'SECRET_KEY', 'ALLOWED_HOSTS', 'PORT', 'NODE_ENV']) {
    delete env[name];
  }
  // The checkout's TypeScript source rather than its dist/, which may be older (the repository's
  // own tests run the same way).
  env.NODE_OPTIONS = '--conditions=source';
  return { ...env, ...extra };
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Readonly<Record<string, string>>; input?: string },
): Promise<RunResult> {
  const child = spawn(command, args, { cwd: options.cwd, env: cleanEnvironment(options.env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A command that exits without reading its input closes the pipe first; the exit code is
  // what the test judges, so the write's EPIPE is not an error here.
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `carafe …args` from this checkout, in `cwd`. */
export function carafe(args: readonly string[], cwd: string): Promise<RunResult> {
  return run(process.execPath, [carafeBin, ...args], { cwd });
}

/** A fresh folder under .tmp/ of the repository. */
export function scratchFolder(prefix: string): string {
  const path = join(repositoryRoot, '.tmp', `${prefix}-${randomBytes(6).toString('hex')}`);
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * Makes the generated project type-check against the checkout's source, as its code runs
 * (see cleanEnvironment): dist/'s declarations may be older than the source.
 */
export function useCheckoutSource(project: string): void {
  const file = join(project, 'tsconfig.json');
  const tsconfig = JSON.parse(readFileSync(file, 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  tsconfig.compilerOptions.customConditions = ['source'];
  writeFileSync(file, `${JSON.stringify(tsconfig, null, 2)}\n`);
}

export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the project's `carafe …args` server on a free port and waits for its URL. */
export async function startServer(
  project: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(project, 'node_modules', '.bin', 'carafe'), ...args],
    { cwd: project, env: cleanEnvironment({ PORT: '0', ...env }) },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(() => reject(new Error(`the server exited:\n${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
