// Email addresses as users write them ('ada@example.com', 'Ada Lovelace <ada@example.com>',
// { name, address }), checked before anything is sent: a bad address fails where it is written,
// and a line break can never reach a header, where it would let the text add headers of its own.
import { isIP } from 'node:net';
import { CarafeError } from '../index.js';

/** One address: `'ada@example.com'`, `'Ada Lovelace <ada@example.com>'` or `{ name, address }`. */
export type MailAddress = string | { readonly name?: string | undefined; readonly address: string };

/** One address or several. */
export type MailAddressList = MailAddress | readonly MailAddress[];

export interface ParsedAddress {
  readonly name: string | undefined;
  readonly address: string;
}

const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]+";
const dotAtom = new RegExp(`^${atom}(?:\\.${atom})*$`, 'u');
const domainLabel = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
// Characters a display name can carry without quotes (RFC 5322 atext and spaces).
const plainName = /^[\w !#$%&'*+/=?^`{|}~\u0080-\uFFFF-]*$/u;

/** Throws when `value` holds CR or LF, which would end the header and start another. */
export function rejectLineBreaks(value: string, field: string): void {
  if (!/[\r\n]/.test(value)) return;
  throw new CarafeError(
    'CARAFE_MAIL_HEADER_INJECTION',
    `The email ${field} contains a line break (CR or LF), which could add headers to the message. ` +
      'Remove line breaks from it; when the value comes from user input, replace them with spaces.',
  );
}

function invalid(field: string, input: string, why: string): CarafeError {
  return new CarafeError(
    'CARAFE_MAIL_ADDRESS',
    `The email ${field} ${JSON.stringify(input)} is not a valid address: ${why}. ` +
      "Write 'ada@example.com', 'Ada Lovelace <ada@example.com>' or { name: 'Ada Lovelace', address: 'ada@example.com' }.",
  );
}

function validDomain(domain: string): boolean {
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1);
    return isIP(literal.replace(/^IPv6:/i, '')) !== 0;
  }
  if (domain.toLowerCase() === 'localhost') return true;
  const labels = domain.split('.');
  // A bare host name is almost always a slip (a missing .com); localhost is the one kept.
  if (labels.length < 2 || /^\d+$/.test(labels.at(-1) ?? '')) return false;
  return labels.every((label) => domainLabel.test(label));
}

/** Why `address` (the part between angle brackets) is not usable, or undefined when it is. */
function addressProblem(address: string): string | undefined {
  if (address === '') return 'it is empty';
  if (address.length > 254) return 'it is longer than 254 characters';
  const at = address.lastIndexOf('@');
  if (at === -1) return 'it has no "@"';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return 'nothing comes before the "@"';
  if (local.length > 64) return 'the part before the "@" is longer than 64 characters';
  if (!dotAtom.test(local)) return `"${local}" is not a valid mailbox name`;
  if (!validDomain(domain)) return `"${domain}" is not a domain name`;
  return undefined;
}

function parseString(input: string, field: string): ParsedAddress {
  const text = input.trim();
  const bracketed = /^("(?:[^"\\]|\\.)*"\s*|[^<>"]*)<([^<>]*)>$/.exec(text);
  if (bracketed === null && /[\s,<>"]/.test(text)) {
    throw invalid(
      field,
      input,
      /[<>"]/.test(text)
        ? 'its quotes or angle brackets are not balanced; write Name <address> or "Name, with comma" <address>'
        : 'it has spaces or commas; pass several addresses as an array',
    );
  }
  const rawName = bracketed?.[1]?.trim() ?? '';
  const address = (bracketed?.[2] ?? text).trim();
  const quoted = rawName.startsWith('"');
  if (!quoted && rawName.includes(',')) {
    throw invalid(
      field,
      input,
      'the name has a comma; quote it ("Lovelace, Ada" <ada@example.com>), or pass several addresses as an array',
    );
  }
  const problem = addressProblem(address);
  if (problem !== undefined) throw invalid(field, input, problem);
  const name = quoted ? rawName.slice(1, -1).replace(/\\(.)/g, '$1') : rawName;
  return { name: name === '' ? undefined : name, address };
}

/** Checks one address and splits it into display name and address. */
export function parseAddress(input: MailAddress, field: string): ParsedAddress {
  if (typeof input === 'string') {
    rejectLineBreaks(input, field);
    return parseString(input, field);
  }
  if (typeof input !== 'object' || input === null || typeof input.address !== 'string') {
    throw new CarafeError(
      'CARAFE_MAIL_ADDRESS',
      `The email ${field} must be a string or { name, address } (got ${input === null ? 'null' : typeof input}).`,
    );
  }
  rejectLineBreaks(input.address, field);
  if (input.name !== undefined) rejectLineBreaks(input.name, `${field} name`);
  const address = input.address.trim();
  const problem = addressProblem(address);
  if (problem !== undefined) throw invalid(field, input.address, problem);
  const name = input.name?.trim();
  return { name: name === undefined || name === '' ? undefined : name, address };
}

/** Checks every address of a field given as one address or a list. */
export function parseAddressList(
  input: MailAddressList | undefined,
  field: string,
): ParsedAddress[] {
  if (input === undefined) return [];
  if (!isList(input)) return [parseAddress(input, field)];
  return input.map((entry, index) => parseAddress(entry, `${field}[${index}]`));
}

function isList(input: MailAddressList): input is readonly MailAddress[] {
  return Array.isArray(input);
}

/** The address as a header shows it: `ada@example.com` or `"Lovelace, Ada" <ada@example.com>`. */
export function formatAddress({ name, address }: ParsedAddress): string {
  if (name === undefined) return address;
  const shown = plainName.test(name) ? name : `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return `${shown} <${address}>`;
}
