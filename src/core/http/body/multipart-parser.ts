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
  // Every delimiter is preceded by CRLF, the first one included once we pretend the body
  // starts with one.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buffer: Buffer = CRLF;
  let state: State = 'preamble';
  for await (const chunk of chunks) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    parsing: while (true) {
      switch (state) {
        case 'preamble': {
          const at = buffer.indexOf(delimiter);
          if (at === -1) {
            buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
            break parsing;
          }
          buffer = buffer.subarray(at + delimiter.length);
          state = 'boundaryLine';
          break;
        }
        case 'boundaryLine': {
          if (buffer.length < 2) break parsing;
          if (buffer[0] === DASH && buffer[1] === DASH) {
            state = 'epilogue';
            break;
          }
          const eol = buffer.indexOf(CRLF);
          if (eol === -1) {
            if (buffer.length > MAX_BOUNDARY_LINE_PADDING) throw badBoundaryLine();
            break parsing;
          }
          if (!isPadding(buffer.subarray(0, eol))) throw badBoundaryLine();
          buffer = buffer.subarray(eol + 2);
          state = 'headers';
          break;
        }
        case 'headers': {
          if (buffer.length < 2) break parsing;
          // A part may have no headers at all: the boundary line's CRLF is then followed by
          // the blank line directly.
          const end = buffer[0] === CR && buffer[1] === 0x0a ? 0 : buffer.indexOf(HEADERS_END);
          if (end === -1) {
            if (buffer.length > MAX_HEADER_BYTES) {
              throw malformedMultipart(`part headers are longer than ${MAX_HEADER_BYTES} bytes`);
            }
            break parsing;
          }
          const headers = parseHeaderBlock(buffer.subarray(0, end));
          buffer = buffer.subarray(end === 0 ? 2 : end + HEADERS_END.length);
          state = 'content';
          yield { kind: 'part', headers };
          break;
        }
        case 'content': {
          const at = buffer.indexOf(delimiter);
          if (at === -1) {
            // Hold back only a tail that could be the start of a delimiter (which begins with CR).
            const cr = buffer.indexOf(CR, Math.max(0, buffer.length - delimiter.length + 1));
            const safe = cr === -1 ? buffer.length : cr;
            if (safe > 0) {
              const data = buffer.subarray(0, safe);
              buffer = buffer.subarray(safe);
              yield { kind: 'data', chunk: data };
            }
            break parsing;
          }
          const data = buffer.subarray(0, at);
          buffer = buffer.subarray(at + delimiter.length);
          state = 'boundaryLine';
          if (data.length > 0) yield { kind: 'data', chunk: data };
          yield { kind: 'partEnd' };
          break;
        }
        case 'epilogue':
          // Ignored, but still read, so the request is consumed to its end.
          buffer = EMPTY;
          break parsing;
      }
    }
  }
  if (state !== 'epilogue') {
    throw malformedMultipart(
      state === 'preamble'
        ? `no part starts with the boundary "${boundary}" given in Content-Type`
        : 'the body ended before the closing boundary (was the upload cut short?)',
    );
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
    if (colon <= 0) throw malformedMultipart(`the part header line "${line.slice(0, 60)}" has no name`);
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
