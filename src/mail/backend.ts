// What every way of sending mail implements; a project's own (an HTTP API, a queue) fits here too.
import type { EmailMessage } from './message.js';

export interface MailBackend {
  /**
   * Sends the messages (each with `from` set) over one connection where that applies, and
   * resolves to how many were sent. A failure rejects.
   */
  send(messages: readonly EmailMessage[]): Promise<number>;
}
