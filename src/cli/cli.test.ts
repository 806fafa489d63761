import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strongKey, TestProject } from './test-support/project.js';

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => existsSync(join(folder, name)));
}

const hasSqlite3 = onPath('sqlite3');
const hasScript = onPath('script');

function oneLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${text}`);
  return lines[0]!;
}

describe('carafe', { timeout: 300_000 }, () => {
  let project: TestProject;
  before(() => {
    project = new TestProject();
  });
  after(() => project.remove());

  describe('help and mistakes', () => {
    it("lists the built-in commands and the apps' own", async () => {
      const { code, stdout, stderr } = await project.run(['--help']);
      assert.equal(code, 0, stderr);
      for (const command of [
        'dev',
        'serve',
        'makemigrations',
        'migrate',
        'collectstatic',
        'check',
      ]) {
        assert.match(stdout, new RegExp(`^  ${command} +\\S`, 'm'));
      }
      assert.match(stdout, /^From the apps:\n {2}greet +Greets whoever is named\. \(polls\)$/m);
      assert.ok(!stdout.includes('\u001b['), 'no colours when stdout is not a terminal');
    });

    it('shows what a command takes, with --help or through help', async () => {
      const direct = await project.run(['makemigrations', '--help']);
      assert.equal(direct.code, 0);
      assert.match(direct.stdout, /^Usage: carafe makemigrations \[app…\] \[options\]$/m);
      assert.match(direct.stdout, /--rename OLD=NEW +A rename: .* \(repeatable\)/);
      assert.match(direct.stdout, /--no-input +Never ask/);
      const viaHelp = await project.run(['help', 'sqlmigrate']);
      assert.match(viaHelp.stdout, /^Usage: carafe sqlmigrate <app> <name> \[options\]$/m);
      const appCommand = await project.run(['greet', '--help']);
      assert.match(
        appCommand.stdout,
        /Usage: carafe greet \[arguments\]\n\nGreets whoever is named\./,
      );
    });

    it('suggests the closest command or option, in one line, with exit code 2', async () => {
      const command = await project.run(['migarte']);
      assert.equal(command.code, 2);
      assert.equal(command.stdout, '');
      assert.match(
        oneLine(command.stderr),
        /^error: Unknown command 'migarte'\. Did you mean 'migrate'\?/,
      );
      const option = await project.run(['makemigrations', '--dry-rn']);
      assert.equal(option.code, 2);
      assert.equal(
        oneLine(option.stderr),
        'error: Unknown option --dry-rn for carafe makemigrations. Did you mean --dry-run?',
      );
      const missing = await project.run(['sqlmigrate', 'polls']);
      assert.equal(missing.code, 2);
      assert.match(oneLine(missing.stderr), /carafe sqlmigrate needs <name>/);
      const appCommand = await project.run(['gret']);
      assert.match(oneLine(appCommand.stderr), /Did you mean 'greet'\?/);
    });

    it('says where carafe.config.ts is missing', async () => {
      const empty = join(project.path, 'empty');
      mkdirSync(empty);
      const { code, stderr } = await project.run(['migrate'], { cwd: empty });
      assert.equal(code, 1);
      assert.equal(
        oneLine(stderr),
        `error: No carafe.config.ts in ${empty}. Run carafe in the project folder (beside carafe.config.ts), or pass --config path/to/carafe.config.ts.`,
      );
    });

    it('reports an unreachable database in one line', async () => {
      const { code, stdout, stderr } = await project.run(['migrate'], {
        env: { DATABASE_URL: 'postgres://carafe@127.0.0.1:1/nowhere' },
      });
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(
        oneLine(stderr),
        /^error: The connection to database "default" \(postgres:\/\/carafe@127\.0\.0\.1:1\/nowhere\) failed: .*ECONNREFUSED/,
      );
    });

    it('reports a bad database setting as a configuration error', async () => {
      const { code, stderr } = await project.run(['routes'], {
        env: { DATABASE_URL: 'mysqll://x' },
      });
      assert.equal(code, 1);
      assert.match(
        oneLine(stderr),
        /^error: Invalid configuration: database cannot be used\. Invalid database URL "mysqll:\/\/x": the scheme "mysqll:\/\/" is not supported/,
      );
    });
  });

  it('runs the commands apps define, with their arguments and exit code', async () => {
    const greeted = await project.run(['greet', 'Ada', 'Grace']);
    assert.equal(greeted.code, 0, greeted.stderr);
    assert.match(greeted.stdout, /^Hello, Ada and Grace! \(1 app\)$/m);
    const nobody = await project.run(['greet']);
    assert.equal(nobody.code, 3);
  });

  it('lets app commands ask questions, reading piped answers line by line', async () => {
    const answered = await project.run(['introduce'], { input: 'Ada\nhunter2\n' });
    assert.equal(answered.code, 0, answered.stderr);
    assert.match(
      answered.stdout,
      /^Name: \nSecret: \nAda has a 7-character secret \(interactive: false\)$/m,
    );
    const cut = await project.run(['introduce'], { input: 'Ada\n' });
    assert.equal(cut.code, 1);
    assert.equal(cut.stderr, 'error: The input ended before "Secret:" was answered.\n');
  });

  it('lists the routes with their names, methods, patterns and handlers', async () => {
    const { code, stdout } = await project.run(['routes']);
    assert.equal(code, 0);
    const rows = stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {2,}/));
    assert.deepEqual(rows, [
      ['Name', 'Methods', 'Pattern', 'Handler'],
      ['polls.index', 'GET', '/polls/', 'index'],
      ['polls.vote', 'GET,POST', '/polls/<int:id>/vote/', '(anonymous)'],
      ['polls.page', 'GET', '/polls/page/', '(anonymous)'],
      ['polls.boom', 'GET', '/polls/boom/', '(anonymous)'],
    ]);
    const json = await project.run(['routes', '--json']);
    assert.deepEqual(JSON.parse(json.stdout)[1], {
      name: 'polls.vote',
      methods: ['GET', 'POST'],
      pattern: '/polls/<int:id>/vote/',
      handler: '(anonymous)',
    });
  });

  describe('on a terminal', { skip: !hasScript && 'util-linux script is not installed' }, () => {
    it('uses colours, unless NO_COLOR is set', async () => {
      const coloured = await project.run(['--help'], { tty: true, env: { NO_COLOR: undefined } });
      assert.ok(coloured.stdout.includes('\u001b[1mUsage:\u001b[22m'), coloured.stdout);
      const plain = await project.run(['--help'], { tty: true, env: { NO_COLOR: '1' } });
      assert.ok(plain.stdout.includes('Usage: carafe <command>'));
      assert.ok(!plain.stdout.includes('\u001b['));
    });

    it('asks app command questions, never echoing a hidden answer', async () => {
      const running = project.start(['introduce'], { tty: true });
      await running.waitFor(/Name: /);
      running.child.stdin!.write('Ada\r');
      const secretAsked = (await running.waitFor(/Secret: /)).index!;
      running.child.stdin!.write('hunter2\r');
      await running.waitFor(/Ada has a 7-character secret \(interactive: true\)/);
      assert.equal(await running.exited, 0);
      assert.ok(!running.output().slice(secretAsked).includes('hunter2'), running.output());
    });
  });

  describe('check', () => {
    it('warns about models without migrations; --fail-level warning makes that fail', async () => {
      const plain = await project.run(['check']);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(
        plain.stdout,
        /^carafe\.W001 \(warning\): The models have changes that no migration makes yet \(polls\)\.\n {4}Hint: Run carafe makemigrations/m,
      );
      assert.match(plain.stdout, /System check found 1 warning\.$/m);
      const strict = await project.run(['check', '--fail-level', 'warning']);
      assert.equal(strict.code, 1);
      const ignored = await project.run(['check', '--ignore', 'carafe.W001']);
      assert.match(ignored.stdout, /^System check found no problems \(1 ignored\)\.$/m);
    });

    it('lists the deployment problems of a debug setup', async () => {
      const { code, stdout } = await project.run(['check', '--deploy', '--ignore', 'carafe.W001']);
      assert.equal(code, 0);
      const ids = [...stdout.matchAll(/^(carafe\.W\d+) \(warning\)/gm)].map((match) => match[1]);
      assert.deepEqual(ids, [
        'carafe.W101',
        'carafe.W102',
        'carafe.W104',
        'carafe.W105',
        'carafe.W109',
      ]);
      assert.match(stdout, /carafe\.W105 \(warning\): The security app is not listed/);
    });

    it('flags a production key that is in .env.example, and an open host list', async () => {
      const example = project.write('.env.example', `SECRET_KEY=${strongKey}\n`);
      try {
        const { stdout } = await project.run(['check', '--deploy', '--ignore', 'carafe.W001'], {
          env: { DEBUG: 'false', SECRET_KEY: strongKey, ALLOWED_HOSTS: '*' },
        });
        const ids = [...stdout.matchAll(/^(carafe\.W\d+) \(warning\)/gm)].map((match) => match[1]);
        assert.deepEqual(ids, ['carafe.W102', 'carafe.W104', 'carafe.W105', 'carafe.W109']);
        assert.match(stdout, /secretKey is the one in \.env\.example, which is in version control/);
        assert.match(stdout, /allowedHosts contains '\*'/);
      } finally {
        rmSync(example);
      }
    });
  });

  describe('shell', () => {
    it('runs code with the models, app and config loaded', async () => {
      const { code, stdout, stderr } = await project.run([
        'shell',
        '-c',
        "console.log(Question.meta.label, Object.keys(models).join(), typeof app.listRoutes, config.staticRoot); console.log(await Promise.resolve('awaited'))",
      ]);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^polls\.Question polls\.Question function staticfiles\nawaited$/m);
    });

    it("resolves the code's relative imports from the project folder", async () => {
      const { code, stdout, stderr } = await project.run([
        'shell',
        '-c',
        "const { Question: Imported } = await import('./polls/models.js'); console.log(Imported === Question)",
      ]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, 'true\n');
      assert.doesNotMatch(stderr, /ExperimentalWarning/);
    });

    it('starts a REPL with the same variables', async () => {
      const { code, stdout } = await project.run(['shell'], {
        input: "Question.meta.label + ' via ' + typeof app\n",
      });
      assert.equal(code, 0);
      assert.match(stdout, /Loaded: Question; app, config, models\['app\.Model'\]/);
      assert.match(stdout, /'polls\.Question via object'/);
    });

    it("reads the project folder's .env even when run from elsewhere with --config", async () => {
      const dotenv = project.write('.env', 'DATABASE_URL=sqlite://from-dotenv.sqlite3\n');
      try {
        const { stdout, stderr } = await project.run(
          [
            '--config',
            join(project.path, 'carafe.config.ts'),
            'shell',
            '-c',
            'console.log(config.database)',
          ],
          { cwd: join(project.path, '..') },
        );
        assert.equal(stdout.trim(), 'sqlite://from-dotenv.sqlite3', stderr);
      } finally {
        rmSync(dotenv);
      }
    });
  });

  it('clearsessions deletes the expired sessions of the database store', async () => {
    const config = project.write(
      'sessions.config.ts',
      `import { defineConfig } from 'carafe';
