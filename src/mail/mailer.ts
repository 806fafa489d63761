// The process-wide mail backend, set from the `mail` setting by the mail() app (or directly by
// configureMail in a script), and the functions that send through it.
import { CarafeError, type SettingContext } from '../index.js';
import type { MailBackend } from './backend.js';
import { ConsoleBackend } from './backends/console.js';
import { FileBackend } from './backends/file.js';
import { MemoryBackend } from './backends/memory.js';
import { SmtpBackend } from './backends/smtp.js';
import { EmailMessage, type MailOptions } from './message.js';
import { type MailConfig, type ResolvedMailConfig, resolveMailSetting } from './settings.js';

interface Active {
  readonly backend: MailBackend;
  readonly from: string;
}

let active: Active | undefined;

function createBackend(config: ResolvedMailConfig): MailBackend {
  switch (config.backend) {
    case 'console':
      return new ConsoleBackend();
    case 'file':
      // The setting refuses 'file' without a folder; this keeps the types honest.
      if (config.fileDir === undefined) {
        throw new CarafeError(
          'CARAFE_MAIL_CONFIG',
          "mail.fileDir is needed by the 'file' backend.",
        );
      }
      return new FileBackend(config.fileDir);
    case 'memory':
      return new MemoryBackend();
    case 'smtp':
      return new SmtpBackend(config.smtp);
    default:
      return config.backend;
  }
}

/** Makes `config` (an app's resolved `mail` setting) the one mail is sent with. */
export function useMailConfig(config: ResolvedMailConfig): void {
  active = { backend: createBackend(config), from: config.from };
}

/**
 * Sets how mail is sent without an app, e.g. in a script or a test:
 * `configureMail({ backend: 'memory' })`. Takes what the `mail` setting takes; unset values get
 * the defaults outside debug mode (so `backend` defaults to `'smtp'`).
 */
export function configureMail(config: MailConfig): void {
  const context: SettingContext = {
    debug: false,
    env: process.env,
    fail(path, problem, fix) {
      throw new CarafeError('CARAFE_MAIL_CONFIG', `configureMail(): ${path} ${problem}. ${fix}`);
    },
    warn() {},
  };
  useMailConfig(resolveMailSetting(config, context));
}

function current(): Active {
  if (active !== undefined) return active;
  throw new CarafeError(
    'CARAFE_MAIL_NOT_CONFIGURED',
    'No mail backend is configured. Add mail() from carafe/mail to config.apps (it reads the `mail` setting), ' +
      "or call configureMail({ backend: 'console' }) in a script or test.",
  );
}

function toMessage(entry: MailOptions | EmailMessage): EmailMessage {
  return entry instanceof EmailMessage ? entry : new EmailMessage(entry);
}

/**
 * Sends one email: `await sendMail({ to: user.email, subject, text })`. Resolves to the number
 * sent (1). `from` defaults to the `mail.from` setting.
 */
export async function sendMail(message: MailOptions | EmailMessage): Promise<number> {
  return sendMassMail([message]);
}

/**
 * Sends several emails over one connection (one SMTP session), each addressed on its own.
 * Resolves to the number sent.
 */
export async function sendMassMail(
  messages: readonly (MailOptions | EmailMessage)[],
): Promise<number> {
  // Every message is checked before the first is sent, so a bad one sends nothing.
  const checked = messages.map(toMessage);
  const { backend, from } = current();
  return backend.send(checked.map((message) => message.withDefaultFrom(from)));
}
