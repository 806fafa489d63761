import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { makemigrations, migrate } from '../db/migrations/index.js';
import { Carafe } from '../index.js';
import { TestClient } from '../testing/index.js';
import { databaseSessions, SessionModel, sessions } from './index.js';

describe('the sessions migration', () => {
  it('is declared by the sessions app', () => {
    const app = sessions();
    assert.deepEqual(app.models, [SessionModel]);
    assert.ok(app.migrations instanceof URL);
    assert.ok(existsSync(new URL('0001_initial.ts', app.migrations)));
  });

  it('matches the model, so makemigrations --check finds nothing to do', async () => {
    const lines: string[] = [];
    const result = await makemigrations({
      apps: [sessions()],
      check: true,
      output: (line) => lines.push(line),
    });
    assert.equal(result.exitCode, 0, lines.join('\n'));
  });
});

forEachDatabase('migrating the sessions app', (ctx) => {
  it('creates the table the database backend uses, and removes it going back to zero', async () => {
    const apps = [sessions({ backend: databaseSessions() })];
    const quiet = { apps, output: () => {} };
    assert.equal((await migrate(quiet)).exitCode, 0);

    const app = new Carafe({
      secretKey: 'x'.repeat(48),
      allowedHosts: ['localhost'],
      log: { level: 'silent' },
      apps,
    });
    app.get(
      '/visit',
      (req) => {
        const visits = Number(req.session.get('visits') ?? 0) + 1;
        req.session.set('visits', visits);
        return { visits };
      },
      { name: 'visit' },
    );
    const client = new TestClient(app);
    await client.get('/visit');
    assert.deepEqual((await client.get('/visit')).json(), { visits: 2 });
    assert.equal(await SessionModel.objects.count(), 1);

    assert.equal((await migrate({ ...quiet, app: 'sessions', target: 'zero' })).exitCode, 0);
    await assert.rejects(ctx.database.raw('SELECT 1 FROM sessions_session'));
  });
});
