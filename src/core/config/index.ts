// Configuration: what `carafe.config.ts` writes, how it is checked, and the env helpers.
export {
  checkBoolean,
  checkObject,
  checkOneOf,
  checkPositiveInteger,
  checkString,
  checkStringList,
} from './checks.js';
export { loadDotenv, parseDotenv } from './dotenv.js';
export { env } from './env.js';
export type { ConfigWarning, SettingContext } from './problems.js';
export { registerSetting, type SettingDefinition, type SettingName } from './registry.js';
export { defineConfig, type ResolveOptions, resolveConfig } from './resolve.js';
export type {
  CarafeConfig,
  LogConfig,
  LogLevel,
  ResolvedConfig,
  ResolvedLogConfig,
  ServerConfig,
  TrailingSlash,
} from './types.js';
