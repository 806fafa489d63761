import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { type CarafeConfig, resolveConfig } from './index.js';

const strongKey = 'k'.repeat(40);
const production = { secretKey: strongKey, allowedHosts: ['example.com'] } satisfies CarafeConfig;
const keyCommand = `node -e "console.log(require('node:crypto').randomBytes(48).toString('base64url'))"`;

/** Resolving `input` (an untyped value, as a JS config file could export) fails with every fragment. */
function assertRejected(input: unknown, ...fragments: string[]): string {
  let message = '';
  assert.throws(
    () => resolveConfig(input as CarafeConfig, { env: {}, onWarning: () => {} }),
    (error: unknown) => {
      assert.ok(error instanceof CarafeError);
      assert.equal(error.code, 'CARAFE_CONFIG');
      message = error.message;
      for (const fragment of fragments)
        assert.ok(message.includes(fragment), `"${fragment}" not in:\n${message}`);
      return true;
    },
  );
  return message;
}

describe('resolveConfig errors', () => {
  it('rejects a config that is not an object', () => {
    for (const input of [undefined, null, 'debug', [], 42]) {
      assertRejected(
        input,
        'expected an object of settings',
        'export default defineConfig({ ... })',
      );
    }
  });

  it('rejects unknown settings with a suggestion', () => {
    assertRejected(
      { ...production, alowedHosts: [] },
      'alowedHosts is not a setting Carafe knows',
      'Did you mean allowedHosts?',
    );
    assertRejected({ ...production, SECRET_KEY: 'x' }, 'Did you mean secretKey?');
    const message = assertRejected(
      { ...production, zebraStripes: true },
      'zebraStripes is not a setting',
      'registerSetting()',
    );
    assert.ok(!message.includes('Did you mean'));
  });

  it('rejects a debug flag that is not a boolean', () => {
    assertRejected(
      { ...production, debug: 'yes' },
      'debug must be true or false (got "yes")',
      "env.bool('NAME', false)",
    );
  });

  it('requires a strong secret key outside debug mode', () => {
    assertRejected(
      { allowedHosts: ['x.com'] },
      'secretKey is missing',
      keyCommand,
      "secretKey: env('SECRET_KEY')",
    );
    assertRejected({ allowedHosts: ['x.com'], secretKey: '' }, 'secretKey is empty', keyCommand);
    assertRejected({ ...production, secretKey: 42 }, 'secretKey must be a string (got 42)');
    const message = assertRejected(
      { ...production, secretKey: 'hunter2-hunter2' },
      'secretKey is too short (15 characters; at least 32 are needed outside debug mode)',
      keyCommand,
    );
    assert.ok(!message.includes('hunter2'), 'the key is never echoed');
  });

  it('checks the fallback keys', () => {
    assertRejected(
      { ...production, secretKeyFallbacks: 'old' },
      'secretKeyFallbacks must be a list of strings (got the single string "old")',
      'Wrap it in brackets',
    );
    assertRejected(
      { ...production, secretKeyFallbacks: { a: 1 } },
      'secretKeyFallbacks must be a list of strings (got an object)',
    );
    assertRejected(
      { ...production, secretKeyFallbacks: [strongKey, ''] },
      'secretKeyFallbacks[1] must be a non-empty string (got "")',
    );
    assertRejected(
      { ...production, secretKeyFallbacks: [strongKey, 7] },
      'secretKeyFallbacks[1] must be a non-empty string (got 7)',
    );
    const message = assertRejected(
      { ...production, secretKeyFallbacks: ['weak-old-key'] },
      'secretKeyFallbacks[0] is too short (12 characters',
      keyCommand,
    );
    assert.ok(!message.includes('weak-old-key'));
  });

  it('requires allowed hosts outside debug mode and checks each', () => {
    assertRejected(
      { secretKey: strongKey },
      'allowedHosts is missing',
      "allowedHosts: ['example.com', '.example.com']",
      "env.list('ALLOWED_HOSTS')",
    );
    assertRejected({ secretKey: strongKey, allowedHosts: [] }, 'allowedHosts is empty');
    assertRejected(
      { secretKey: strongKey, allowedHosts: 'example.com' },
      'allowedHosts must be a list of strings (got the single string "example.com")',
    );
    for (const host of [
      'https://example.com',
      'example.com/path',
      'two words',
      'example.com:8000',
      'a..b',
    ]) {
      assertRejected(
        { secretKey: strongKey, allowedHosts: ['ok.com', host] },
        `allowedHosts[1] is not a host name (got ${JSON.stringify(host)})`,
        "without scheme, path or port: 'example.com', '.example.com' (with its subdomains), '[::1]' or '*'",
      );
    }
    assertRejected(
      { secretKey: strongKey, allowedHosts: ['  '] },
      'allowedHosts[0] must be a non-empty string',
    );
  });

  it('checks trusted proxies are addresses or ranges', () => {
    for (const entry of [
      'proxy.local',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0.1/',
      '10.0.0.1/abc',
      '300.1.1.1',
    ]) {
      assertRejected(
        { ...production, trustedProxies: [entry] },
        `trustedProxies[0] is not an IP address or CIDR range (got ${JSON.stringify(entry)})`,
        "'10.0.0.0/8') or 'loopback' or 'private'",
      );
    }
    assertRejected(
      { ...production, trustedProxies: '10.0.0.1' },
      'trustedProxies must be a list of strings',
    );
  });

  it('checks limits', () => {
    assertRejected(
      { ...production, limits: 1000 },
      'limits must be an object (got 1000)',
      'bodySize, uploadSize',
    );
    assertRejected(
      { ...production, limits: { bodysize: 1 } },
      'limits.bodysize is not a setting Carafe knows',
      'Did you mean limits.bodySize?',
    );
    assertRejected(
      { ...production, limits: { bodySize: -1 } },
      'limits.bodySize must be a positive integer (got -1)',
      'whole number of bytes such as 1048576',
    );
    assertRejected(
      { ...production, limits: { uploadSize: 1.5 } },
      'limits.uploadSize must be a positive integer (got 1.5)',
      'bytes such as 10485760',
    );
    assertRejected(
      { ...production, limits: { formFields: 0 } },
      'limits.formFields must be a positive integer (got 0)',
      'fields such as 1000',
    );
    assertRejected(
      { ...production, limits: { files: '20' } },
      'limits.files must be a positive integer (got "20")',
      'files such as 20',
    );
    assertRejected(
      { ...production, limits: { fileMemoryThreshold: Number.POSITIVE_INFINITY } },
      'limits.fileMemoryThreshold must be a positive integer (got Infinity)',
    );
  });

  it('checks trailingSlash', () => {
    assertRejected(
      { ...production, trailingSlash: 'apend' },
      "trailingSlash must be one of 'append', 'strict' (got \"apend\")",
      "Did you mean 'append'?",
    );
    const message = assertRejected(
      { ...production, trailingSlash: true },
      "trailingSlash must be one of 'append', 'strict' (got true)",
      'Pick one of those.',
    );
    assert.ok(!message.includes('Did you mean'));
  });

  it('checks staticUrl', () => {
    for (const url of ['static/', '/static', '/', '']) {
      assertRejected(
        { ...production, staticUrl: url },
        `staticUrl must start and end with "/" (got ${JSON.stringify(url)})`,
        "'/static/'",
      );
    }
    assertRejected({ ...production, staticUrl: 5 }, 'staticUrl must be a string (got 5)');
  });

  it('checks static folders', () => {
    assertRejected(
      { ...production, static: ['public', ''] },
      'static[1] must be a non-empty string',
    );
    assertRejected({ ...production, static: 5 }, 'static must be a list of strings (got 5)');
  });

  it('checks staticRoot', () => {
    assertRejected({ ...production, staticRoot: ' ' }, 'staticRoot is empty', "'staticfiles'");
    assertRejected({ ...production, staticRoot: ['a'] }, 'staticRoot must be a string');
  });

  it('checks log settings', () => {
    assertRejected(
      { ...production, log: 'info' },
      'log must be an object (got "info")',
      'level, accessLog, pretty',
    );
    assertRejected(
      { ...production, log: { levl: 'info' } },
      'log.levl is not a setting Carafe knows',
      'Did you mean log.level?',
    );
    assertRejected(
      { ...production, log: { level: 'wrn' } },
      "log.level must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent' (got \"wrn\")",
      "Did you mean 'warn'?",
    );
    assertRejected(
      { ...production, log: { accessLog: 'yes' } },
      'log.accessLog must be true or false (got "yes")',
    );
    assertRejected(
      { ...production, log: { pretty: 1 } },
      'log.pretty must be true or false (got 1)',
    );
  });

  it('checks server settings', () => {
    assertRejected({ ...production, server: [] }, 'server must be an object (got an array)');
    assertRejected(
      { ...production, server: { keepAlive: 1 } },
      'server.keepAlive is not a setting',
      'Did you mean server.keepAliveTimeout?',
    );
    for (const name of [
      'keepAliveTimeout',
      'headersTimeout',
      'requestTimeout',
      'shutdownTimeout',
    ]) {
      assertRejected(
        { ...production, server: { [name]: 0 } },
        `server.${name} must be a positive integer (got 0)`,
        'whole number of milliseconds',
      );
    }
    assertRejected(
      { ...production, server: { maxHeaderSize: -5 } },
      'server.maxHeaderSize must be a positive integer (got -5)',
      'bytes such as 16384',
    );
    assertRejected(
      { ...production, server: { headersTimeout: 40000 } },
      'server.headersTimeout (40000 ms) is longer than server.requestTimeout (30000 ms)',
      'raise requestTimeout or lower headersTimeout',
    );
  });

  it('checks apps is a list', () => {
    assertRejected(
      { ...production, apps: { polls: {} } },
      'apps must be a list (got an object)',
      'apps: [auth, admin, polls]',
    );
  });

  it('reports every problem at once', () => {
    const message = assertRejected(
      { debg: true, limits: { bodySize: 0 }, log: { level: 'loud' } },
      'Invalid configuration (5 problems):',
      '  - debg is not a setting Carafe knows. Did you mean debug?',
      '  - secretKey is missing.',
      '  - allowedHosts is missing.',
      '  - limits.bodySize must be a positive integer (got 0).',
      '  - log.level must be one of',
    );
    assert.equal(message.split('\n').length, 6);
  });

  it('reports a single problem on one line', () => {
    const message = assertRejected(
      { ...production, trailingSlash: 'x' },
      'Invalid configuration: trailingSlash',
    );
    assert.ok(!message.includes('\n'));
  });
});
