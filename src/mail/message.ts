// One email, checked when it is made (addresses, line breaks in headers, recipients), and turned
// into RFC 5322 text by nodemailer's MIME composer when a backend needs the text.
import { CarafeError } from '../index.js';
import {
  formatAddress,
  type MailAddress,
  type MailAddressList,
  type ParsedAddress,
  parseAddress,
  parseAddressList,
  rejectLineBreaks,
} from './address.js';

export interface MailAttachment {
  /** The name the recipient sees; its extension picks the content type unless `contentType` is given. */
  readonly filename: string;
  readonly content: string | Uint8Array;
  /** `'application/pdf'`, `'text/csv; charset=utf-8'`, … */
  readonly contentType?: string | undefined;
}

export interface MailOptions {
  readonly to?: MailAddressList | undefined;
  readonly subject: string;
  /** The plain-text body; with `html`, the text alternative of the HTML. */
  readonly text: string;
  readonly html?: string | undefined;
  /** Defaults to the `mail.from` setting. */
  readonly from?: MailAddress | undefined;
  readonly cc?: MailAddressList | undefined;
  /** Receive the message without appearing in its headers. */
  readonly bcc?: MailAddressList | undefined;
  readonly replyTo?: MailAddressList | undefined;
  readonly attachments?: readonly MailAttachment[] | undefined;
  /** Extra headers: `{ 'List-Unsubscribe': '<https://example.com/unsubscribe/>' }`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

// Set from the message's own fields; a second copy from `headers` would contradict them.
const ownedHeaders = new Map([
  ['from', 'from'],
  ['to', 'to'],
  ['cc', 'cc'],
  ['bcc', 'bcc'],
  ['reply-to', 'replyTo'],
  ['subject', 'subject'],
  ['content-type', 'text, html and attachments'],
  ['content-transfer-encoding', 'text, html and attachments'],
  ['mime-version', 'text, html and attachments'],
]);
const headerName = /^[!-9;-~]+$/;
const mediaType = /^[\w.+-]+\/[\w.+-]+(?:\s*;.*)?$/;

function checkHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!headerName.test(name)) {
      throw new CarafeError(
        'CARAFE_MAIL_HEADER',
        `${JSON.stringify(name)} is not a valid header name: use printable ASCII letters, digits and "-", without spaces or ":".`,
      );
    }
    const option = ownedHeaders.get(name.toLowerCase());
    if (option !== undefined) {
      throw new CarafeError(
        'CARAFE_MAIL_HEADER',
        `The ${name} header is set from the message itself: use the ${option} option instead of headers.`,
      );
    }
    if (typeof value !== 'string') {
      throw new CarafeError('CARAFE_MAIL_HEADER', `The ${name} header must be a string.`);
    }
    rejectLineBreaks(value, `${name} header`);
    checked[name] = value;
  }
  return checked;
}

function checkAttachment(attachment: MailAttachment, index: number): MailAttachment {
  const field = `attachments[${index}]`;
  if (typeof attachment.filename !== 'string' || attachment.filename.trim() === '') {
    throw new CarafeError('CARAFE_MAIL_ATTACHMENT', `The email's ${field} needs a filename.`);
  }
  rejectLineBreaks(attachment.filename, `${field} filename`);
  if (typeof attachment.content !== 'string' && !(attachment.content instanceof Uint8Array)) {
    throw new CarafeError(
      'CARAFE_MAIL_ATTACHMENT',
      `The email's ${field} content must be a string or bytes (a Buffer or Uint8Array); read a file with fs.readFile first.`,
    );
  }
  if (attachment.contentType !== undefined) {
    rejectLineBreaks(attachment.contentType, `${field} contentType`);
    if (!mediaType.test(attachment.contentType)) {
      throw new CarafeError(
        'CARAFE_MAIL_ATTACHMENT',
        `The email's ${field} contentType ${JSON.stringify(attachment.contentType)} is not a media type such as 'application/pdf'.`,
      );
    }
  }
  return Object.freeze({ ...attachment });
}

/**
 * An email, like Django's `EmailMessage`: `new EmailMessage({ to, subject, text })`, sent with
 * `sendMail(message)`. Addresses are checked here, so a bad one fails where it was written.
 */
export class EmailMessage {
  readonly from: string | undefined;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string | undefined;
  readonly attachments: readonly MailAttachment[];
  readonly headers: Readonly<Record<string, string>>;
  readonly #from: ParsedAddress | undefined;
  readonly #to: readonly ParsedAddress[];
  readonly #cc: readonly ParsedAddress[];
  readonly #bcc: readonly ParsedAddress[];
  readonly #replyTo: readonly ParsedAddress[];

