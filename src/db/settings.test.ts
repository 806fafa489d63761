import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, CarafeError } from '../index.js';
import { connectionParameters } from './index.js';

const base = {
  secretKey: 'k'.repeat(40),
  allowedHosts: ['example.com'],
  log: { level: 'silent' },
} satisfies CarafeConfig;

function resolved(database: unknown) {
  // An untyped value, as a JavaScript config file could export it.
  return new Carafe({ ...base, database } as CarafeConfig).config.database;
}

function rejected(database: unknown, ...fragments: string[]): void {
  assert.throws(
    () => resolved(database),
    (error: unknown) => {
      assert.ok(error instanceof CarafeError);
      assert.equal(error.code, 'CARAFE_CONFIG');
      for (const fragment of fragments) {
        assert.ok(error.message.includes(fragment), `"${fragment}" not in:\n${error.message}`);
      }
      return true;
    },
  );
}

describe('the database setting', () => {
  it('is absent by default and keeps a URL or named databases as written', () => {
    assert.equal(resolved(undefined), undefined);
    assert.equal(resolved('sqlite://db.sqlite3'), 'sqlite://db.sqlite3');
    const named = {
      default: 'postgres://app@db/app',
      replica: { url: 'postgres://app@replica/app', pool: { max: 4 } },
    };
    const setting = resolved(named);
    assert.deepEqual(setting, named);
    assert.ok(Object.isFrozen(setting));
  });

  it('checks every URL when the config is resolved, naming the entry', () => {
    rejected(
      'postgress://db/app',
      'database cannot be used. Invalid database URL "postgress://db/app": the scheme "postgress://" is not supported',
    );
    rejected(
      { default: 'sqlite://db.sqlite3', replica: 'postgres://user:hunter2@db:99999/x' },
      'database.replica cannot be used',
      'postgres://user:***@db',
    );
    rejected(
      { default: 'sqlite://db.sqlite3', replica: 5 },
      'database.replica must be a database URL or { url, pool } (got number)',
    );
  });

  it('needs a default database and usable names', () => {
    rejected(
      { main: 'sqlite://db.sqlite3' },
      'database has no "default" database (got "main")',
      'default:',
    );
    rejected(
      { default: 'sqlite://a.sqlite3', 'read only': 'sqlite://b.sqlite3' },
      'database.read only is not a usable database name',
    );
    rejected(
      ['sqlite://db.sqlite3'],
      'database must be a URL or an object of named databases (got an array)',
    );
  });

  it('gives the connection parameters of a named database', () => {
    const setting = {
      default: 'sqlite://db.sqlite3',
      reports: 'postgres://ana:pw@db.internal:6543/reports?schema=r',
    };
    assert.deepEqual(connectionParameters(setting), {
      dialect: 'sqlite',
      filename: resolve('db.sqlite3'),
      statementCache: 200,
    });
    const reports = connectionParameters(setting, 'reports');
    assert.ok(reports !== undefined && reports.dialect === 'postgres');
    assert.deepEqual(
      [
        reports.host,
        reports.port,
        reports.user,
        reports.password,
        reports.database,
        reports.schema,
      ],
      ['db.internal', 6543, 'ana', 'pw', 'reports', 'r'],
    );
    assert.equal(connectionParameters(setting, 'missing'), undefined);
    assert.equal(connectionParameters('sqlite://x.sqlite3', 'replica'), undefined);
    assert.equal(connectionParameters(undefined), undefined);
  });
});