import { sessions } from 'carafe/sessions';
export default defineConfig({ debug: true, database: 'sqlite://sessions.sqlite3', apps: [sessions()] });
`,
    );
    const withSessions = (args: string[]) => project.run(['--config', config, ...args]);
    assert.equal((await withSessions(['migrate'])).code, 0);
    const created = await withSessions([
      'shell',
      '-c',
      `const day = 86_400_000;
       for (const [key, offset] of [['a', -day], ['b', -day], ['c', day]]) {
         await Session.objects.create({ key: key.repeat(32), data: '{}', expiresAt: new Date(Date.now() + offset) });
       }`,
    ]);
    assert.equal(created.code, 0, created.stderr);
    const cleared = await withSessions(['clearsessions']);
    assert.equal(cleared.stdout, 'Deleted 2 expired sessions.\n', cleared.stderr);
    const left = await withSessions(['shell', '-c', 'console.log(await Session.objects.count())']);
    assert.equal(left.stdout, '1\n');
    const without = await project.run(['clearsessions']);
    assert.equal(
      without.stdout,
      'The sessions app is not listed in apps; there are no sessions to clear.\n',
    );
  });

  describe('dbshell', () => {
    it('opens sqlite3 on the configured file, passing the arguments after --', {
      skip: !hasSqlite3 && 'sqlite3 is not installed',
    }, async () => {
      const { code, stdout, stderr } = await project.run(['dbshell', '--', 'select 40 + 2;']);
      assert.equal(code, 0, stderr);
      assert.equal(stdout.trim(), '42');
    });

    it('says which client to install when it is not on PATH', async () => {
      const { code, stderr } = await project.run(['dbshell'], {
        env: { PATH: join(project.path, 'no-such-folder') },
      });
      assert.equal(code, 1);
      assert.equal(
        oneLine(stderr),
        'error: The sqlite3 client is not installed or not on PATH; install it (apt install sqlite3, brew install sqlite) and run carafe dbshell again.',
      );
    });
  });
});
