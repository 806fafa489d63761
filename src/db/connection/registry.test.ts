import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { closeDatabases, configureDatabases, Database, database } from './index.js';

describe('configureDatabases / database()', () => {
  afterEach(() => closeDatabases());

  it('treats a string as the default database', async () => {
    configureDatabases('sqlite://:memory:');
    assert.ok(database() instanceof Database);
    assert.equal(database().name, 'default');
    assert.equal(database('default').dialect, 'sqlite');
    assert.deepEqual(await database().raw('SELECT 1 AS one'), [{ one: 1 }]);
  });

  it('configures several named databases', () => {
    configureDatabases({
      default: 'sqlite://:memory:',
      analytics: { url: 'postgres://reporter@127.0.0.1:5432/analytics', pool: { max: 2 } },
      legacy: 'mariadb://root@127.0.0.1:3306/legacy',
    });
    assert.equal(database('analytics').dialect, 'postgres');
    assert.equal(database('legacy').dialect, 'mysql');
    assert.equal(database('legacy').name, 'legacy');
  });

  it('requires a default database', () => {
    assert.throws(() => configureDatabases({ reports: 'sqlite://:memory:' }), {
      code: 'CARAFE_DB_DEFAULT_MISSING',
      message: /needs a "default" database; got "reports"/,
    });
    assert.throws(() => configureDatabases({}), {
      code: 'CARAFE_DB_DEFAULT_MISSING',
      message: /got none/,
    });
  });

  it('names the configured databases when a name is unknown', () => {
    configureDatabases({ default: 'sqlite://:memory:', replica: 'sqlite://:memory:' });
    assert.throws(() => database('replicas'), {
      code: 'CARAFE_DB_UNKNOWN',
      message: /no database named "replicas"\. Configured: "default", "replica"/,
    });
  });

  it('explains how to configure when nothing is configured', () => {
    assert.throws(() => database(), {
      code: 'CARAFE_DB_NOT_CONFIGURED',
      message: /configureDatabases\('sqlite:\/\/db\.sqlite3'\)/,
    });
  });

  it('rejects unusable names and URLs, keeping the previous configuration', () => {
    configureDatabases('sqlite://:memory:');
    const before = database();
    assert.throws(
      () => configureDatabases({ default: 'sqlite://:memory:', 'two words': 'sqlite://:memory:' }),
      {
        code: 'CARAFE_DB_NAME',
      },
    );
    assert.throws(() => configureDatabases({ default: 'redis://localhost' }), {
      code: 'CARAFE_DB_URL',
    });
    assert.equal(database(), before);
  });

  it('closes the databases it replaces', async () => {
    configureDatabases('sqlite://:memory:');
    const first = database();
    await first.raw('SELECT 1');
    configureDatabases('sqlite://:memory:');
    assert.notEqual(database(), first);
    await assert.rejects(first.raw('SELECT 1'), { code: 'CARAFE_DB_CLOSED' });
  });

  it('closeDatabases() closes and forgets every database', async () => {
    configureDatabases({ default: 'sqlite://:memory:', other: 'sqlite://:memory:' });
    const other = database('other');
    await closeDatabases();
    assert.equal(other.closed, true);
    assert.throws(() => database('other'), { code: 'CARAFE_DB_NOT_CONFIGURED' });
  });
});
