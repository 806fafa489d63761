import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../../errors.js';
import { isSafeRedirectTarget, type RedirectStatus, redirect, safeRedirect } from './index.js';

describe('redirect', () => {
  it('answers 302 with a Location and no body', () => {
    const response = redirect('/polls/3/');
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/polls/3/');
    assert.equal(response.body, null);
  });

  it('takes the other redirect statuses and URL objects', () => {
    for (const status of [301, 303, 307, 308] as const)
      assert.equal(redirect('/x', status).status, status);
    assert.equal(
      redirect(new URL('https://example.com/a?b=1')).headers.location,
      'https://example.com/a?b=1',
    );
  });

  it('refuses statuses that are not redirects', () => {
    for (const status of [200, 300, 304, 404]) {
      assert.throws(
        // Simulates a caller without type checking.
        () => redirect('/x', status as RedirectStatus),
        (error: unknown) =>
          error instanceof CarafeError &&
          error.code === 'CARAFE_BAD_REDIRECT_STATUS' &&
          error.message.includes(String(status)) &&
          error.message.includes('303'),
      );
    }
  });

  it('refuses CR, LF and other control characters (header injection)', () => {
    for (const location of ['/a\r\nSet-Cookie: x=1', '/a\nb', '/a\rb', '/a\0b', '/a\u0085b']) {
      assert.throws(() => redirect(location), { name: 'CarafeError', code: 'CARAFE_BAD_REDIRECT' });
    }
  });

  it('percent-encodes spaces and non-ASCII, keeping existing escapes', () => {
    assert.equal(
      redirect('/café au lait/?q=%20x').headers.location,
      '/caf%C3%A9%20au%20lait/?q=%20x',
    );
    assert.throws(() => redirect('/\ud800'), { code: 'CARAFE_BAD_REDIRECT', message: /surrogate/ });
  });
});

const plain = { host: 'good.com', isSecure: false };
const secure = { host: 'good.com', isSecure: true };

function target(
  req: typeof plain,
  next: string | null | undefined,
  options = {},
): string | string[] | undefined {
  return safeRedirect(req, next, options).headers.location;
}

describe('safeRedirect', () => {
  it('follows relative paths and URLs on the request host', () => {
    assert.equal(target(plain, '/account/'), '/account/');
    assert.equal(target(plain, '/search?q=a#top'), '/search?q=a#top');
    assert.equal(target(plain, 'settings'), 'settings');
    assert.equal(target(plain, '?page=2'), '?page=2');
    assert.equal(target(plain, 'http://good.com/x'), 'http://good.com/x');
    assert.equal(target(plain, 'HTTPS://GOOD.COM/x'), 'HTTPS://GOOD.COM/x');
    assert.equal(target(plain, '//good.com/x'), '//good.com/x');
    assert.equal(target(plain, '  /trimmed  '), '/trimmed');
  });

  it('follows hosts listed in allowedHosts', () => {
    assert.equal(
      target(plain, 'https://cdn.good.com/a', { allowedHosts: ['cdn.good.com'] }),
      'https://cdn.good.com/a',
    );
    assert.equal(target(plain, 'https://other.com/a', { allowedHosts: ['cdn.good.com'] }), '/');
  });

  it('goes to the fallback for anything that leaves the site', () => {
    const unsafe = [
      'https://evil.com/',
      '//evil.com',
      '/\\evil.com',
      '\\\\evil.com',
      '\\/evil.com',
      '///evil.com',
      'https:evil.com',
      'https:/evil.com',
      'http:///evil.com',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://good.com/file',
      'https://good.com@evil.com/',
      'https://good.com:@evil.com/',
      'https://user:pass@good.com/',
      'https://good.com\\@evil.com/',
      'https://good.com.evil.com/',
      'https://good.com:8080/',
      '\x01//evil.com',
      '/\t/evil.com',
      '/\n/evil.com',
      '\u200b//evil.com',
      '//',
      '',
      '   ',
    ];
    for (const next of unsafe) {
      assert.equal(
        target(plain, next, { fallback: '/home/' }),
        '/home/',
        `${JSON.stringify(next)} was followed`,
      );
    }
    assert.equal(target(plain, null), '/');
    assert.equal(target(plain, undefined), '/');
  });

  it('refuses http targets from an HTTPS request unless told otherwise', () => {
    assert.equal(target(secure, 'http://good.com/x'), '/');
    assert.equal(target(secure, '//good.com/x'), '/');
    assert.equal(target(secure, 'https://good.com/x'), 'https://good.com/x');
    assert.equal(target(secure, '/x'), '/x');
    assert.equal(target(secure, 'http://good.com/x', { requireHttps: false }), 'http://good.com/x');
  });

  it('uses the given status', () => {
    assert.equal(safeRedirect(plain, '/x', { status: 303 }).status, 303);
    assert.equal(safeRedirect(plain, '/x').status, 302);
  });

  it('exposes the check itself for other uses', () => {
    assert.equal(isSafeRedirectTarget('/ok', ['good.com']), true);
    assert.equal(isSafeRedirectTarget('//evil.com', ['good.com']), false);
    assert.equal(isSafeRedirectTarget('http://good.com/', ['good.com'], true), false);
  });
});
