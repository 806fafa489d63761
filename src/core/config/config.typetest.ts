// Type-level tests for the config surface: env overloads, defineConfig and battery augmentation.
import { type Equal, expectTrue, expectType } from '../../../test/support/type-assert.js';
import type { RequestLimits } from '../http/limits.js';
import {
  type CarafeConfig,
  defineConfig,
  env,
  type LogLevel,
  type ResolvedConfig,
  registerSetting,
  resolveConfig,
} from './index.js';

// A battery adds a setting exactly as documented: augment 'carafe', then registerSetting.
// Optional on both sides so this test-only setting does not burden other code that builds configs.
declare module 'carafe' {
  interface CarafeConfig {
    typetestWidget?: { size?: number | undefined } | undefined;
  }
  interface ResolvedConfig {
    readonly typetestWidget?: { readonly size: number };
  }
}

// env: the fallback decides whether undefined is possible.
const secret = env('SECRET_KEY');
expectTrue<Equal<typeof secret, string | undefined>>();
const databaseUrl = env('DATABASE_URL', 'sqlite://db.sqlite3');
expectTrue<Equal<typeof databaseUrl, string>>();
const debugFlag = env.bool('DEBUG');
expectTrue<Equal<typeof debugFlag, boolean | undefined>>();
const debugOff = env.bool('DEBUG', false);
expectTrue<Equal<typeof debugOff, boolean>>();
const port = env.int('PORT');
expectTrue<Equal<typeof port, number | undefined>>();
const portOr = env.int('PORT', 8000);
expectTrue<Equal<typeof portOr, number>>();
const hosts = env.list('ALLOWED_HOSTS');
expectTrue<Equal<typeof hosts, string[] | undefined>>();
const hostsOr = env.list('ALLOWED_HOSTS', ['localhost']);
expectTrue<Equal<typeof hostsOr, string[]>>();
// @ts-expect-error the fallback must match the parsed type
env.bool('DEBUG', 'false');
// @ts-expect-error the fallback must match the parsed type
env.int('PORT', '8000');
// @ts-expect-error the fallback must match the parsed type
env.list('ALLOWED_HOSTS', 'localhost');

// defineConfig accepts what env returns, with or without fallbacks.
const config = defineConfig({
  secretKey: env('SECRET_KEY'),
  debug: env.bool('DEBUG', false),
  allowedHosts: env.list('ALLOWED_HOSTS'),
  database: env('DATABASE_URL', 'sqlite://db.sqlite3'),
  limits: { bodySize: 2_000_000 },
  log: { level: 'warn', accessLog: true },
  server: { shutdownTimeout: 5_000 },
  static: 'public',
  apps: [],
  typetestWidget: { size: 3 },
});
expectType<CarafeConfig>(config);

// @ts-expect-error unknown settings are rejected at compile time too
defineConfig({ alowedHosts: ['example.com'] });
// @ts-expect-error log levels are a closed set
defineConfig({ log: { level: 'verbose' } });
// @ts-expect-error trailingSlash is 'append' or 'strict'
defineConfig({ trailingSlash: 'always' });
// @ts-expect-error limits only holds known limits
defineConfig({ limits: { bodysize: 10 } });

// Resolved settings are all present and fully typed.
const resolved = resolveConfig(config);
expectTrue<Equal<typeof resolved, ResolvedConfig>>();
expectTrue<Equal<typeof resolved.secretKey, string>>();
expectTrue<Equal<typeof resolved.allowedHosts, readonly string[]>>();
expectTrue<Equal<typeof resolved.limits, Readonly<RequestLimits>>>();
expectTrue<Equal<typeof resolved.log.level, LogLevel>>();
expectTrue<Equal<typeof resolved.server.keepAliveTimeout, number>>();
expectTrue<Equal<typeof resolved.static, readonly string[]>>();
expectTrue<Equal<typeof resolved.typetestWidget, { readonly size: number } | undefined>>();

// registerSetting is typed against both interfaces.
registerSetting('typetestWidget', {
  resolve(value, context) {
    expectTrue<Equal<typeof value, { size?: number | undefined } | undefined>>();
    expectType<boolean>(context.debug);
    return { size: value?.size ?? 1 };
  },
});
registerSetting('typetestWidget', {
  // @ts-expect-error the resolved value must match ResolvedConfig
  resolve: () => ({ size: 'large' }),
});
// @ts-expect-error only declared settings can be registered
registerSetting('undeclaredSetting', { resolve: () => 1 });
