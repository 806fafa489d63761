// Prints each message as its RFC 5322 text: mail in development without a server.
import type { Writable } from 'node:stream';
import type { MailBackend } from '../backend.js';
import type { EmailMessage } from '../message.js';

const separator = '-'.repeat(79);

export class ConsoleBackend implements MailBackend {
  readonly #stream: Writable;

  /** Writes to `stream` (default `process.stdout`). */
  constructor(options: { stream?: Writable | undefined } = {}) {
    this.#stream = options.stream ?? process.stdout;
  }

  async send(messages: readonly EmailMessage[]): Promise<number> {
    for (const message of messages) {
      // LF line ends read better in a terminal; the message is otherwise what SMTP would carry.
      const text = (await message.render()).replaceAll('\r\n', '\n');
      this.#stream.write(`${text}\n${separator}\n`);
    }
    return messages.length;
  }
}
