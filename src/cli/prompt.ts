// Questions asked on the terminal by commands (`context.ask` of app commands). On a terminal a
// hidden answer is read in raw mode, so a password is never echoed; from a pipe, answers are
// read line by line through one reader, so lines sent ahead of the questions are not lost.
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CarafeError } from '../index.js';

interface TerminalInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface AskOptions {
  /** Do not echo the answer (passwords). */
  readonly hidden?: boolean;
}

export interface Prompter {
  /** Whether the input is a terminal someone types at. */
  readonly interactive: boolean;
  ask(question: string, options?: AskOptions): Promise<string>;
  /** Releases the input. */
  close(): void;
}

function ended(question: string): CarafeError {
  return new CarafeError(
    'CARAFE_CLI_INPUT_ENDED',
    `The input ended before "${question.trim()}" was answered.`,
  );
}

/** Reads one line without echoing it; Ctrl-C stops, Backspace erases. */
function readHidden(input: TerminalInput, output: Writable, question: string): Promise<string> {
  // Echo goes off before the question shows, so a quick typist's answer is not echoed either.
  input.setRawMode?.(true);
  output.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (error?: Error) => {
      input.setRawMode?.(false);
      input.off('data', onData);
      input.pause();
      output.write('\n');
      if (error === undefined) resolve(answer);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') {
          return finish(new CarafeError('CARAFE_CLI_INTERRUPTED', 'Stopped with Ctrl-C.'));
        }
        if (char === '\u0004' && answer === '') return finish(ended(question));
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

export function createPrompter(
  input: TerminalInput = process.stdin,
  output: Writable = process.stdout,
): Prompter {
  const interactive = input.isTTY === true;
  let reader: Interface | undefined;
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;

  const nextLine = (): Promise<string | undefined> => {
    if (reader === undefined) {
      reader = createInterface({ input, terminal: false });
      reader.on('line', (line) => {
        const resolve = waiting.shift();
        if (resolve === undefined) lines.push(line);
        else resolve(line);
      });
      reader.on('close', () => {
        closed = true;
        for (const resolve of waiting.splice(0)) resolve(undefined);
      });
    }
    if (lines.length > 0) return Promise.resolve(lines.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolve) => waiting.push(resolve));
  };

  return {
    interactive,
    async ask(question, options = {}) {
      if (interactive && options.hidden === true) return readHidden(input, output, question);
      if (interactive) {
        const terminal = createInterface({ input, output, terminal: true });
        try {
          return await new Promise<string>((resolve, reject) => {
            terminal.once('close', () => reject(ended(question)));
            terminal.question(question, resolve);
          });
        } finally {
          terminal.close();
        }
      }
      output.write(question);
      const line = await nextLine();
      if (line === undefined) throw ended(question);
      output.write('\n');
      return line;
    },
    close() {
      reader?.close();
    },
  };
}