  constructor(options: MailOptions) {
    if (typeof options.subject !== 'string') {
      throw new CarafeError('CARAFE_MAIL_MESSAGE', 'An email needs a subject (a string).');
    }
    if (typeof options.text !== 'string') {
      throw new CarafeError(
        'CARAFE_MAIL_MESSAGE',
        'An email needs a text body (a string), even when it has an HTML one: some readers show only the text.',
      );
    }
    rejectLineBreaks(options.subject, 'subject');
    this.#from = options.from === undefined ? undefined : parseAddress(options.from, 'from');
    this.#to = parseAddressList(options.to, 'to');
    this.#cc = parseAddressList(options.cc, 'cc');
    this.#bcc = parseAddressList(options.bcc, 'bcc');
    this.#replyTo = parseAddressList(options.replyTo, 'replyTo');
    if (this.#to.length + this.#cc.length + this.#bcc.length === 0) {
      throw new CarafeError(
        'CARAFE_MAIL_NO_RECIPIENTS',
        `The email "${options.subject}" has no recipients: give at least one address in to, cc or bcc.`,
      );
    }
    this.from = this.#from === undefined ? undefined : formatAddress(this.#from);
    this.to = Object.freeze(this.#to.map(formatAddress));
    this.cc = Object.freeze(this.#cc.map(formatAddress));
    this.bcc = Object.freeze(this.#bcc.map(formatAddress));
    this.replyTo = Object.freeze(this.#replyTo.map(formatAddress));
    this.subject = options.subject;
    this.text = options.text;
    this.html = options.html;
    this.attachments = Object.freeze((options.attachments ?? []).map(checkAttachment));
    this.headers = Object.freeze(checkHeaders(options.headers ?? {}));
  }

  /** The envelope's recipients: the bare addresses of to, cc and bcc, each once. */
  recipients(): string[] {
    return [...new Set([...this.#to, ...this.#cc, ...this.#bcc].map((entry) => entry.address))];
  }

  /** The bare address of `from` (the envelope sender), once it is set. */
  get fromAddress(): string | undefined {
    return this.#from?.address;
  }

  /** The same message with `from` filled in when it was left out. */
  withDefaultFrom(from: string): EmailMessage {
    if (this.#from !== undefined) return this;
    return new EmailMessage({
      from,
      to: this.#to,
      cc: this.#cc,
      bcc: this.#bcc,
      replyTo: this.#replyTo,
      subject: this.subject,
      text: this.text,
      html: this.html,
      attachments: this.attachments,
      headers: this.headers,
    });
  }

  /**
   * The message as RFC 5322 text with CRLF line ends, MIME-encoded (what an `.eml` file holds).
   * Bcc is left out, as it is from what the recipients get. Each call makes a new Message-ID.
   */
  async render(): Promise<string> {
    // Loaded on first use, so a project that never sends mail never loads nodemailer.
    const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
    const html = this.html;
    const addresses = (list: readonly ParsedAddress[]) =>
      list.length === 0 ? undefined : [...list];
    const composer = new MailComposer({
      from: this.#from,
      to: addresses(this.#to),
      cc: addresses(this.#cc),
      replyTo: addresses(this.#replyTo),
      subject: this.subject,
      text: this.text,
      ...(html === undefined ? {} : { html }),
      attachments: this.attachments.map((attachment) => ({
        filename: attachment.filename,
        content:
          typeof attachment.content === 'string'
            ? attachment.content
            : Buffer.from(attachment.content),
        ...(attachment.contentType === undefined ? {} : { contentType: attachment.contentType }),
      })),
      headers: { ...this.headers },
      newline: 'windows',
      // Contents are given as values: nothing in a message may make the composer read a file or URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const built = await composer.compile().build();
    return built.toString('utf8');
  }
}
