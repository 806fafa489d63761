import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { TestProject } from './test-support/project.js';

const quote = { sqlite: '"', postgres: '"', mysql: '`' } as const;
const hasScript = (process.env.PATH ?? '')
  .split(delimiter)
  .some((folder) => existsSync(join(folder, 'script')));

function clientMissing(dialect: keyof typeof quote): string | false {
  const names = { sqlite: ['sqlite3'], postgres: ['psql'], mysql: ['mariadb', 'mysql'] }[dialect];
  const folders = (process.env.PATH ?? '').split(delimiter);
  const found = names.some((name) => folders.some((folder) => existsSync(join(folder, name))));
  return found ? false : `${names.join(' or ')} is not installed`;
}

forEachDatabase('carafe migration commands', (context) => {
  let project: TestProject;
  // Each child process opens the database itself: the same isolated one as the test's on a
  // server, a file in the project on SQLite (the test's own is in memory).
  const env = () => ({
    DATABASE_URL: context.dialect === 'sqlite' ? 'sqlite://db.sqlite3' : context.url,
  });
  before(() => {
    project = new TestProject();
  });
  after(() => project.remove());

  it('makemigrations --check fails while a migration is missing, then writes it', async () => {
    const check = await project.run(['makemigrations', '--check'], { env: env() });
    assert.equal(check.code, 1, check.stderr);
    assert.match(
      check.stdout,
      /^Migrations for 'polls':\n {2}polls\/migrations\/0001_initial\.ts\n {4}- Create model polls\.Question$/m,
    );
    assert.equal(
      existsSync(join(project.path, 'polls/migrations')),
      false,
      '--check writes nothing',
    );

    const dryRun = await project.run(['makemigrations', '--dry-run'], { env: env() });
    assert.equal(dryRun.code, 0);
    assert.match(dryRun.stdout, /op\.createModel\('polls\.Question'/);
    assert.equal(
      existsSync(join(project.path, 'polls/migrations')),
      false,
      '--dry-run writes nothing',
    );

    const made = await project.run(['makemigrations'], { env: env() });
    assert.equal(made.code, 0, made.stderr);
    const file = join(project.path, 'polls/migrations/0001_initial.ts');
    assert.match(readFileSync(file, 'utf8'), /export default migration\(\{/);

    const again = await project.run(['makemigrations', '--check'], { env: env() });
    assert.equal(again.code, 0);
    assert.equal(again.stdout, 'No changes detected.\n');
  });

  it('migrate applies the migrations; showmigrations and sqlmigrate see them', async () => {
    const plan = await project.run(['migrate', '--plan'], { env: env() });
    assert.equal(
      plan.stdout,
      'Planned operations:\npolls.0001_initial\n    Create model polls.Question\n',
    );

    const migrated = await project.run(['migrate'], { env: env() });
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.equal(migrated.stdout, '  Applying polls.0001_initial... OK\n');

    const shown = await project.run(['showmigrations'], { env: env() });
    assert.equal(shown.stdout, 'polls\n [X] 0001_initial\n');

    const sql = await project.run(['sqlmigrate', 'polls', '0001'], { env: env() });
    assert.equal(sql.code, 0, sql.stderr);
    const q = quote[context.dialect];
    assert.match(sql.stdout, new RegExp(`CREATE TABLE ${q}polls_question${q}`));
    const backwards = await project.run(['sqlmigrate', 'polls', '0001', '--backwards'], {
      env: env(),
    });
    assert.match(backwards.stdout, new RegExp(`DROP TABLE ${q}polls_question${q}`));

    const used = await project.run(
      [
        'shell',
        '-c',
        "await Question.objects.create({ text: 'Why?' }); console.log(await Question.objects.count())",
      ],
      { env: env() },
    );
    assert.equal(used.stdout, '1\n', used.stderr);
  });

  it('dbshell opens the client on the same database', {
    skip: clientMissing(context.dialect),
  }, async () => {
    const count = 'select count(*) from polls_question';
    const clientArgs = {
      sqlite: [`${count};`],
      postgres: ['-tAc', count],
      mysql: ['-N', '-B', '-e', count],
    }[context.dialect];
    const { code, stdout, stderr } = await project.run(['dbshell', '--', ...clientArgs], {
      env: env(),
    });
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), '1');
  });

  it('migrate goes back to zero and names unknown apps', async () => {
    const back = await project.run(['migrate', 'polls', 'zero'], { env: env() });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, '  Unapplying polls.0001_initial... OK\n');
    const shown = await project.run(['showmigrations', 'polls'], { env: env() });
    assert.equal(shown.stdout, 'polls\n [ ] 0001_initial\n');
    const unknown = await project.run(['migrate', 'pols'], { env: env() });
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.stderr,
      'error: No app with the migration label "pols" (apps with models or migrations: polls).\n',
    );
  });

  // The next two exercise the command, not the database: once, on SQLite.
  if (context.dialect === 'sqlite')
    it('writes an empty migration and squashes', async () => {
      const empty = await project.run(['makemigrations', 'polls', '--empty', '--name', 'fill'], {
        env: env(),
      });
      assert.equal(empty.code, 0, empty.stderr);
      assert.match(empty.stdout, /polls\/migrations\/0002_fill\.ts/);
      const squashed = await project.run(['squashmigrations', 'polls', '0002', '--dry-run'], {
        env: env(),
      });
      assert.equal(squashed.code, 0, squashed.stderr);
      assert.match(
        squashed.stdout,
        /replaces: \[\s*\['polls', '0001_initial'\],\s*\['polls', '0002_fill'\],?\s*\]/,
      );
    });

  if (context.dialect === 'sqlite')
    it('asks about a rename on a terminal, and takes it as a flag elsewhere', {
      skip: !hasScript && 'util-linux script is not installed',
    }, async () => {
      const models = readFileSync(join(project.path, 'polls/models.ts'), 'utf8');
      project.write('polls/models.ts', models.replace('text: f.string', 'title: f.string'));
      const unanswered = await project.run(['makemigrations'], { env: env() });
      assert.equal(unanswered.code, 1);
      assert.match(unanswered.stderr, /Pass --rename polls\.Question\.text=title if it was/);

      const asking = project.start(['makemigrations', '--dry-run'], { env: env(), tty: true });
      await asking.waitFor(
        /Did you rename polls\.Question\.text to title \(a string\)\? \[y\/N\] /,
      );
      asking.child.stdin!.write('y\r');
      await asking.waitFor(/- Rename field text on polls\.Question to title/);
      assert.equal(await asking.exited, 0, asking.output());

      const flagged = await project.run(
        ['makemigrations', '--rename', 'polls.Question.text=title'],
        {
          env: env(),
        },
      );
      assert.equal(flagged.code, 0, flagged.stderr);
      assert.match(flagged.stdout, /polls\/migrations\/0003_\w+\.ts/);
      assert.match(flagged.stdout, /- Rename field text on polls\.Question to title/);
    });
});
