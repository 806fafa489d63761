import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { env } from './index.js';

const prefix = 'CARAFE_ENV_TEST_';
const originalCwd = process.cwd();
const folder = mkdtempSync(join(tmpdir(), 'carafe-env-'));

function setVariables(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) process.env[prefix + name] = value;
}

function assertEnvError(action: () => unknown, ...fragments: string[]) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, 'CARAFE_CONFIG');
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), error.message);
    return true;
  });
}

before(() => {
  writeFileSync(
    join(folder, '.env'),
    `${prefix}FROM_FILE=from the file\n${prefix}IN_BOTH=from the file\n${prefix}FILE_BOOL=yes\n`,
  );
  process.env[`${prefix}IN_BOTH`] = 'from the environment';
  process.chdir(folder);
});

after(() => {
  process.chdir(originalCwd);
  rmSync(folder, { recursive: true, force: true });
  for (const name of Object.keys(process.env))
    if (name.startsWith(prefix)) delete process.env[name];
});

// Runs first: the .env in the working directory is read by the first env call, and only once.
describe('.env loading on first use', () => {
  it('reads .env from the working directory, real variables winning', () => {
    assert.equal(env(`${prefix}FROM_FILE`), 'from the file');
    assert.equal(env(`${prefix}IN_BOTH`), 'from the environment');
    assert.equal(env.bool(`${prefix}FILE_BOOL`), true);
  });

  it('does not read the file again', () => {
    writeFileSync(join(folder, '.env'), `${prefix}ADDED_LATER=1\n`);
    assert.equal(env(`${prefix}ADDED_LATER`), undefined);
  });
});

describe('env', () => {
  it('returns the value, the fallback, or undefined', () => {
    setVariables({ NAME: 'value', EMPTY: '' });
    assert.equal(env(`${prefix}NAME`), 'value');
    assert.equal(env(`${prefix}NAME`, 'fallback'), 'value');
    assert.equal(env(`${prefix}MISSING`), undefined);
    assert.equal(env(`${prefix}MISSING`, 'fallback'), 'fallback');
    assert.equal(env(`${prefix}EMPTY`, 'fallback'), '', 'a variable set to nothing is still set');
  });
});

describe('env.bool', () => {
  it('accepts true/false, 1/0, yes/no, on/off in any case', () => {
    const words = { T1: 'true', T2: 'TRUE', T3: '1', T4: 'Yes', T5: 'on', T6: ' On ' };
    const falseWords = { F1: 'false', F2: 'False', F3: '0', F4: 'NO', F5: 'off', F6: 'OFF ' };
    setVariables({ ...words, ...falseWords });
    for (const name of Object.keys(words)) assert.equal(env.bool(prefix + name), true, name);
    for (const name of Object.keys(falseWords))
      assert.equal(env.bool(prefix + name, true), false, name);
  });

  it('gives the fallback when unset or empty', () => {
    setVariables({ BLANK: '  ' });
    assert.equal(env.bool(`${prefix}MISSING`), undefined);
    assert.equal(env.bool(`${prefix}MISSING`, true), true);
    assert.equal(env.bool(`${prefix}BLANK`, false), false);
    assert.equal(env.bool(`${prefix}BLANK`), undefined);
  });

  it('rejects anything else, naming the variable and the value', () => {
    setVariables({ ODD: 'maybe', TWO: '2' });
    assertEnvError(
      () => env.bool(`${prefix}ODD`, false),
      `Environment variable ${prefix}ODD must be a boolean (got "maybe")`,
      'Use true or false',
    );
    assertEnvError(() => env.bool(`${prefix}TWO`), `${prefix}TWO must be a boolean (got "2")`);
  });
});

describe('env.int', () => {
  it('parses whole numbers', () => {
    setVariables({ PORT: '8000', NEGATIVE: '-1', PLUS: '+3', PADDED: ' 42 ', ZERO: '0' });
    assert.equal(env.int(`${prefix}PORT`), 8000);
    assert.equal(env.int(`${prefix}NEGATIVE`, 5), -1);
    assert.equal(env.int(`${prefix}PLUS`), 3);
    assert.equal(env.int(`${prefix}PADDED`), 42);
    assert.equal(env.int(`${prefix}ZERO`, 9), 0);
  });

  it('gives the fallback when unset or empty', () => {
    setVariables({ EMPTY_INT: '' });
    assert.equal(env.int(`${prefix}MISSING`), undefined);
    assert.equal(env.int(`${prefix}MISSING`, 8000), 8000);
    assert.equal(env.int(`${prefix}EMPTY_INT`, 8000), 8000);
  });

  it('rejects anything but an integer, naming the variable', () => {
    const bad = {
      DECIMAL: '1.5',
      EXPONENT: '1e3',
      HEX: '0x10',
      WORD: 'eight',
      HUGE: '99999999999999999999',
      UNIT: '30s',
    };
    setVariables(bad);
    for (const [name, value] of Object.entries(bad)) {
      assertEnvError(
        () => env.int(prefix + name, 1),
        `Environment variable ${prefix}${name} must be an integer (got ${JSON.stringify(value)})`,
        `e.g. ${prefix}${name}=8000`,
      );
    }
  });
});

describe('env.list', () => {
  it('splits on commas, trims, and drops empty items', () => {
    setVariables({ HOSTS: ' example.com, .example.org,,  localhost , ', NONE: '', SINGLE: 'one' });
    assert.deepEqual(env.list(`${prefix}HOSTS`), ['example.com', '.example.org', 'localhost']);
    assert.deepEqual(env.list(`${prefix}NONE`, ['fallback']), [], 'set but empty is an empty list');
    assert.deepEqual(env.list(`${prefix}SINGLE`), ['one']);
  });

  it('gives a copy of the fallback when unset', () => {
    const fallback = ['localhost'] as const;
    const result = env.list(`${prefix}MISSING`, fallback);
    assert.deepEqual(result, ['localhost']);
    assert.notEqual(result, fallback);
    assert.equal(env.list(`${prefix}MISSING`), undefined);
  });
});
