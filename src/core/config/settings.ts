// The core settings: each turns what the user wrote (or nothing) into the value the app runs with.
import { randomBytes } from 'node:crypto';
import { CarafeError } from '../errors.js';
import { defaultLimits, type RequestLimits } from '../http/limits.js';
import { HostPolicy, ProxyPolicy } from '../http/proxy.js';
import {
  checkBoolean,
  checkObject,
  checkOneOf,
  checkPositiveInteger,
  checkString,
  checkStringList,
} from './checks.js';
import { describeValue, type SettingContext } from './problems.js';
import type { CarafeConfig, ResolvedConfig, ServerConfig } from './types.js';

export const coreSettingNames = [
  'debug',
  'secretKey',
  'secretKeyFallbacks',
  'allowedHosts',
  'trustedProxies',
  'limits',
  'trailingSlash',
  'staticUrl',
  'static',
  'staticRoot',
  'log',
  'server',
  'apps',
] as const;

export type CoreSettingName = (typeof coreSettingNames)[number];

type CoreResolvers = {
  [Name in CoreSettingName]: (
    value: CarafeConfig[Name],
    context: SettingContext,
  ) => ResolvedConfig[Name];
};

const generateKeyCommand = `node -e "console.log(require('node:crypto').randomBytes(48).toString('base64url'))"`;

const minimumKeyLength = 32;
const debugHosts = ['localhost', '127.0.0.1', '[::1]'];
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const limitUnits: Record<keyof RequestLimits, string> = {
  bodySize: 'bytes',
  uploadSize: 'bytes',
  formFields: 'fields',
  files: 'files',
  fileMemoryThreshold: 'bytes',
};
const limitNames = Object.keys(limitUnits);
const defaultServer: ServerConfig = {
  keepAliveTimeout: 5_000,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  shutdownTimeout: 10_000,
  maxHeaderSize: 16_384,
};
const serverUnits: Record<keyof ServerConfig, string> = {
  keepAliveTimeout: 'milliseconds',
  headersTimeout: 'milliseconds',
  requestTimeout: 'milliseconds',
  shutdownTimeout: 'milliseconds',
  maxHeaderSize: 'bytes',
};
const serverNames = Object.keys(serverUnits);

// One key per process: restarting the dev server invalidates sessions, which is what a
// developer expects, while every app created in one process (tests included) agrees.
let generatedSecretKey: string | undefined;

