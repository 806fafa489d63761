// The `mail` setting: which backend sends, the default sender, and where the SMTP server or the
// .eml folder is. Checked when the config is resolved, so a typo fails at startup, not at the
// first password reset.
import { resolve } from 'node:path';
import {
  checkBoolean,
  checkObject,
  checkOneOf,
  checkPositiveInteger,
  checkString,
  registerSetting,
  type SettingContext,
} from '../index.js';
import { formatAddress, parseAddress } from './address.js';
import type { MailBackend } from './backend.js';

export type MailBackendName = 'console' | 'file' | 'memory' | 'smtp';

export interface SmtpConfig {
  /** `smtp://user:password@host:port` or `smtps://…` (TLS from the start); or give the parts below. */
  url?: string | undefined;
  /** Default `'localhost'`. */
  host?: string | undefined;
  /** Default 465 when `secure`, else 25. */
  port?: number | undefined;
  /** TLS from the start (port 465). Otherwise STARTTLS is used when the server offers it. Default: port is 465. */
  secure?: boolean | undefined;
  auth?: { user: string; pass: string } | undefined;
  /** Milliseconds to wait for the connection, the greeting and each reply. Default 10 000. */
  timeout?: number | undefined;
}

export interface MailConfig {
  /**
   * `'smtp'`, `'console'` (print), `'file'` (one .eml per message in `fileDir`), `'memory'`
   * (the `outbox` array, for tests), or your own `MailBackend`. Default: `'console'` in debug
   * mode, else `'smtp'`.
   */
  backend?: MailBackendName | MailBackend | undefined;
  /** The sender when a message gives none (Django's DEFAULT_FROM_EMAIL). Default `'webmaster@localhost'`. */
  from?: string | undefined;
  smtp?: SmtpConfig | undefined;
  /** The folder of the `'file'` backend, created when missing. */
  fileDir?: string | undefined;
}

export interface ResolvedSmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly auth: { readonly user: string; readonly pass: string } | undefined;
  readonly timeout: number;
}

export interface ResolvedMailConfig {
  readonly backend: MailBackendName | MailBackend;
  readonly from: string;
  readonly smtp: ResolvedSmtpConfig;
  /** Absolute; set when the backend is `'file'`. */
  readonly fileDir: string | undefined;
}

declare module '../index.js' {
  interface CarafeConfig {
    /** How email is sent (`carafe/mail`). */
    mail?: MailConfig | undefined;
  }
  interface ResolvedConfig {
    readonly mail: ResolvedMailConfig;
  }
}

const backendNames = ['console', 'file', 'memory', 'smtp'] as const;
const defaultTimeout = 10_000;

function isBackend(value: unknown): value is MailBackend {
  return (
    typeof value === 'object' &&
    value !== null &&
    'send' in value &&
    typeof value.send === 'function'
  );
}

function resolveBackend(value: unknown, context: SettingContext): MailBackendName | MailBackend {
  if (value === undefined) return context.debug ? 'console' : 'smtp';
  if (isBackend(value)) return value;
  if (typeof value === 'object' && value !== null) {
    return context.fail(
      'mail.backend',
      'is an object without a send(messages) method',
      "Give one of 'smtp', 'console', 'file', 'memory', or an object with async send(messages) returning the number sent.",
    );
  }
  return checkOneOf(value, backendNames, 'mail.backend', context);
}

