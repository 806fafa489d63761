// Questions at a terminal, one line each. Passwords are read without echo when the input is a
// terminal (raw mode, as `getpass` does); from a pipe they are read as ordinary lines.
import type { Readable, Writable } from 'node:stream';
import { CarafeError } from '../../index.js';

interface TerminalInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export class Prompter {
  readonly #input: TerminalInput;
  readonly #output: Writable;
  #buffer = '';
  #ended = false;
  #raw = false;
  #waiting: ((line: string | null) => void) | undefined;
  #listening = false;

  constructor(input: Readable, output: Writable) {
    this.#input = input;
    this.#output = output;
  }

  write(text: string): void {
    this.#output.write(text);
  }

  /** Asks `question` and resolves to the answer without its line end. */
  async ask(question: string, options: { hidden?: boolean } = {}): Promise<string> {
    this.#output.write(question);
    const raw = options.hidden === true && this.#input.isTTY === true;
    if (raw) this.#setRaw(true);
    try {
      const line = await this.#nextLine();
      if (line === null) {
        throw new CarafeError(
          'CARAFE_AUTH_INPUT_ENDED',
          'The input ended before every question was answered.',
        );
      }
      return line;
    } finally {
      if (raw) {
        this.#setRaw(false);
        // Enter was not echoed either: end the line ourselves.
        this.#output.write('\n');
      }
    }
  }

  /** A yes/no question; only `y` or `yes` (any case) is yes. */
  async confirm(question: string): Promise<boolean> {
    return /^y(es)?$/i.test((await this.ask(question)).trim());
  }

  /** Stops reading, so the process can exit. */
  close(): void {
    if (this.#listening) {
      this.#input.off('data', this.#onData);
      this.#input.off('end', this.#onEnd);
      this.#input.pause();
      this.#listening = false;
    }
  }

  #setRaw(on: boolean): void {
    this.#raw = on;
    this.#input.setRawMode?.(on);
  }

  #nextLine(): Promise<string | null> {
    if (!this.#listening) {
      this.#input.setEncoding('utf8');
      this.#input.on('data', this.#onData);
      this.#input.on('end', this.#onEnd);
      this.#listening = true;
    }
    this.#input.resume();
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#deliver();
    });
  }

  readonly #onData = (chunk: string | Buffer): void => {
    const text = String(chunk);
    if (!this.#raw) {
      this.#buffer += text;
    } else {
      let previous = '';
      for (const char of text) {
        if (char === '\u0003') {
          // Ctrl-C in raw mode arrives as a character: stop as the terminal would have.
          this.#setRaw(false);
          this.#output.write('\n');
          process.kill(process.pid, 'SIGINT');
          return;
        }
        if (char === '\u007f' || char === '\b') this.#buffer = this.#buffer.slice(0, -1);
        else if (char === '\r') this.#buffer += '\n';
        else if (char !== '\n' || previous !== '\r') this.#buffer += char;
        previous = char;
      }
    }
    this.#deliver();
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#deliver();
  };

  #deliver(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    const end = this.#buffer.indexOf('\n');
    if (end !== -1) {
      const line = this.#buffer.slice(0, end).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(end + 1);
      this.#waiting = undefined;
      this.#input.pause();
      waiting(line);
    } else if (this.#ended) {
      this.#waiting = undefined;
      // A last line without a line end still counts.
      const rest = this.#buffer;
      this.#buffer = '';
      waiting(rest === '' ? null : rest);
    }
  }
}
