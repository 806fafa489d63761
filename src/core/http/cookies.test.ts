import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { parseCookies, serializeCookie } from './cookies.js';
import { defaultLimits } from './limits.js';
import { ProxyPolicy } from './proxy.js';
import { HttpRequest } from './request.js';

function entries(record: Record<string, string>): [string, string][] {
  return Object.entries(record);
}

describe('parseCookies', () => {
  it('reads pairs, tolerating spaces and a missing space after ";"', () => {
    assert.deepEqual(entries(parseCookies('a=1; b=2;c=3 ;  d = 4 ')), [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
    ]);
  });

  it('gives an empty record for no header or an empty one', () => {
    assert.deepEqual(entries(parseCookies(undefined)), []);
    assert.deepEqual(entries(parseCookies('')), []);
  });

  it('unquotes quoted values and percent-decodes', () => {
    const cookies = parseCookies(
      'q="hello world"; city=K%C3%B8benhavn; json=%7B%22a%22%3A1%7D; eq=a=b',
    );
    assert.equal(cookies.q, 'hello world');
    assert.equal(cookies.city, 'København');
    assert.equal(cookies.json, '{"a":1}');
    assert.equal(cookies.eq, 'a=b');
  });

  it('keeps a value raw when its percent-escapes do not decode', () => {
    assert.equal(parseCookies('a=100%; b=%E0%A4%A').a, '100%');
    assert.equal(parseCookies('b=%E0%A4%A').b, '%E0%A4%A');
  });

  it('lets the first of a repeated name win', () => {
    assert.equal(parseCookies('session=first; session=second').session, 'first');
  });

  it('skips malformed pairs', () => {
    assert.deepEqual(
      entries(parseCookies('novalue; =empty-name; ok=1; bad\u0001name=x; ctl=a\u0007b; ;;')),
      [['ok', '1']],
    );
  });

  it('treats __proto__ and constructor as ordinary names', () => {
    const cookies = parseCookies('__proto__=evil; constructor=x; toString=y');
    assert.equal(Object.getPrototypeOf(cookies), null);
    assert.equal(Object.getOwnPropertyDescriptor(cookies, '__proto__')?.value, 'evil');
    assert.equal(cookies.constructor, 'x');
    assert.equal(({} as Record<string, unknown>).evil, undefined);
    assert.equal(parseCookies('a=1').toString, undefined);
  });
});

