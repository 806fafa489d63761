// Parses V8 stack traces and reads the project's source around each frame.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StackFrame {
  /** `handler`, `async Blueprint.dispatch`, or undefined for an anonymous top-level frame. */
  functionName: string | undefined;
  /** A file-system path when the frame names one (file:// URLs converted), else the raw location. */
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  /** The frame's text as V8 wrote it, without the leading `at`. */
  raw: string;
  /** The project's own code: a real file outside node_modules, not a Node internal. */
  isProject: boolean;
}

export interface SourceLine {
  number: number;
  text: string;
  current: boolean;
}

const contextLines = 5;
const largestSourceFile = 2 * 1024 * 1024;
const longestShownLine = 300;

export function parseStack(stack: string | undefined): StackFrame[] {
  if (stack === undefined) return [];
  const frames: StackFrame[] = [];
  for (const text of stack.split('\n')) {
    const match = /^\s*at (.*)$/.exec(text);
    if (match) frames.push(parseFrame(match[1]!));
  }
  return frames;
}

function parseFrame(raw: string): StackFrame {
  const named = /^(.*?) \((.*)\)$/.exec(raw);
  const functionName = named ? named[1] : undefined;
  const location = named ? named[2]! : raw;
  const position = /^(.*):(\d+):(\d+)$/.exec(location);
  const file = toPath(position ? position[1]! : location);
  return {
    functionName,
    file,
    line: position ? Number(position[2]) : undefined,
    column: position ? Number(position[3]) : undefined,
    raw,
    isProject:
      position !== null &&
      file !== undefined &&
      isAbsolute(file) &&
      !/[\\/]node_modules[\\/]/.test(file),
  };
}

function toPath(location: string): string | undefined {
  if (!location.startsWith('file://')) return location;
  try {
    return fileURLToPath(location);
  } catch {
    return undefined;
  }
}

/** Reads each file at most once per page; an unreadable or huge file just shows no source. */
export class SourceReader {
  readonly #files = new Map<string, Promise<string[] | undefined>>();

  async around(file: string, line: number): Promise<SourceLine[]> {
    let lines = this.#files.get(file);
    if (lines === undefined) {
      lines = readLines(file);
      this.#files.set(file, lines);
    }
    const all = await lines;
    if (all === undefined || line < 1 || line > all.length) return [];
    const first = Math.max(1, line - contextLines);
    const last = Math.min(all.length, line + contextLines);
    const shown: SourceLine[] = [];
    for (let number = first; number <= last; number++) {
      const text = all[number - 1]!;
      shown.push({
        number,
        text: text.length > longestShownLine ? `${text.slice(0, longestShownLine)}…` : text,
        current: number === line,
      });
    }
    return shown;
  }
}

async function readLines(file: string): Promise<string[] | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > largestSourceFile) return undefined;
    return (await readFile(file, 'utf8')).split(/\r?\n/);
  } catch {
    return undefined;
  }
}
