// Sends through an SMTP server with nodemailer, one connection per batch (as Django does), so a
// script that sends mail can exit without closing anything.
import { CarafeError } from '../../index.js';
import type { MailBackend } from '../backend.js';
import type { EmailMessage } from '../message.js';
import type { ResolvedSmtpConfig } from '../settings.js';

export class SmtpBackend implements MailBackend {
  readonly #config: ResolvedSmtpConfig;

  constructor(config: ResolvedSmtpConfig) {
    this.#config = config;
  }

  async send(messages: readonly EmailMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    // Loaded on first use, so a project that never sends mail never loads nodemailer.
    const { default: nodemailer } = await import('nodemailer');
    const { host, port, secure, auth, timeout } = this.#config;
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      host,
      port,
      secure,
      ...(auth === undefined ? {} : { auth: { user: auth.user, pass: auth.pass } }),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    let sent = 0;
    try {
      for (const message of messages) {
        // The text is ours, so every backend sends the same bytes; nodemailer only carries them.
        await transport.sendMail({
          envelope: { from: message.fromAddress, to: message.recipients() },
          raw: await message.render(),
        });
        sent++;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const progress = messages.length > 1 ? ` (${sent} of ${messages.length} were sent)` : '';
      throw new CarafeError(
        'CARAFE_MAIL_SMTP',
        `Sending email through the SMTP server ${host}:${port} failed${progress}: ${reason}. ` +
          'Check mail.smtp (host, port, secure, auth) in carafe.config.ts and that the server accepts the sender and recipients.',
        { cause: error },
      );
    } finally {
      transport.close();
    }
    return sent;
  }
}
