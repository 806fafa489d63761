// 'carafe/mail': sending email (Django's django.core.mail) through SMTP (nodemailer), the console,
// .eml files or an in-memory outbox for tests. Importing it registers the `mail` setting.
import './settings.js';

export type { MailAddress, MailAddressList } from './address.js';
export { mail } from './app.js';
export type { MailBackend } from './backend.js';
export { ConsoleBackend } from './backends/console.js';
export { FileBackend } from './backends/file.js';
export { MemoryBackend, outbox } from './backends/memory.js';
export { SmtpBackend } from './backends/smtp.js';
export { configureMail, sendMail, sendMassMail } from './mailer.js';
export { EmailMessage, type MailAttachment, type MailOptions } from './message.js';
export type {
  MailBackendName,
  MailConfig,
  ResolvedMailConfig,
  ResolvedSmtpConfig,
  SmtpConfig,
} from './settings.js';
