import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { contentDisposition, file } from './index.js';

describe('file', () => {
  it('makes a file body with the type from the extension', () => {
    const response = file('static/report.pdf');
    assert.deepEqual(response.body, { kind: 'file', path: resolve('static/report.pdf') });
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.equal(response.headers['content-disposition'], undefined);
    assert.equal(response.headers['cache-control'], undefined);
  });

  it('takes the type from the download name, or an explicit one', () => {
    assert.equal(
      file('/data/blob', { filename: 'export.csv' }).headers['content-type'],
      'text/csv; charset=utf-8',
    );
    assert.equal(
      file('/data/blob', { contentType: 'image/png' }).headers['content-type'],
      'image/png',
    );
  });

  it('builds Content-Disposition for attachments and names', () => {
    assert.equal(
      file('/data/a.txt', { attachment: true }).headers['content-disposition'],
      'attachment; filename="a.txt"',
    );
    assert.equal(
      file('/data/a.txt', { filename: 'notes.txt' }).headers['content-disposition'],
      'inline; filename="notes.txt"',
    );
  });

  it('sets Cache-Control from maxAge and immutable', () => {
    assert.equal(file('/a.js', { maxAge: 60 }).headers['cache-control'], 'public, max-age=60');
    assert.equal(
      file('/a.js', { immutable: true }).headers['cache-control'],
      'public, max-age=31536000, immutable',
    );
    assert.throws(() => file('/a.js', { maxAge: -1 }), {
      name: 'CarafeError',
      code: 'CARAFE_BAD_FILE_OPTIONS',
    });
    assert.throws(() => file('/a.js', { maxAge: 1.5 }), {
      code: 'CARAFE_BAD_FILE_OPTIONS',
      message: /1\.5/,
    });
  });

  it('keeps status and headers from init', () => {
    const response = file('/a.html', { status: 404, headers: { 'X-Page': 'missing' } });
    assert.equal(response.status, 404);
    assert.equal(response.headers['x-page'], 'missing');
  });
});

describe('contentDisposition', () => {
  it('quotes a plain ASCII name without filename*', () => {
    assert.equal(
      contentDisposition('attachment', 'report 2024.pdf'),
      'attachment; filename="report 2024.pdf"',
    );
  });

  it('adds filename* for non-ASCII names with an ASCII fallback', () => {
    assert.equal(
      contentDisposition('attachment', 'résumé €.pdf'),
      'attachment; filename="r_sum_ _.pdf"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9%20%E2%82%AC.pdf',
    );
  });

  it('removes quotes, backslashes and line breaks so the header cannot be broken', () => {
    const value = contentDisposition('attachment', 'a"b\\c\r\nSet-Cookie: x=1.txt');
    assert.ok(!/[\r\n]/.test(value));
    assert.equal(
      value,
      'attachment; filename="abcSet-Cookie: x=1.txt"; filename*=UTF-8\'\'a%22b%5CcSet-Cookie%3A%20x%3D1.txt',
    );
  });

  it('encodes the characters RFC 5987 does not allow bare', () => {
    assert.match(
      contentDisposition('inline', "é's (1)*.txt"),
      /filename\*=UTF-8''%C3%A9%27s%20%281%29%2A\.txt$/,
    );
  });

  it('falls back to "download" when nothing printable is left', () => {
    assert.match(
      contentDisposition('attachment', '""'),
      /^attachment; filename="download"; filename\*=/,
    );
  });
});