describe('serializeCookie', () => {
  it('applies the safe defaults: Path=/, HttpOnly, SameSite=Lax', () => {
    assert.equal(
      serializeCookie('theme', 'dark', {}, false),
      'theme=dark; Path=/; HttpOnly; SameSite=Lax',
    );
  });

  it('adds Secure when secureDefault or options.secure say so', () => {
    assert.match(serializeCookie('a', '1', {}, true), /; Secure;/);
    assert.doesNotMatch(serializeCookie('a', '1', { secure: false }, true), /Secure/);
    assert.match(serializeCookie('a', '1', { secure: true }, false), /; Secure;/);
  });

  it('writes every option', () => {
    const expires = new Date('2030-01-02T03:04:05Z');
    assert.equal(
      serializeCookie(
        'id',
        'abc',
        {
          path: '/app',
          domain: 'example.com',
          expires,
          httpOnly: false,
          sameSite: 'Strict',
          secure: true,
        },
        false,
      ),
      'id=abc; Path=/app; Domain=example.com; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Secure; SameSite=Strict',
    );
  });

  it('turns maxAge into Max-Age and a matching Expires', () => {
    const before = Date.now();
    const cookie = serializeCookie('a', '1', { maxAge: 3600.7 }, false);
    const match = /Max-Age=(\d+); Expires=([^;]+);/.exec(cookie);
    assert.ok(match, cookie);
    assert.equal(match[1], '3600');
    const expires = Date.parse(match[2]!);
    assert.ok(Math.abs(expires - (before + 3600_000)) < 2000);
    assert.match(
      serializeCookie('a', '', { maxAge: 0, expires: new Date(0) }, false),
      /Max-Age=0; Expires=Thu, 01 Jan 1970/,
    );
  });

  it('forces Secure for SameSite=None, Partitioned and __Secure-/__Host- names', () => {
    assert.match(
      serializeCookie('a', '1', { sameSite: 'None', secure: false }, false),
      /; Secure; SameSite=None/,
    );
    assert.match(
      serializeCookie('a', '1', { partitioned: true }, false),
      /; Secure; SameSite=Lax; Partitioned$/,
    );
    assert.match(serializeCookie('__Secure-id', '1', {}, false), /; Secure/);
    assert.match(serializeCookie('__Host-id', '1', {}, false), /; Secure/);
  });

  it('percent-encodes everything outside cookie-octets, and parses back', () => {
    const value = 'a b;c,d"e\\f%g=h/é€😀';
    const cookie = serializeCookie('v', value, {}, false);
    const pair = cookie.slice(0, cookie.indexOf(';'));
    assert.equal(pair, 'v=a%20b%3Bc%2Cd%22e%5Cf%25g=h/%C3%A9%E2%82%AC%F0%9F%98%80');
    assert.equal(parseCookies(pair).v, value);
    assert.equal(
      serializeCookie('t', 'eyJhIjoxfQ==.sig-_~!', {}, false).split(';')[0],
      't=eyJhIjoxfQ==.sig-_~!',
    );
  });

  it('throws CARAFE_COOKIE_NAME for a name that is not a token', () => {
    for (const name of [
      '',
      'a b',
      'a;b',
      'a=b',
      'a,b',
      '"a"',
      'naïve',
      'a\r\nSet-Cookie: x',
      'a(b)',
    ]) {
      assert.throws(
        () => serializeCookie(name, 'v', {}, false),
        (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_COOKIE_NAME',
        JSON.stringify(name),
      );
    }
  });

  it('throws CARAFE_COOKIE_OPTION for path or domain that would inject attributes', () => {
    const bad = [
      { path: '/; Domain=evil.com' },
      { path: '/\r\nX-Injected: 1' },
      { domain: 'example.com; Secure' },
      { domain: 'example.com\n' },
    ];
    for (const options of bad) {
      assert.throws(
        () => serializeCookie('a', '1', options, false),
        (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_COOKIE_OPTION',
        JSON.stringify(options),
      );
    }
  });

  it('throws for a __Host- cookie with a domain or a narrower path, and for a non-finite maxAge', () => {
    for (const options of [{ domain: 'example.com' }, { path: '/app' }]) {
      assert.throws(() => serializeCookie('__Host-id', '1', options, true), /__Host-/);
    }
    assert.throws(() => serializeCookie('a', '1', { maxAge: Number.NaN }, false), /finite/);
  });

  it('throws for a value with a lone surrogate', () => {
    assert.throws(
      () => serializeCookie('a', 'x\ud800', {}, false),
      (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_COOKIE_VALUE',
    );
  });
});

describe('HttpRequest.cookies', () => {
  it('parses the Cookie header once, on first access', () => {
    let reads = 0;
    const req = new HttpRequest(
      {
        method: 'GET',
        url: '/',
        header: (name) => {
          if (name === 'cookie') reads++;
          return name === 'cookie' ? 'sessionid=abc; csrftoken=x%2By' : undefined;
        },
        headers: () => ({}),
        body: () => null,
        remoteAddress: '127.0.0.1',
        encrypted: false,
      },
      {
        limits: defaultLimits,
        proxy: new ProxyPolicy({ trustedProxies: [] }),
        debug: false,
        reverse: () => '/',
      },
    );
    assert.equal(reads, 0);
    assert.equal(req.cookies.sessionid, 'abc');
    assert.equal(req.cookies.csrftoken, 'x+y');
    assert.equal(reads, 1);
  });
});