export const coreSettings: CoreResolvers = {
  debug(value, context) {
    const debug = value === undefined ? false : checkBoolean(value, 'debug', context);
    if (debug && context.env.NODE_ENV === 'production') {
      context.warn({
        code: 'CARAFE_DEBUG_IN_PRODUCTION',
        message:
          'debug is on while NODE_ENV is "production": error pages show source code and request data to anyone. Set debug: false in production.',
      });
    }
    return debug;
  },

  secretKey(value, context) {
    const key = value === undefined ? '' : checkString(value, 'secretKey', context);
    if (key === '') {
      if (context.debug) {
        generatedSecretKey ??= randomBytes(48).toString('base64url');
        context.warn({
          code: 'CARAFE_GENERATED_SECRET_KEY',
          message:
            "secretKey is not set, so a random key was generated for this process; sessions and signed cookies stop working when it restarts. Set secretKey: env('SECRET_KEY') to keep them.",
        });
        return generatedSecretKey;
      }
      return context.fail(
        'secretKey',
        value === undefined ? 'is missing' : 'is empty',
        `Outside debug mode Carafe needs a secret key to sign cookies and tokens. Generate one with ${generateKeyCommand}, put it in the SECRET_KEY environment variable (or .env) and write secretKey: env('SECRET_KEY').`,
      );
    }
    if (!context.debug) checkKeyLength(key, 'secretKey', context);
    return key;
  },

  secretKeyFallbacks(value, context) {
    if (value === undefined) return [];
    const keys = checkStringList(value, 'secretKeyFallbacks', context);
    if (!context.debug) {
      for (const [index, key] of keys.entries())
        checkKeyLength(key, `secretKeyFallbacks[${index}]`, context);
    }
    return keys;
  },

  allowedHosts(value, context) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (context.debug) return [...debugHosts];
      return context.fail(
        'allowedHosts',
        value === undefined ? 'is missing' : 'is empty',
        `Outside debug mode list the host names this site answers to, e.g. allowedHosts: ['example.com', '.example.com'] (a leading dot also matches subdomains); from an environment variable use env.list('ALLOWED_HOSTS').`,
      );
    }
    return checkStringList(value, 'allowedHosts', context).map((host, index) => {
      if (!acceptedBy(() => new HostPolicy([host]))) {
        context.fail(
          `allowedHosts[${index}]`,
          `is not a host name (got ${describeValue(host)})`,
          `List names without scheme, path or port: 'example.com', '.example.com' (with its subdomains), '[::1]' or '*'.`,
        );
      }
      return host.toLowerCase();
    });
  },

  trustedProxies(value, context) {
    if (value === undefined) return [];
    return checkStringList(value, 'trustedProxies', context).map((entry, index) => {
      if (!acceptedBy(() => new ProxyPolicy({ trustedProxies: [entry] }))) {
        context.fail(
          `trustedProxies[${index}]`,
          `is not an IP address or CIDR range (got ${describeValue(entry)})`,
          `Give the proxy's address ('10.0.0.1', '::1'), a range ('10.0.0.0/8') or 'loopback' or 'private'.`,
        );
      }
      return entry;
    });
  },

  limits(value, context) {
    const given = value === undefined ? {} : checkObject(value, limitNames, 'limits', context);
    const limits = { ...defaultLimits };
    for (const name of Object.keys(limitUnits) as (keyof RequestLimits)[]) {
      if (given[name] === undefined) continue;
      limits[name] = checkPositiveInteger(
        given[name],
        `limits.${name}`,
        context,
        limitUnits[name],
        defaultLimits[name],
      );
    }
    return Object.freeze(limits);
  },

  trailingSlash(value, context) {
    return value === undefined
      ? 'append'
      : checkOneOf(value, ['append', 'strict'], 'trailingSlash', context);
  },

  staticUrl(value, context) {
    if (value === undefined) return '/static/';
    const url = checkString(value, 'staticUrl', context);
    if (url.length < 2 || !url.startsWith('/') || !url.endsWith('/')) {
      context.fail(
        'staticUrl',
        `must start and end with "/" (got ${describeValue(url)})`,
        `Write it like '/static/'.`,
      );
    }
    return url;
  },

  static(value, context) {
    if (value === undefined) return [];
    return checkStringList(typeof value === 'string' ? [value] : value, 'static', context);
  },

  staticRoot(value, context) {
    if (value === undefined) return undefined;
    const folder = checkString(value, 'staticRoot', context).trim();
    if (folder === '') {
      context.fail(
        'staticRoot',
        'is empty',
        "Name a folder such as 'staticfiles', or leave it out.",
      );
    }
    return folder;
  },

  log(value, context) {
    const given =
      value === undefined
        ? {}
        : checkObject(value, ['level', 'accessLog', 'pretty'], 'log', context);
    return Object.freeze({
      level:
        given.level === undefined
          ? context.debug
            ? 'debug'
            : 'info'
          : checkOneOf(given.level, logLevels, 'log.level', context),
      accessLog:
        given.accessLog === undefined
          ? false
          : checkBoolean(given.accessLog, 'log.accessLog', context),
      pretty:
        given.pretty === undefined
          ? context.debug
          : checkBoolean(given.pretty, 'log.pretty', context),
    });
  },

  server(value, context) {
    const given = value === undefined ? {} : checkObject(value, serverNames, 'server', context);
    const server = { ...defaultServer };
    for (const name of Object.keys(serverUnits) as (keyof ServerConfig)[]) {
      if (given[name] === undefined) continue;
      server[name] = checkPositiveInteger(
        given[name],
        `server.${name}`,
        context,
        serverUnits[name],
        defaultServer[name],
      );
    }
    if (server.headersTimeout > server.requestTimeout) {
      context.fail(
        'server.headersTimeout',
        `(${server.headersTimeout} ms) is longer than server.requestTimeout (${server.requestTimeout} ms)`,
        'Node refuses to start a server like that: raise requestTimeout or lower headersTimeout.',
      );
    }
    return Object.freeze(server);
  },

  apps(value, context) {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      return context.fail(
        'apps',
        `must be a list (got ${describeValue(value)})`,
        'Write apps: [auth, admin, polls].',
      );
    }
    return value;
  },
};

function checkKeyLength(key: string, path: string, context: SettingContext): void {
  if (key.length >= minimumKeyLength) return;
  // The key itself is never echoed: error messages end up in logs.
  context.fail(
    path,
    `is too short (${key.length} characters; at least ${minimumKeyLength} are needed outside debug mode)`,
    `Generate a strong key with ${generateKeyCommand}.`,
  );
}

// The policies that will use these entries are the judges of their syntax.
function acceptedBy(construct: () => unknown): boolean {
  try {
    construct();
    return true;
  } catch (error) {
    if (error instanceof CarafeError) return false;
    throw error;
  }
}