function resolveFrom(value: unknown, context: SettingContext): string {
  if (value === undefined) return 'webmaster@localhost';
  const text = checkString(value, 'mail.from', context);
  try {
    return formatAddress(parseAddress(text, 'from'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return context.fail('mail.from', 'is not a usable sender', message);
  }
}

function fromUrl(url: string, context: SettingContext): Partial<ResolvedSmtpConfig> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return context.fail(
      'mail.smtp.url',
      'cannot be parsed as a URL',
      'Write it like smtp://user:password@smtp.example.com:587 (percent-encode special characters in the password).',
    );
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    context.fail(
      'mail.smtp.url',
      `must start with smtp:// or smtps:// (got ${parsed.protocol}//)`,
      'Use smtps:// for TLS from the start (port 465), smtp:// otherwise (STARTTLS is used when offered).',
    );
  }
  if (parsed.search !== '' || (parsed.pathname !== '' && parsed.pathname !== '/')) {
    context.fail(
      'mail.smtp.url',
      'has a path or query string',
      'Give only user, password, host and port; other options go in mail.smtp.',
    );
  }
  const secure = parsed.protocol === 'smtps:';
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(parsed.username);
    pass = decodeURIComponent(parsed.password);
  } catch {
    return context.fail(
      'mail.smtp.url',
      'has a user or password that is not valid percent-encoding',
      'Encode special characters with encodeURIComponent (a "%" becomes %25).',
    );
  }
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    secure,
    ...(parsed.port === '' ? {} : { port: Number(parsed.port) }),
    ...(user === '' ? {} : { auth: Object.freeze({ user, pass }) }),
  };
}

function resolvePort(value: unknown, context: SettingContext): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65_535) {
    return value;
  }
  return context.fail(
    'mail.smtp.port',
    `must be a port number from 1 to 65535 (got ${typeof value === 'number' ? value : typeof value})`,
    "Give the server's port: usually 587 (submission with STARTTLS), 465 (TLS) or 25.",
  );
}

function resolveAuth(value: unknown, context: SettingContext): ResolvedSmtpConfig['auth'] {
  const given = checkObject(value, ['user', 'pass'], 'mail.smtp.auth', context);
  return Object.freeze({
    user: checkString(given.user, 'mail.smtp.auth.user', context),
    pass: checkString(given.pass, 'mail.smtp.auth.pass', context),
  });
}

function resolveSmtp(value: unknown, context: SettingContext): ResolvedSmtpConfig {
  const given =
    value === undefined
      ? {}
      : checkObject(
          value,
          ['url', 'host', 'port', 'secure', 'auth', 'timeout'],
          'mail.smtp',
          context,
        );
  const url =
    given.url === undefined
      ? {}
      : fromUrl(checkString(given.url, 'mail.smtp.url', context), context);
  if (given.url !== undefined && given.host !== undefined) {
    context.fail(
      'mail.smtp',
      'has both url and host',
      'Give the server either as a url or as host/port/secure/auth, not both.',
    );
  }
  const host =
    given.host === undefined ? url.host : checkString(given.host, 'mail.smtp.host', context);
  const port = given.port === undefined ? url.port : resolvePort(given.port, context);
  const secure =
    given.secure === undefined
      ? (url.secure ?? port === 465)
      : checkBoolean(given.secure, 'mail.smtp.secure', context);
  return Object.freeze({
    host: host === undefined || host === '' ? 'localhost' : host,
    port: port ?? (secure ? 465 : 25),
    secure,
    auth: given.auth === undefined ? url.auth : resolveAuth(given.auth, context),
    timeout:
      given.timeout === undefined
        ? defaultTimeout
        : checkPositiveInteger(
            given.timeout,
            'mail.smtp.timeout',
            context,
            'milliseconds',
            defaultTimeout,
          ),
  });
}

export function resolveMailSetting(value: unknown, context: SettingContext): ResolvedMailConfig {
  const given =
    value === undefined
      ? {}
      : checkObject(value, ['backend', 'from', 'smtp', 'fileDir'], 'mail', context);
  const backend = resolveBackend(given.backend, context);
  let fileDir: string | undefined;
  if (given.fileDir !== undefined)
    fileDir = resolve(checkString(given.fileDir, 'mail.fileDir', context));
  if (backend === 'file' && fileDir === undefined) {
    context.fail(
      'mail.fileDir',
      "is missing while mail.backend is 'file'",
      "Name the folder the .eml files go to, e.g. fileDir: 'tmp/mail'.",
    );
  }
  return Object.freeze({
    backend,
    from: resolveFrom(given.from, context),
    smtp: resolveSmtp(given.smtp, context),
    fileDir,
  });
}

registerSetting('mail', { resolve: resolveMailSetting });
