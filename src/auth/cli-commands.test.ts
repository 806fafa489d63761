// `carafe createsuperuser` / `carafe changepassword` through the real command, in a project
// that lists sessions() and auth().
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestProject } from '../cli/test-support/project.js';

describe('auth commands of the carafe command', () => {
  const project = new TestProject();
  before(async () => {
    project.write(
      'carafe.config.ts',
      `import { defineConfig } from 'carafe';
import { auth } from 'carafe/auth';
import { sessions } from 'carafe/sessions';

export default defineConfig({
  debug: true,
  database: 'sqlite://db.sqlite3',
  apps: [sessions(), auth()],
});
`,
    );
    const migrated = await project.run(['migrate']);
    assert.equal(migrated.code, 0, migrated.stderr);
  });
  after(() => project.remove());

  it('lists them in carafe --help', async () => {
    const help = await project.run(['--help']);
    assert.match(help.stdout, /createsuperuser/);
    assert.match(help.stdout, /changepassword/);
  });

  it('creates a superuser without input from flags and the environment', async () => {
    const made = await project.run(
      ['createsuperuser', '--noinput', '--username', 'ada', '--email', 'ada@example.com'],
      { env: { CARAFE_SUPERUSER_PASSWORD: 'correct horse battery staple' } },
    );
    assert.equal(made.code, 0, `${made.stdout}${made.stderr}`);
    assert.match(made.stdout, /Superuser created successfully/);
    const again = await project.run(['createsuperuser', '--noinput', '--username', 'ada'], {
      env: { CARAFE_SUPERUSER_PASSWORD: 'correct horse battery staple' },
    });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already taken/);
  });

  it('fails clearly without a terminal when the username is missing', async () => {
    const result = await project.run(['createsuperuser', '--noinput']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /username/i);
  });

  it('changes a password on a terminal', async () => {
    const result = await project.run(['changepassword', 'ada'], {
      tty: true,
      input: 'another long passphrase\nanother long passphrase\n',
    });
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /Password changed successfully for user 'ada'/);
  });
});
