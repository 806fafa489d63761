import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createTables } from '../db/index.js';
import { Carafe } from '../index.js';
import { TestClient } from '../testing/index.js';
import { clearExpiredSessions, databaseSessions, SessionModel, sessions } from './index.js';

const minute = 60_000;

function rows(count: number, prefix: string, expiresAt: Date) {
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}${String(i).padStart(32 - prefix.length, '0')}`,
    data: JSON.stringify({ data: { i } }),
    expiresAt,
  }));
}

forEachDatabase(
  'clearExpiredSessions',
  () => {
    before(async () => {
      await createTables([SessionModel]);
      await createTables([SessionModel], { using: 'sessions' });
    });

    it('deletes expired rows only, in batches, and says how many', async () => {
      await SessionModel.objects.bulkCreate([
        ...rows(2345, 'old', new Date(Date.now() - minute)),
        ...rows(3, 'live', new Date(Date.now() + minute)),
      ]);
      assert.equal(await clearExpiredSessions(), 2345);
      const left = await SessionModel.objects.valuesList('key', { flat: true }).orderBy('key');
      assert.deepEqual(
        left,
        rows(3, 'live', new Date()).map((row) => row.key),
      );
      assert.equal(await clearExpiredSessions(), 0);
      await SessionModel.objects.all().delete();
    });

    it('works on the database the backend was given', async () => {
      const store = databaseSessions({ using: 'sessions' });
      const app = new Carafe({
        secretKey: 'x'.repeat(48),
        allowedHosts: ['localhost'],
        log: { level: 'silent' },
        apps: [sessions({ backend: store })],
      });
      app.get(
        '/set',
        (req) => {
          req.session.set('a', '1');
          return 'ok';
        },
        { name: 'set' },
      );
      app.get('/get', (req) => ({ a: req.session.get('a') ?? null }), { name: 'get' });
      const client = new TestClient(app);
      await client.get('/set');
      const key = client.cookies.get('sessionid') ?? '';
      assert.deepEqual((await client.get('/get')).json(), { a: '1' });
      const named = SessionModel.objects.using('sessions');
      assert.equal(await named.filter({ key }).count(), 1);
      assert.equal(await SessionModel.objects.count(), 0, 'nothing in the default database');

      await SessionModel.objects.bulkCreate(rows(2, 'default', new Date(Date.now() - minute)));
      await named.filter({ key }).update({ expiresAt: new Date(Date.now() - minute) });
      assert.equal(await clearExpiredSessions({ using: 'sessions' }), 1);
      assert.equal(await named.count(), 0);
      assert.equal(await SessionModel.objects.count(), 2, 'the default database is left alone');
    });
  },
  { names: ['sessions'] },
);
