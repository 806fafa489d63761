// A streaming multipart/form-data tokenizer (RFC 2046 / RFC 7578). It turns body chunks into
// part events without buffering a part's content: the consumer awaits each event, so a slow
// disk write slows the reading of the body rather than filling memory.
import { malformedMultipart } from './errors.js';
import { decodeUtf8 } from './text.js';

export type MultipartEvent =
  | { kind: 'part'; headers: Map<string, string> }
  | { kind: 'data'; chunk: Buffer }
  | { kind: 'partEnd' };

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_BOUNDARY_LINE_PADDING = 256;

/** RFC 2046: 1–70 characters from a small set, not ending in a space. */
const boundaryPattern = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

export function isValidBoundary(boundary: string): boolean {
  return boundaryPattern.test(boundary);
}

type State = 'preamble' | 'boundaryLine' | 'headers' | 'content' | 'epilogue';

export async function* tokenizeMultipart(
  chunks: AsyncIterable<Buffer>,
  boundary: string,
): AsyncGenerator<MultipartEvent> {
  const tokenizer = new MultipartTokenizer(boundary);
  for await (const chunk of chunks) yield* tokenizer.feed(chunk);
  tokenizer.finish();
}

class MultipartTokenizer {
  readonly #boundary: string;
  /** `CRLF--boundary`: every delimiter is preceded by a line break. */
  readonly #delimiter: Buffer;
  // The body is treated as if it began with CRLF, so a delimiter on the first line matches.
  #buffer: Buffer = CRLF;
  #state: State = 'preamble';

  constructor(boundary: string) {
    this.#boundary = boundary;
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  *feed(chunk: Buffer): Generator<MultipartEvent> {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (true) {
      const step = this.#step();
      if (step === 'needMoreInput') return;
      if (step !== 'continue') yield* step;
    }
  }

  finish(): void {
    if (this.#state === 'epilogue') return;
    throw malformedMultipart(
      this.#state === 'preamble'
        ? `no part starts with the boundary "${this.#boundary}" given in Content-Type`
        : 'the body ended before the closing boundary (was the upload cut short?)',
    );
  }

  /** Advances one state; returns the events produced, or whether more input is needed. */
  #step(): MultipartEvent[] | 'continue' | 'needMoreInput' {
    const buffer = this.#buffer;
    const delimiter = this.#delimiter;
    switch (this.#state) {
      case 'preamble': {
        const at = buffer.indexOf(delimiter);
        if (at === -1) {
          this.#buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
          return 'needMoreInput';
        }
        this.#buffer = buffer.subarray(at + delimiter.length);
        this.#state = 'boundaryLine';
        return 'continue';
      }
      case 'boundaryLine': {
        if (buffer.length < 2) return 'needMoreInput';
        if (buffer[0] === DASH && buffer[1] === DASH) {
          this.#state = 'epilogue';
          return 'continue';
        }
        const eol = buffer.indexOf(CRLF);
        if (eol === -1) {
          if (buffer.length > MAX_BOUNDARY_LINE_PADDING) throw badBoundaryLine();
          return 'needMoreInput';
        }
        if (!isPadding(buffer.subarray(0, eol))) throw badBoundaryLine();
        this.#buffer = buffer.subarray(eol + 2);
        this.#state = 'headers';
        return 'continue';
      }
      case 'headers': {
        if (buffer.length < 2) return 'needMoreInput';
        // A part may have no headers: the boundary line is then followed by a blank line.
        const end = buffer[0] === CR && buffer[1] === LF ? 0 : buffer.indexOf(HEADERS_END);
        if (end > MAX_HEADER_BYTES || (end === -1 && buffer.length > MAX_HEADER_BYTES)) {
          throw malformedMultipart(`part headers are longer than ${MAX_HEADER_BYTES} bytes`);
        }
        if (end === -1) return 'needMoreInput';
        const headers = parseHeaderBlock(buffer.subarray(0, end));
        this.#buffer = buffer.subarray(end === 0 ? 2 : end + HEADERS_END.length);
        this.#state = 'content';
        return [{ kind: 'part', headers }];
      }
      case 'content': {
        const at = buffer.indexOf(delimiter);
        if (at === -1) {
          // Hold back only a tail that could begin a delimiter, which starts with CR.
          const cr = buffer.indexOf(CR, Math.max(0, buffer.length - delimiter.length + 1));
          const safe = cr === -1 ? buffer.length : cr;
          this.#buffer = buffer.subarray(safe);
          return safe === 0 ? 'needMoreInput' : [{ kind: 'data', chunk: buffer.subarray(0, safe) }];
        }
        this.#buffer = buffer.subarray(at + delimiter.length);
        this.#state = 'boundaryLine';
        const end: MultipartEvent = { kind: 'partEnd' };
        return at === 0 ? [end] : [{ kind: 'data', chunk: buffer.subarray(0, at) }, end];
      }
      case 'epilogue':
        // Ignored, but still read, so the request is consumed to its end.
        this.#buffer = EMPTY;
        return 'needMoreInput';
    }
  }
}

function isPadding(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09) return false;
  return true;
}

function badBoundaryLine() {
  return malformedMultipart('a boundary is followed by something other than a line break');
}

/** Header names lower-cased; folded lines joined; the first of a repeated header wins. */
function parseHeaderBlock(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  if (block.length === 0) return headers;
  const lines = decodeUtf8(block, 'A multipart part header').split('\r\n');
  let previous: string | undefined;
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && previous !== undefined) {
      headers.set(previous, `${headers.get(previous)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw malformedMultipart(`the part header line "${line.slice(0, 60)}" has no name`);
    const name = line.slice(0, colon).trim().toLowerCase();
    if (headers.has(name)) {
      previous = undefined;
      continue;
    }
    headers.set(name, line.slice(colon + 1).trim());
    previous = name;
  }
  return headers;
}
