// application/x-www-form-urlencoded, decoded strictly: a bad %-escape or invalid UTF-8 is a
// 400 rather than a silently mangled value (URLSearchParams would substitute U+FFFD).
import { BadRequest } from '../../errors.js';
import { ParsedForm } from './form-body.js';
import { decodeUtf8 } from './text.js';

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PLUS = 0x2b;
const PERCENT = 0x25;

export function parseUrlEncoded(body: Buffer, maxFields: number): ParsedForm {
  const form = new ParsedForm();
  let fields = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf(AMPERSAND, start);
    if (end === -1) end = body.length;
    if (end > start) {
      if (++fields > maxFields) throw tooManyFields(maxFields);
      const eq = body.indexOf(EQUALS, start);
      const nameEnd = eq === -1 || eq > end ? end : eq;
      const name = decodeComponent(body, start, nameEnd, 'A form field name');
      const value =
        nameEnd === end ? '' : decodeComponent(body, nameEnd + 1, end, `The form field "${name}"`);
      form.addField(name, value);
    }
    start = end + 1;
  }
  return form;
}

export function tooManyFields(maxFields: number): BadRequest {
  return new BadRequest(
    `The form has more than ${maxFields} fields. Send fewer, or raise \`limits.formFields\` ` +
      'in the app config.',
    { code: 'CARAFE_TOO_MANY_FIELDS' },
  );
}

function decodeComponent(body: Buffer, start: number, end: number, what: string): string {
  const raw = body.subarray(start, end);
  if (raw.indexOf(PERCENT) === -1 && raw.indexOf(PLUS) === -1) return decodeUtf8(raw, what);
  const bytes = Buffer.allocUnsafe(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === PLUS) {
      bytes[length++] = 0x20;
    } else if (byte === PERCENT) {
      const high = hexValue(raw[i + 1]);
      const low = hexValue(raw[i + 2]);
      if (high === -1 || low === -1) {
        throw new BadRequest(
          `${what} has an invalid percent-escape "${raw.toString('latin1', i, i + 3)}"; ` +
            'a "%" must be followed by two hex digits.',
          { code: 'CARAFE_MALFORMED_FORM' },
        );
      }
      bytes[length++] = high * 16 + low;
      i += 2;
    } else {
      bytes[length++] = byte;
    }
  }
  return decodeUtf8(bytes.subarray(0, length), what);
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
