import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLimits } from '../http/limits.js';
import { type CarafeConfig, type ConfigWarning, defineConfig, resolveConfig } from './index.js';

const strongKey = 'k'.repeat(40);
const production = { secretKey: strongKey, allowedHosts: ['example.com'] } satisfies CarafeConfig;

function resolveQuietly(input: CarafeConfig, env: NodeJS.ProcessEnv = {}) {
  const warnings: ConfigWarning[] = [];
  const config = resolveConfig(input, { env, onWarning: (warning) => warnings.push(warning) });
  return { config, warnings };
}

describe('defineConfig', () => {
  it('returns the config it was given', () => {
    const config = { debug: true };
    assert.equal(defineConfig(config), config);
  });
});

describe('resolveConfig defaults', () => {
  it('fills every setting in production mode', () => {
    const { config, warnings } = resolveQuietly(production);
    assert.deepEqual(config, {
      debug: false,
      secretKey: strongKey,
      secretKeyFallbacks: [],
      allowedHosts: ['example.com'],
      trustedProxies: [],
      limits: defaultLimits,
      trailingSlash: 'append',
      staticUrl: '/static/',
      static: [],
      staticRoot: undefined,
      log: { level: 'info', accessLog: false, pretty: false },
      server: {
        keepAliveTimeout: 5000,
        headersTimeout: 10000,
        requestTimeout: 30000,
        shutdownTimeout: 10000,
        maxHeaderSize: 16384,
      },
      apps: [],
    });
    assert.deepEqual(warnings, []);
  });

  it('in debug mode generates one key per process, allows local hosts and logs verbosely', () => {
    const first = resolveQuietly({ debug: true });
    const second = resolveQuietly({ debug: true });
    assert.equal(first.config.debug, true);
    assert.match(first.config.secretKey, /^[A-Za-z0-9_-]{64}$/);
    assert.equal(second.config.secretKey, first.config.secretKey);
    assert.deepEqual(first.config.allowedHosts, ['localhost', '127.0.0.1', '[::1]']);
    assert.deepEqual(first.config.log, { level: 'debug', accessLog: false, pretty: true });
    assert.deepEqual(
      first.warnings.map((warning) => warning.code),
      ['CARAFE_GENERATED_SECRET_KEY'],
    );
    assert.match(first.warnings[0]!.message, /secretKey is not set.*env\('SECRET_KEY'\)/);
  });

  it('in debug mode treats an empty secret key or host list as unset, and allows a short key', () => {
    const generated = resolveQuietly({ debug: true }).config.secretKey;
    assert.equal(
      resolveQuietly({ debug: true, secretKey: '', allowedHosts: [] }).config.secretKey,
      generated,
    );
    assert.deepEqual(resolveQuietly({ debug: true, allowedHosts: [] }).config.allowedHosts, [
      'localhost',
      '127.0.0.1',
      '[::1]',
    ]);
    const short = resolveQuietly({ debug: true, secretKey: 'dev', secretKeyFallbacks: ['old'] });
    assert.equal(short.config.secretKey, 'dev');
    assert.deepEqual(short.config.secretKeyFallbacks, ['old']);
    assert.deepEqual(short.warnings, []);
  });

  it('uses given values over the defaults', () => {
    const apps = [{ name: 'polls' }];
    const { config } = resolveQuietly({
      ...production,
      debug: false,
      allowedHosts: ['Example.COM', ' .example.org ', '[::1]', '*', 'bücher.example'],
      secretKeyFallbacks: ['o'.repeat(32)],
      trustedProxies: ['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback', 'private'],
      limits: { bodySize: 10, files: 2 },
      trailingSlash: 'strict',
      staticUrl: '/assets/',
      static: 'public',
      staticRoot: 'staticfiles',
      log: { level: 'warn', accessLog: true, pretty: true },
      server: { keepAliveTimeout: 1, requestTimeout: 60000 },
      apps,
    });
    assert.deepEqual(config.allowedHosts, [
      'example.com',
      '.example.org',
      '[::1]',
      '*',
      'bücher.example',
    ]);
    assert.deepEqual(config.secretKeyFallbacks, ['o'.repeat(32)]);
    assert.deepEqual(config.trustedProxies, [
      '10.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
      'private',
    ]);
    assert.deepEqual(config.limits, { ...defaultLimits, bodySize: 10, files: 2 });
    assert.equal(config.trailingSlash, 'strict');
    assert.equal(config.staticUrl, '/assets/');
    assert.deepEqual(config.static, ['public']);
    assert.deepEqual(config.log, { level: 'warn', accessLog: true, pretty: true });
    assert.equal(config.server.keepAliveTimeout, 1);
    assert.equal(config.server.requestTimeout, 60000);
    assert.equal(config.server.headersTimeout, 10000);
    assert.equal(config.staticRoot, 'staticfiles');
    assert.equal(config.apps, apps, 'apps are passed through untouched');
    assert.deepEqual(resolveQuietly({ ...production, static: ['a', 'b'] }).config.static, [
      'a',
      'b',
    ]);
  });

  it('freezes the result', () => {
    const { config } = resolveQuietly(production);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.limits));
    assert.ok(Object.isFrozen(config.log));
    assert.ok(Object.isFrozen(config.server));
  });

  it('warns when debug is on under NODE_ENV=production', () => {
    const { warnings } = resolveQuietly({ ...production, debug: true }, { NODE_ENV: 'production' });
    assert.deepEqual(
      warnings.map((warning) => warning.code),
      ['CARAFE_DEBUG_IN_PRODUCTION'],
    );
    assert.deepEqual(
      resolveQuietly({ ...production, debug: true }, { NODE_ENV: 'development' }).warnings,
      [],
    );
    assert.deepEqual(resolveQuietly(production, { NODE_ENV: 'production' }).warnings, []);
  });

  it('without onWarning emits each warning code once per process as a CarafeWarning', async () => {
    const seen: Error[] = [];
    const listener = (warning: Error) => {
      if (warning.name === 'CarafeWarning') seen.push(warning);
    };
    process.on('warning', listener);
    try {
      const input = { ...production, debug: true };
      resolveConfig(input, { env: { NODE_ENV: 'production' } });
      resolveConfig(input, { env: { NODE_ENV: 'production' } });
      await new Promise((done) => setImmediate(done));
    } finally {
      process.off('warning', listener);
    }
    assert.equal(seen.length, 1);
    assert.match(seen[0]!.message, /debug is on while NODE_ENV is "production"/);
  });
});
