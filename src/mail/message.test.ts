import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../index.js';
import { EmailMessage, type MailOptions } from './index.js';

const base: MailOptions = {
  from: 'Site <noreply@example.com>',
  to: 'ada@example.com',
  subject: 'Welcome',
  text: 'Hello Ada',
};

function assertCode(action: () => unknown, code: string, fragment?: string) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, code);
    if (fragment !== undefined) assert.ok(error.message.includes(fragment), error.message);
    return true;
  });
}

/** The header block of a rendered message, unfolded, as name → value (names lower-cased). */
function headersOf(text: string): Map<string, string> {
  const block = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new Map(
    block.split('\r\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
}

describe('EmailMessage', () => {
  it('keeps the addresses as the header shows them and lists the envelope recipients once', () => {
    const message = new EmailMessage({
      ...base,
      to: ['ada@example.com', { name: 'Charles Babbage', address: 'cb@example.com' }],
      cc: '"Lovelace, Ada" <ada@example.com>',
      bcc: ['audit@example.com'],
      replyTo: 'help@example.com',
    });
    assert.deepEqual(message.to, ['ada@example.com', 'Charles Babbage <cb@example.com>']);
    assert.deepEqual(message.cc, ['"Lovelace, Ada" <ada@example.com>']);
    assert.deepEqual(message.recipients(), [
      'ada@example.com',
      'cb@example.com',
      'audit@example.com',
    ]);
    assert.equal(message.from, 'Site <noreply@example.com>');
    assert.equal(message.fromAddress, 'noreply@example.com');
  });

  it('renders RFC 5322 text with CRLF line ends, and without Bcc', async () => {
    const text = await new EmailMessage({
      ...base,
      cc: 'cb@example.com',
      bcc: 'audit@example.com',
      replyTo: 'help@example.com',
      headers: { 'List-Unsubscribe': '<https://example.com/unsubscribe/>' },
    }).render();
    const headers = headersOf(text);
    assert.equal(headers.get('from'), 'Site <noreply@example.com>');
    assert.equal(headers.get('to'), 'ada@example.com');
    assert.equal(headers.get('cc'), 'cb@example.com');
    assert.equal(headers.get('reply-to'), 'help@example.com');
    assert.equal(headers.get('subject'), 'Welcome');
    assert.equal(headers.get('mime-version'), '1.0');
    assert.equal(headers.get('list-unsubscribe'), '<https://example.com/unsubscribe/>');
    assert.match(headers.get('message-id') ?? '', /^<[^@\s]+@example\.com>$/);
    assert.ok(!Number.isNaN(Date.parse(headers.get('date') ?? '')));
    assert.equal(headers.has('bcc'), false);
    assert.ok(!text.includes('audit@example.com'));
    assert.match(headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
    assert.ok(text.endsWith('\r\n\r\nHello Ada\r\n'));
    assert.equal(text.replaceAll('\r\n', '').includes('\n'), false);
  });

  it('encodes non-ASCII headers and bodies', async () => {
    const text = await new EmailMessage({
      ...base,
      to: { name: 'Zoë', address: 'zoe@example.org' },
      subject: 'Café ☕',
      text: 'Bientôt',
    }).render();
    assert.ok(!/[^\t\r\n -~]/.test(text), 'the message is printable ASCII');
    const headers = headersOf(text);
    assert.equal(headers.get('subject'), '=?UTF-8?Q?Caf=C3=A9_=E2=98=95?=');
    assert.equal(headers.get('to'), '=?UTF-8?Q?Zo=C3=AB?= <zoe@example.org>');
    assert.equal(headers.get('content-transfer-encoding'), 'quoted-printable');
    assert.ok(text.endsWith('\r\n\r\nBient=C3=B4t\r\n'));
  });

  it('puts text and HTML in multipart/alternative and attachments beside them', async () => {
    const text = await new EmailMessage({
      ...base,
      html: '<p>Hello <b>Ada</b></p>',
      attachments: [
        { filename: 'report.csv', content: 'a,b\n1,2\n' },
        {
          filename: 'logo.bin',
          content: new Uint8Array([0, 255, 1]),
          contentType: 'application/octet-stream',
        },
      ],
    }).render();
    assert.match(headersOf(text).get('content-type') ?? '', /^multipart\/mixed; boundary=/);
    assert.match(text, /Content-Type: multipart\/alternative;/);
    assert.match(text, /Content-Type: text\/plain; charset=utf-8\r\n[\s\S]*?\r\n\r\nHello Ada\r\n/);
    assert.match(
      text,
      /Content-Type: text\/html; charset=utf-8\r\n[\s\S]*?\r\n\r\n<p>Hello <b>Ada<\/b><\/p>\r\n/,
    );
    assert.match(
      text,
      /Content-Type: text\/csv; name=report\.csv\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=report\.csv\r\n\r\nYSxiCjEsMgo=\r\n/,
    );
    assert.match(
      text,
      /Content-Type: application\/octet-stream; name=logo\.bin\r\n[\s\S]*?\r\n\r\nAP8B\r\n/,
    );
  });

  it('fills in a missing sender without changing the rest', () => {
    const message = new EmailMessage({
      to: 'ada@example.com',
      bcc: 'b@example.com',
      subject: 's',
      text: 't',
    });
    assert.equal(message.from, undefined);
    const filled = message.withDefaultFrom('webmaster@localhost');
    assert.equal(filled.from, 'webmaster@localhost');
    assert.deepEqual(filled.recipients(), ['ada@example.com', 'b@example.com']);
    assert.equal(
      new EmailMessage(base).withDefaultFrom('x@example.com').from,
      'Site <noreply@example.com>',
    );
  });

  it('refuses line breaks in the subject, header values, file names and content types', () => {
    assertCode(
      () => new EmailMessage({ ...base, subject: 'Hi\r\nBcc: everyone@example.com' }),
      'CARAFE_MAIL_HEADER_INJECTION',
      'The email subject contains a line break',
    );
    assertCode(
      () => new EmailMessage({ ...base, subject: 'Hi\nthere' }),
      'CARAFE_MAIL_HEADER_INJECTION',
    );
    assertCode(
      () => new EmailMessage({ ...base, to: 'ada@example.com\nBcc: x@example.com' }),
      'CARAFE_MAIL_HEADER_INJECTION',
      'The email to contains',
    );
    assertCode(
      () =>
        new EmailMessage({
          ...base,
          from: { name: 'Site\r\nX-Evil: 1', address: 'a@example.com' },
        }),
      'CARAFE_MAIL_HEADER_INJECTION',
      'from name',
    );
    assertCode(
      () => new EmailMessage({ ...base, headers: { 'X-Note': 'a\r\nBcc: x@example.com' } }),
      'CARAFE_MAIL_HEADER_INJECTION',
      'X-Note header',
    );
    assertCode(
      () => new EmailMessage({ ...base, attachments: [{ filename: 'a\r\n.txt', content: 'x' }] }),
      'CARAFE_MAIL_HEADER_INJECTION',
      'attachments[0] filename',
    );
    assertCode(
      () =>
        new EmailMessage({
          ...base,
          attachments: [{ filename: 'a.txt', content: 'x', contentType: 'text/plain\nX: y' }],
        }),
      'CARAFE_MAIL_HEADER_INJECTION',
    );
  });

  it('refuses headers it sets itself, bad header names and messages nobody receives', () => {
    assertCode(
      () => new EmailMessage({ ...base, headers: { 'Reply-To': 'x@example.com' } }),
      'CARAFE_MAIL_HEADER',
      'use the replyTo option',
    );
    assertCode(
      () => new EmailMessage({ ...base, headers: { bcc: 'x@example.com' } }),
      'CARAFE_MAIL_HEADER',
      'use the bcc option',
    );
    assertCode(
      () => new EmailMessage({ ...base, headers: { 'X Bad': 'v' } }),
      'CARAFE_MAIL_HEADER',
      'is not a valid header name',
    );
    assertCode(
      () => new EmailMessage({ ...base, headers: { 'X-Bad:': 'v' } }),
      'CARAFE_MAIL_HEADER',
    );
    assertCode(
      () => new EmailMessage({ ...base, to: [] }),
      'CARAFE_MAIL_NO_RECIPIENTS',
      'give at least one address in to, cc or bcc',
    );
    assertCode(() => new EmailMessage({ ...base, to: undefined }), 'CARAFE_MAIL_NO_RECIPIENTS');
    assertCode(
      () =>
        new EmailMessage({
          ...base,
          attachments: [{ filename: 'a.txt', content: 'x', contentType: 'pdf' }],
        }),
      'CARAFE_MAIL_ATTACHMENT',
      'is not a media type',
    );
    assertCode(
      () => new EmailMessage({ ...base, attachments: [{ filename: ' ', content: 'x' }] }),
      'CARAFE_MAIL_ATTACHMENT',
      'needs a filename',
    );
  });
});
