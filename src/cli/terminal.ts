// Where the command writes, and how: colours only on a terminal and never with NO_COLOR set
// (https://no-color.org), so piped output and logs stay plain text.
import type { Writable } from 'node:stream';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export interface Terminal {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Styles for standard output. */
  readonly out: Style;
  /** Styles for standard error. */
  readonly err: Style;
  /** Whether standard output is a terminal (progress lines are drawn only there). */
  readonly interactive: boolean;
  print(line?: string): void;
  printError(line: string): void;
}

function isTty(stream: Writable): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

function styleFor(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

export function createTerminal(
  stdout: Writable = process.stdout,
  stderr: Writable = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Terminal {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  // `carafe routes | head`: the reader has seen enough, which is not an error.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  return {
    stdout,
    stderr,
    out: styleFor(!noColor && isTty(stdout)),
    err: styleFor(!noColor && isTty(stderr)),
    interactive: isTty(stdout),
    print(line = '') {
      stdout.write(`${line}\n`);
    },
    printError(line) {
      stderr.write(`${line}\n`);
    },
  };
}

/** Lines of aligned columns; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]! + gap)))
      .join('')
      .trimEnd(),
  );
}
