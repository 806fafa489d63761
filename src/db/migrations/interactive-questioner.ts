// Asks at the terminal. One readline interface serves every question, so answers piped in ahead
// of the prompts are not lost between questions; `finish()` releases it.
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CarafeError } from '../../index.js';
import { kindPhrase, parseOneOffValue } from './one-off-value.js';
import type { Questioner } from './questioner.js';

export interface InteractiveOptions {
  readonly input: Readable;
  readonly output: Writable;
}

function aborted(reason: string): CarafeError {
  return new CarafeError('CARAFE_MIGRATION_ABORTED', `makemigrations stopped: ${reason}.`);
}

export function interactiveQuestioner({ input, output }: InteractiveOptions): Questioner {
  let rl: Interface | undefined;
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;

  function open(): void {
    if (rl !== undefined) return;
    rl = createInterface({ input, terminal: false });
    rl.on('line', (line) => {
      const resolve = waiting.shift();
      if (resolve === undefined) lines.push(line);
      else resolve(line);
    });
    rl.on('close', () => {
      closed = true;
      for (const resolve of waiting.splice(0)) resolve(undefined);
    });
  }

  async function ask(prompt: string): Promise<string> {
    open();
    output.write(prompt);
    const line =
      lines.length > 0
        ? lines.shift()
        : closed
          ? undefined
          : await new Promise<string | undefined>((resolve) => waiting.push(resolve));
    if (line === undefined) throw aborted('the input ended before an answer was given');
    return line.trim();
  }

  async function confirm(question: string): Promise<boolean> {
    const answer = (await ask(`${question} [y/N] `)).toLowerCase();
    return answer === 'y' || answer === 'yes';
  }

  return {
    askRenameModel(from, to) {
      return confirm(`Did you rename the model ${from} to ${to}?`);
    },
    askRenameField(model, from, to, description) {
      return confirm(`Did you rename ${model}.${from} to ${to} (${kindPhrase(description)})?`);
    },
    async askFill(model, field, description, why) {
      const path = `${model}.${field}`;
      const change = why === 'add' ? 'is added as non-nullable' : 'becomes non-nullable';
      output.write(
        `${path} (${kindPhrase(description)}) ${change} without a default, and rows already in ` +
          'the table need a value.\n' +
          'Type a one-off value for them (JSON where it parses, else text), or press Enter to ' +
          'stop and give the field a default, a dbDefault or nullable: true.\n',
      );
      for (;;) {
        const answer = await ask('> ');
        if (answer === '')
          throw aborted(`give ${path} a default, a dbDefault or nullable: true, then run it again`);
        try {
          return parseOneOffValue(path, description, answer);
        } catch (error) {
          if (!(error instanceof CarafeError)) throw error;
          output.write(`${error.message} Try again, or press Enter to stop.\n`);
        }
      }
    },
    finish() {
      rl?.close();
    },
  };
}
