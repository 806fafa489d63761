// A throwaway project for the command's tests: a folder inside the repository (`.tmp/`, ignored
// by git), so its `import 'carafe'` resolves to this checkout's source through the package's
// self-reference, and the real `carafe` executable run on it in a child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const carafeBin = join(repositoryRoot, 'bin', 'carafe.js');

/** Variables the project's config reads; the tests set them, never the surrounding shell. */
const projectVariables = [
  'DATABASE_URL',
  'DEBUG',
  'SECRET_KEY',
  'ALLOWED_HOSTS',
  'PORT',
  'NODE_ENV',
];

export const strongKey = 'Vq3-8pZx_Lr1tW9yKe2NcA7sJb4HdF6mGu0QoXi5RlTnPwEvYhCkMaSgDjBfUz';

const files: Record<string, string> = {
  'carafe.config.ts': `import { defineConfig, env } from 'carafe';
import { polls } from './polls/app.js';

export default defineConfig({
  debug: env.bool('DEBUG', true),
  secretKey: env('SECRET_KEY'),
  allowedHosts: env.list('ALLOWED_HOSTS', []),
  database: env('DATABASE_URL', 'sqlite://db.sqlite3'),
  staticRoot: 'staticfiles',
  apps: [polls],
});
`,
  'polls/models.ts': `import { f, model } from 'carafe/db';

export const Question = model('polls.Question', {
  text: f.string({ max: 200 }),
});
`,
  'polls/app.ts': `import { fileURLToPath } from 'node:url';
import { Blueprint, defineApp } from 'carafe';
import { render } from 'carafe/templates';
import { Question } from './models.js';

const routes = new Blueprint('polls', { prefix: '/polls' });
routes.get('/', async function index() {
  return { version: 1, questions: await Question.objects.count() };
});
routes.route(['GET', 'POST'], '/<int:id>/vote/', (req) => ({ id: req.params.id }), { name: 'vote' });
routes.get('/page/', (req) => render(req, 'polls/page.html'), { name: 'page' });
routes.get('/boom/', () => {
  throw new Error('boom in a handler');
}, { name: 'boom' });

export const polls = defineApp({
  name: 'polls',
  routes,
  models: [Question],
  migrations: new URL('./migrations/', import.meta.url),
  templates: fileURLToPath(new URL('./templates/', import.meta.url)),
  static: fileURLToPath(new URL('./static/', import.meta.url)),
  commands: {
    greet: {
      description: 'Greets whoever is named.',
      async run(args, { app, print }) {
        print(\`Hello, \${args.join(' and ')}! (\${app.apps.length} app)\`);
        return args.length === 0 ? 3 : undefined;
      },
    },
    introduce: {
      description: 'Asks for a name and a secret.',
      async run(_args, { ask, interactive, print }) {
        const name = await ask('Name: ');
        const secret = await ask('Secret: ', { hidden: true });
        print(\`\${name} has a \${secret.length}-character secret (interactive: \${interactive})\`);
      },
    },
  },
});
`,
  'polls/templates/polls/page.html': `<link rel="stylesheet" href="{{ static('polls/site.css') }}">`,
  'polls/static/polls/site.css': 'body { color: #333; }\n',
  'polls/static/polls/img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
};

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Added to the environment (an `undefined` value removes a variable). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: the project folder. */
  readonly cwd?: string;
  /** Run on a pseudo-terminal (through util-linux's `script`), as when a person types. */
  readonly tty?: boolean;
  readonly input?: string;
}

export interface Running {
  readonly child: ChildProcess;
  /** Everything written so far to stdout and stderr. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output after `from` characters. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<number | null>;
}

export class TestProject {
  readonly path: string;

  constructor() {
    this.path = join(repositoryRoot, '.tmp', `cli-${randomBytes(6).toString('hex')}`);
    for (const [name, content] of Object.entries(files)) this.write(name, content);
  }

  write(name: string, content: string): string {
    const file = join(this.path, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }

  #spawn(args: readonly string[], options: RunOptions): ChildProcess {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const name of projectVariables) delete env[name];
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    // The executable brings tsx itself; --conditions=source makes `carafe` this checkout's src.
    const command = [process.execPath, '--conditions=source', carafeBin, ...args];
    if (options.tty === true) {
      const quoted = command.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
      return spawn('script', ['-qec', quoted, '/dev/null'], { cwd: options.cwd ?? this.path, env });
    }
    return spawn(command[0]!, command.slice(1), { cwd: options.cwd ?? this.path, env });
  }

  /** Runs `carafe …args` to the end. */
  run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const child = this.#spawn(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A command may exit before reading its input; its exit code is what the test judges.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input ?? '');
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Starts `carafe …args` (a server) and leaves it running. */
  start(args: readonly string[], options: RunOptions = {}): Running {
    const child = this.#spawn(args, options);
    let output = '';
    const listeners = new Set<() => void>();
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      for (const listener of listeners) listener();
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    return {
      child,
      output: () => output,
      exited,
      waitFor(pattern, from = 0, timeoutMs = 30_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            const match = output.slice(from).match(pattern);
            if (match === null) return;
            done();
            resolve(match);
          };
          const timer = setTimeout(() => {
            done();
            reject(
              new Error(`${pattern} did not appear within ${timeoutMs} ms; output:\n${output}`),
            );
          }, timeoutMs);
          const gone = () => {
            done();
            reject(new Error(`carafe exited before ${pattern} appeared; output:\n${output}`));
          };
          const done = () => {
            clearTimeout(timer);
            listeners.delete(check);
            child.off('close', gone);
          };
          listeners.add(check);
          child.once('close', gone);
          check();
        });
      },
    };
  }
}
