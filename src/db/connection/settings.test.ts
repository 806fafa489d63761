import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseDatabaseSettings, redactUrl } from './index.js';

function rejectsUrl(url: string, problem: RegExp): void {
  assert.throws(
    () => parseDatabaseSettings(url),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(Reflect.get(error, 'code'), 'CARAFE_DB_URL');
      assert.match(error.message, problem);
      assert.match(error.message, /sqlite:\/\/relative\/path\.sqlite3.*postgres:\/\/.*mysql:\/\//);
      return true;
    },
  );
}

function sqliteSpec(settings: Parameters<typeof parseDatabaseSettings>[0]) {
  const spec = parseDatabaseSettings(settings);
  assert.ok(spec.dialect === 'sqlite');
  return spec;
}

describe('database URLs', () => {
  it('reads the three SQLite forms', () => {
    assert.deepEqual(parseDatabaseSettings('sqlite://:memory:'), {
      dialect: 'sqlite',
      filename: ':memory:',
      statementCache: 200,
    });
    assert.equal(sqliteSpec('sqlite:///var/data/app.sqlite3').filename, '/var/data/app.sqlite3');
    assert.equal(sqliteSpec('sqlite://data/app.sqlite3').filename, resolve('data/app.sqlite3'));
    assert.equal(sqliteSpec('sqlite://my%20db.sqlite3').filename, resolve('my db.sqlite3'));
  });

  it('reads PostgreSQL URLs under both schemes', () => {
    for (const scheme of ['postgres', 'postgresql', 'POSTGRES']) {
      const spec = parseDatabaseSettings(
        `${scheme}://app:s%40cret@db.example.com:6543/shop?max=4&schema=tenant_1`,
      );
      assert.deepEqual(spec, {
        dialect: 'postgres',
        host: 'db.example.com',
        port: 6543,
        user: 'app',
        password: 's@cret',
        database: 'shop',
        max: 4,
        idleTimeoutMs: 10_000,
        connectTimeoutMs: 10_000,
        schema: 'tenant_1',
        tls: false,
      });
    }
  });

  it('fills PostgreSQL and MySQL defaults and reads Unix socket hosts', () => {
    const pg = parseDatabaseSettings('postgres://%2Fvar%2Frun%2Fpostgresql/app');
    assert.equal(pg.dialect === 'postgres' && pg.host, '/var/run/postgresql');
    assert.equal(pg.dialect === 'postgres' && pg.port, 5432);
    assert.equal(pg.dialect === 'postgres' && pg.user, undefined);
    const mysql = parseDatabaseSettings('mysql://root@127.0.0.1/test');
    assert.equal(mysql.dialect === 'mysql' && mysql.port, 3306);
    assert.equal(parseDatabaseSettings('mariadb://root@127.0.0.1:3307/test').dialect, 'mysql');
  });

  it('takes pool and cache settings from the settings object over the query string', () => {
    const spec = parseDatabaseSettings({
      url: 'mysql://root@localhost/test?max=3&idleTimeoutMs=5',
      pool: { max: 20, idleTimeoutMs: 1000 },
    });
    assert.equal(spec.dialect === 'mysql' && spec.max, 20);
    assert.equal(spec.dialect === 'mysql' && spec.idleTimeoutMs, 1000);
    assert.equal(sqliteSpec('sqlite://:memory:?statementCache=5').statementCache, 5);
    assert.equal(
      sqliteSpec({ url: 'sqlite://:memory:?statementCache=5', statementCache: 0 }).statementCache,
      0,
    );
  });

  it('maps TLS options', () => {
    const tls = (url: string) => {
      const spec = parseDatabaseSettings(url);
      return spec.dialect === 'sqlite' ? 'n/a' : spec.tls;
    };
    assert.equal(tls('postgres://h/db?sslmode=require'), 'verify');
    assert.equal(tls('postgres://h/db?sslmode=no-verify'), 'no-verify');
    assert.equal(tls('postgres://h/db?sslmode=disable'), false);
    assert.equal(tls('mysql://h/db?ssl=true'), 'verify');
  });

  it('rejects URLs it cannot use, saying which forms it accepts', () => {
    rejectsUrl('db.sqlite3', /has no scheme/);
    rejectsUrl('mongodb://localhost/app', /scheme "mongodb:\/\/" is not supported/);
    rejectsUrl('sqlite://', /file path is missing/);
    rejectsUrl('sqlite://?statementCache=3', /file path is missing/);
    rejectsUrl('postgres:///app', /host is missing/);
    rejectsUrl('postgres://h:99999/app', /cannot be parsed/);
    rejectsUrl('postgres://h/app/extra', /not a database name/);
    rejectsUrl('postgres://h/app?pool=3', /unknown option "pool" for postgres \(accepted: max, /);
    rejectsUrl('sqlite://:memory:?max=3', /unknown option "max" for sqlite/);
    rejectsUrl('mysql://h/app?max=0', /max must be a whole number ≥ 1, got "0"/);
    rejectsUrl('mysql://h/app?max=ten', /got "ten"/);
    rejectsUrl('mysql://h/app?ssl=maybe', /ssl must be one of false, true, no-verify/);
    rejectsUrl('postgres://h/app?schema=a;drop', /schema must be a plain identifier/);
    rejectsUrl('postgres://h/%E0%A4%A', /not valid percent-encoding/);
  });

  it('rejects bad settings objects', () => {
    assert.throws(() => parseDatabaseSettings({ url: '' }), {
      code: 'CARAFE_DB_URL',
      message: /empty string/,
    });
    assert.throws(() => parseDatabaseSettings({ url: 'sqlite://:memory:', statementCache: -1 }), {
      code: 'CARAFE_DB_URL',
      message: /statementCache must be a whole number ≥ 0/,
    });
    assert.throws(() => parseDatabaseSettings({ url: 'postgres://h/db', pool: { max: 1.5 } }), {
      code: 'CARAFE_DB_URL',
      message: /max must be a whole number ≥ 1, got "1.5"/,
    });
  });

  it('never prints a password', () => {
    assert.equal(redactUrl('postgres://app:hunter2@db/x'), 'postgres://app:***@db/x');
    assert.equal(redactUrl('mysql://root@db/x'), 'mysql://root@db/x');
    for (const url of [
      'postgres://app:hunter2@db/x?nope=1',
      'mysql://app:hunter2@:1/x',
      'postgres://app:hunter2@h:99999/x',
    ]) {
      assert.throws(
        () => parseDatabaseSettings(url),
        (error: unknown) =>
          error instanceof Error &&
          !error.message.includes('hunter2') &&
          error.message.includes('***'),
      );
    }
  });
});
