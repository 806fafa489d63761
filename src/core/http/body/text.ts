// Text and JSON bodies: charset handling, strict UTF-8, and JSON errors that say where.
import { BadRequest } from '../../errors.js';
import { invalidUtf8, unsupportedMediaType } from './errors.js';
import { describeJsonError } from './json-error.js';
import { parseHeaderParams } from './media-type.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, answering 400 `CARAFE_INVALID_UTF8` (naming `what`) on a bad sequence. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw invalidUtf8(what);
  }
}

const utf8Labels = new Set(['utf-8', 'utf8']);
const latin1Labels = new Set(['iso-8859-1', 'latin1', 'iso_8859-1', 'l1']);

/** The body as text, in the Content-Type's charset (UTF-8 when none is given). */
export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = charsetOf(contentType);
  if (charset === undefined || utf8Labels.has(charset))
    return decodeUtf8(bytes, 'The request body');
  if (latin1Labels.has(charset)) return bytes.toString('latin1');
  throw unsupportedMediaType(
    `The charset "${charset}" is not supported. Send the body as UTF-8 (charset=utf-8) or ` +
      'ISO-8859-1 (charset=iso-8859-1).',
  );
}

/** The body parsed as JSON. Requires `application/json` or a `+json` media type. */
export function parseJson(bytes: Buffer, contentType: string | undefined): unknown {
  const { type, params } = parseHeaderParams(contentType ?? '');
  if (!isJsonMediaType(type)) {
    throw unsupportedMediaType(
      'Expected a JSON body with Content-Type: application/json (or a +json type), got ' +
        `${type === '' ? 'no Content-Type' : `"${type}"`}.`,
    );
  }
  const charset = params.get('charset')?.toLowerCase();
  if (charset !== undefined && !utf8Labels.has(charset)) {
    throw unsupportedMediaType(`JSON must be UTF-8, got charset "${charset}". Send it as UTF-8.`);
  }
  if (bytes.length === 0) {
    throw new BadRequest('The request body is empty; expected a JSON document.', {
      code: 'CARAFE_EMPTY_BODY',
    });
  }
  const text = decodeUtf8(bytes, 'The JSON body');
  try {
    // JSON.parse defines `__proto__` as an own property, never as the prototype.
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`Malformed JSON: ${describeJsonError(text, error)}.`, {
      code: 'CARAFE_MALFORMED_JSON',
    });
  }
}

function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.endsWith('+json') && type.indexOf('/') > 0);
}

function charsetOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  return parseHeaderParams(contentType).params.get('charset')?.toLowerCase();
}
