// Keeps sent messages in a list, for tests (Django's locmem backend and mail.outbox).
import type { MailBackend } from '../backend.js';
import type { EmailMessage } from '../message.js';

/**
 * Every message the memory backend sent in this process, oldest first. Tests read it and
 * empty it with `outbox.length = 0`.
 */
export const outbox: EmailMessage[] = [];

export class MemoryBackend implements MailBackend {
  async send(messages: readonly EmailMessage[]): Promise<number> {
    outbox.push(...messages);
    return messages.length;
  }
}
