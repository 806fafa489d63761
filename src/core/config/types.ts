// The shape of `carafe.config.ts` and of the configuration the app runs with.
// Both are interfaces so batteries can add their own settings by declaration merging.
import type { RequestLimits } from '../http/limits.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type TrailingSlash = 'append' | 'strict';

export interface LogConfig {
  /** Lowest level written. Default `'info'`, `'debug'` in debug mode. */
  level?: LogLevel | undefined;
  /** One line per request with status and duration. Default false. */
  accessLog?: boolean | undefined;
  /** Human-readable lines instead of JSON. Default: on in debug mode. */
  pretty?: boolean | undefined;
}

export interface ResolvedLogConfig {
  readonly level: LogLevel;
  readonly accessLog: boolean;
  readonly pretty: boolean;
}

/** Timeouts are in milliseconds; sizes in bytes. */
export interface ServerConfig {
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeout: number;
  /** How long a client may take to send the request headers. */
  headersTimeout: number;
  /** How long a client may take to send the whole request. */
  requestTimeout: number;
  /** How long a graceful shutdown waits for requests in flight. */
  shutdownTimeout: number;
  /** Largest total size of the request headers (431 above). */
  maxHeaderSize: number;
}

/**
 * What a project writes in `carafe.config.ts`. Every setting is optional; `resolveConfig`
 * fills the defaults. A battery adds a setting with
 * `declare module 'carafe' { interface CarafeConfig { cache?: CacheConfig } }`
 * plus `registerSetting('cache', …)`.
 */
export interface CarafeConfig {
  /** Detailed error pages, relaxed host checks and a generated secret key. Never in production. */
  debug?: boolean | undefined;
  /** Signs cookies and tokens. Required outside debug mode, at least 32 characters. */
  secretKey?: string | undefined;
  /** Previous secret keys, still accepted when verifying signatures, so keys can be rotated. */
  secretKeyFallbacks?: readonly string[] | undefined;
  /** Host names this site answers to (Django's ALLOWED_HOSTS). Required outside debug mode. */
  allowedHosts?: readonly string[] | undefined;
  /** IPs or CIDR ranges of proxies whose X-Forwarded-* headers are believed. */
  trustedProxies?: readonly string[] | undefined;
  /** Body and form limits, merged over the defaults. */
  limits?: Partial<RequestLimits> | undefined;
  /** `'append'` redirects `/polls` to `/polls/` when only the latter exists; `'strict'` does not. */
  trailingSlash?: TrailingSlash | undefined;
  /** URL prefix static files are served under. Starts and ends with `/`. */
  staticUrl?: string | undefined;
  /** Project static folders, searched before the apps' own. */
  static?: string | readonly string[] | undefined;
  /**
   * Where `carafe collectstatic` gathers every static file (with hashed copies and a manifest);
   * served after the other static folders.
   */
  staticRoot?: string | undefined;
  log?: LogConfig | undefined;
  server?: Partial<ServerConfig> | undefined;
  /** The apps (Django's INSTALLED_APPS), read by the app and its batteries. */
  apps?: readonly unknown[] | undefined;
}

/** The configuration the app runs with: every setting present, validated and frozen. */
export interface ResolvedConfig {
  readonly debug: boolean;
  readonly secretKey: string;
  readonly secretKeyFallbacks: readonly string[];
  readonly allowedHosts: readonly string[];
  readonly trustedProxies: readonly string[];
  readonly limits: Readonly<RequestLimits>;
  readonly trailingSlash: TrailingSlash;
  readonly staticUrl: string;
  readonly static: readonly string[];
  readonly staticRoot: string | undefined;
  readonly log: ResolvedLogConfig;
  readonly server: Readonly<ServerConfig>;
  readonly apps: readonly unknown[];
}
