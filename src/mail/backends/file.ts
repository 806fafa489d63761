// Writes each message to its own .eml file, which any mail client opens.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailBackend } from '../backend.js';
import type { EmailMessage } from '../message.js';

export class FileBackend implements MailBackend {
  /** Absolute or relative to the working directory; created when missing. */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async send(messages: readonly EmailMessage[]): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    for (const message of messages) {
      // Sortable by time, and unique across processes writing to the same folder.
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-');
      const name = `${stamp}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(join(this.dir, name), await message.render(), { flag: 'wx' });
    }
    return messages.length;
  }
}
