import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { loadDotenv, parseDotenv } from './index.js';

const folder = mkdtempSync(join(tmpdir(), 'carafe-dotenv-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function assertMalformed(text: string, ...fragments: string[]): string {
  let message = '';
  assert.throws(
    () => parseDotenv(text, 'deploy/.env'),
    (error: unknown) => {
      assert.ok(error instanceof CarafeError);
      assert.equal(error.code, 'CARAFE_CONFIG');
      message = error.message;
      for (const fragment of fragments) assert.ok(message.includes(fragment), message);
      return true;
    },
  );
  return message;
}

describe('parseDotenv', () => {
  it('reads assignments, exports, comments and blank lines', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      '  SPACED =  spaced value  ',
      'export EXPORTED=yes',
      'INLINE=value # a comment',
      'HASH=a#b',
      'EMPTY=',
      'EQUALS=a=b=c',
      '   # an indented comment',
      'PLAIN=second wins',
    ].join('\n');
    assert.deepEqual(parseDotenv(text), {
      PLAIN: 'second wins',
      SPACED: 'spaced value',
      EXPORTED: 'yes',
      INLINE: 'value',
      HASH: 'a#b',
      EMPTY: '',
      EQUALS: 'a=b=c',
    });
  });

  it('keeps single-quoted values literally', () => {
    const parsed = parseDotenv(`SINGLE='  literal \\n $HOME # kept "q" '`);
    assert.equal(parsed.SINGLE, '  literal \\n $HOME # kept "q" ');
  });

  it('unescapes double-quoted values', () => {
    const parsed = parseDotenv(
      'DOUBLE="line1\\nline2\\t\\"quoted\\" back\\\\slash # kept" # dropped\nEMPTY_QUOTED=""',
    );
    assert.equal(parsed.DOUBLE, 'line1\nline2\t"quoted" back\\slash # kept');
    assert.equal(parsed.EMPTY_QUOTED, '');
    assert.equal(
      parseDotenv('UNKNOWN="a\\qb"').UNKNOWN,
      'a\\qb',
      'unknown escapes stay as written',
    );
  });

  it('lets quoted values span lines', () => {
    const parsed = parseDotenv(
      'KEY="-----BEGIN KEY-----\nabc\n-----END KEY-----"\nAFTER=1\nRAW=\'one\ntwo\'',
    );
    assert.deepEqual(parsed, {
      KEY: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
      AFTER: '1',
      RAW: 'one\ntwo',
    });
  });

  it('handles CRLF line endings and a byte order mark', () => {
    assert.deepEqual(parseDotenv('\uFEFFA=1\r\nB="two"\r\n'), { A: '1', B: 'two' });
  });

  it('stores a key named __proto__ as a plain variable', () => {
    const parsed = parseDotenv('__proto__=x');
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.keys(parsed), ['__proto__']);
  });

  it('rejects a line without "=", naming the file and line, never the content', () => {
    const message = assertMalformed(
      'OK=1\n\nSECRET_KEY hunter2hunter2',
      "deploy/.env line 3: has no '='",
      'Write each variable as KEY=value.',
    );
    assert.ok(!message.includes('hunter2'));
  });

  it('rejects invalid names', () => {
    assertMalformed(
      '1BAD=x',
      'deploy/.env line 1: has the name "1BAD", which is not a valid variable name',
      'letters, digits and underscores',
    );
    assertMalformed('A=1\nMY KEY=x', 'line 2: has the name "MY KEY"');
    assertMalformed('=x', 'line 1: has an empty name');
    assertMalformed('DOTTED.NAME=x', 'has the name "DOTTED.NAME"');
  });

  it('rejects an unclosed quote at the line that opened it', () => {
    assertMalformed(
      'A=1\nKEY="never closed\nB=2',
      'deploy/.env line 2: opens a " quote that is never closed',
      'Add the closing "',
    );
    assertMalformed("KEY='open", "line 1: opens a ' quote");
    assertMalformed('KEY="escaped quote \\"', 'line 1: opens a " quote that is never closed');
  });

  it('rejects text after a closing quote', () => {
    assertMalformed('KEY="a" b', 'deploy/.env line 1: has text after the closing quote');
    assertMalformed('A="x\ny" z', 'line 2: has text after the closing quote');
  });
});

describe('loadDotenv', () => {
  it('loads a file into process.env without overriding real variables, and returns its values', () => {
    const file = join(folder, 'one.env');
    writeFileSync(file, 'CARAFE_DOTENV_TEST_NEW=from file\nCARAFE_DOTENV_TEST_REAL=from file\n');
    process.env.CARAFE_DOTENV_TEST_REAL = 'real';
    try {
      const values = loadDotenv(file);
      assert.deepEqual(values, {
        CARAFE_DOTENV_TEST_NEW: 'from file',
        CARAFE_DOTENV_TEST_REAL: 'from file',
      });
      assert.equal(process.env.CARAFE_DOTENV_TEST_NEW, 'from file');
      assert.equal(process.env.CARAFE_DOTENV_TEST_REAL, 'real');
    } finally {
      delete process.env.CARAFE_DOTENV_TEST_NEW;
      delete process.env.CARAFE_DOTENV_TEST_REAL;
    }
  });

  it('names the file, relative to the working directory, in parse errors', () => {
    const file = join(folder, 'broken.env');
    writeFileSync(file, 'A=1\nB\n');
    assert.throws(
      () => loadDotenv(file),
      (error: unknown) =>
        error instanceof CarafeError &&
        error.message.startsWith(`${relative(process.cwd(), file)} line 2: has no '='`),
    );
  });

  it('fails for a missing file that was asked for by name', () => {
    assert.throws(
      () => loadDotenv(join(folder, 'missing.env')),
      (error: unknown) =>
        error instanceof CarafeError &&
        error.code === 'CARAFE_CONFIG' &&
        error.message.includes('Cannot read the environment file') &&
        error.message.includes('missing.env') &&
        error.message.includes('ENOENT'),
    );
  });

  it('accepts a missing default .env', () => {
    const originalCwd = process.cwd();
    process.chdir(folder);
    try {
      assert.deepEqual(loadDotenv(), {});
    } finally {
      process.chdir(originalCwd);
    }
  });
});
