import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, CarafeError, html } from '../index.js';
import { render } from '../templates/index.js';
import { TestClient } from '../testing/index.js';
import { cspNonce, frameOptions, NONCE, type SecurityOptions, security } from './index.js';

const config = {
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost', 'example.com'],
  log: { level: 'silent' },
} satisfies CarafeConfig;

const templates = mkdtempSync(join(tmpdir(), 'carafe-csp-'));
writeFileSync(join(templates, 'script.html'), '<script nonce="{{ cspNonce }}">go()</script>');

function headersApp(options: SecurityOptions = {}, overrides: CarafeConfig = {}): Carafe {
  const app = new Carafe({
    ...config,
    ...overrides,
    templates: { dirs: [templates] },
    apps: [security(options)],
  });
  app.get('/', () => html('<p>home</p>'), { name: 'home' });
  app.get(
    '/own',
    () =>
      html('own', {
        headers: { 'X-Frame-Options': 'SAMEORIGIN', 'Referrer-Policy': 'no-referrer' },
      }),
    {
      name: 'own',
    },
  );
  app.get('/embeddable', () => 'widget', { name: 'embeddable', middleware: [frameOptions(false)] });
  app.get('/same-origin-frame', () => 'framed', {
    name: 'same_origin_frame',
    middleware: [frameOptions('SAMEORIGIN')],
  });
  app.get('/nonce', (req) => ({ nonce: cspNonce(req), again: cspNonce(req) }), { name: 'nonce' });
  app.get('/script', (req) => render(req, 'script.html'), { name: 'script' });
  app.post('/form', () => 'posted', { name: 'form' });
  return app;
}

const defaults = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function assertDefaults(headers: Headers): void {
  for (const [name, value] of Object.entries(defaults))
    assert.equal(headers.get(name), value, name);
}

describe('security headers', () => {
  it('are on by default, on pages, 404s and CSRF failures alike', async () => {
    const client = new TestClient(headersApp());
    for (const res of [
      await client.get('/'),
      await client.get('/missing'),
      await client.post('/form'),
    ]) {
      assertDefaults(res.headers);
      assert.equal(res.header('strict-transport-security'), null);
      assert.equal(res.header('content-security-policy'), null);
    }
    assert.equal((await client.post('/form')).status, 403);
  });

  it("leave a handler's own values alone", async () => {
    const res = await new TestClient(headersApp()).get('/own');
    assert.equal(res.header('x-frame-options'), 'SAMEORIGIN');
    assert.equal(res.header('referrer-policy'), 'no-referrer');
    assert.equal(res.header('x-content-type-options'), 'nosniff');
  });

  it('let a route override X-Frame-Options', async () => {
    const client = new TestClient(headersApp());
    assert.equal((await client.get('/embeddable')).header('x-frame-options'), null);
    assert.equal((await client.get('/same-origin-frame')).header('x-frame-options'), 'SAMEORIGIN');
    assert.equal((await client.get('/')).header('x-frame-options'), 'DENY');
  });

  it('can each be changed or turned off', async () => {
    const app = headersApp({
      csrf: false,
      headers: {
        contentTypeNosniff: false,
        referrerPolicy: ['no-referrer', 'strict-origin-when-cross-origin'],
        crossOriginOpenerPolicy: false,
        frameOptions: 'SAMEORIGIN',
      },
    });
    const res = await new TestClient(app).get('/');
    assert.equal(res.header('x-content-type-options'), null);
    assert.equal(res.header('referrer-policy'), 'no-referrer,strict-origin-when-cross-origin');
    assert.equal(res.header('cross-origin-opener-policy'), null);
    assert.equal(res.header('x-frame-options'), 'SAMEORIGIN');
    const none = await new TestClient(headersApp({ headers: { frameOptions: false } })).get('/');
    assert.equal(none.header('x-frame-options'), null);
  });

  it('reject unknown values with the allowed ones', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => security({ headers: { referrerPolicy: 'same-site' as 'same-origin' } }),
        /referrerPolicy: "same-site" is not a policy/,
      ],
      [
        () => security({ headers: { crossOriginOpenerPolicy: 'strict' as 'same-origin' } }),
        /crossOriginOpenerPolicy/,
      ],
      [
        () => security({ headers: { frameOptions: 'ALLOW' as 'DENY' } }),
        /'DENY', 'SAMEORIGIN' or false/,
      ],
      [() => frameOptions('allow-from' as 'DENY'), /frameOptions\(\)/],
    ];
    for (const [make, message] of cases) {
      assert.throws(
        make,
        (error) =>
          error instanceof CarafeError &&
          error.code === 'CARAFE_SECURITY_OPTION' &&
          message.test(error.message),
      );
    }
  });
});

describe('HSTS and HTTPS redirects', () => {
  it('sends HSTS only over HTTPS, and only when configured', async () => {
    const app = headersApp({
      hsts: { maxAge: 31_536_000, includeSubdomains: true, preload: true },
    });
    const secure = await new TestClient(app, { baseUrl: 'https://example.com' }).get('/');
    assert.equal(
      secure.header('strict-transport-security'),
      'max-age=31536000; includeSubDomains; preload',
    );
    assert.equal((await new TestClient(app).get('/')).header('strict-transport-security'), null);
    const plain = await new TestClient(headersApp({ hsts: { maxAge: 300 } }), {
      baseUrl: 'https://example.com',
    }).get('/');
    assert.equal(plain.header('strict-transport-security'), 'max-age=300');
    const off = await new TestClient(headersApp(), { baseUrl: 'https://example.com' }).get('/');
    assert.equal(off.header('strict-transport-security'), null);
  });

  it('validates HSTS options', () => {
    assert.throws(() => security({ hsts: { maxAge: -1 } }), /hsts\.maxAge takes whole seconds/);
    assert.throws(
      () => security({ hsts: { maxAge: 300, preload: true } }),
      /preload needs includeSubdomains/,
    );
  });

  it('redirects plain HTTP to HTTPS with a 301, path and query kept', async () => {
    const app = headersApp({ sslRedirect: true });
    const res = await new TestClient(app, { baseUrl: 'http://example.com' }).post(
      '/form?next=/a%20b',
    );
    assert.equal(res.status, 301);
    assert.equal(res.location, 'https://example.com/form?next=/a%20b');
    assertDefaults(res.headers);
    assert.equal(
      (await new TestClient(app, { baseUrl: 'https://example.com' }).get('/')).status,
      200,
    );
  });

  it('believes X-Forwarded-Proto from trusted proxies only', async () => {
    const app = headersApp(
      { sslRedirect: true, hsts: { maxAge: 60 } },
      { trustedProxies: ['loopback'] },
    );
    const request = (remoteAddress: string) =>
      app.fetch(new Request('http://example.com/', { headers: { 'x-forwarded-proto': 'https' } }), {
        remoteAddress,
      });
    const proxied = await request('127.0.0.1');
    assert.equal(proxied.status, 200);
    assert.equal(proxied.headers.get('strict-transport-security'), 'max-age=60');
    const direct = await request('203.0.113.9');
    assert.equal(direct.status, 301);
  });
});

describe('Content-Security-Policy', () => {
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", NONCE],
    styleSrc: ["'self'", 'https://fonts.example.com', NONCE],
    objectSrc: [],
    upgradeInsecureRequests: true,
  };

  it('sends the policy with a nonce that changes on every response', async () => {
    const client = new TestClient(headersApp({ csp: { directives } }));
    const first = await client.get('/nonce');
    const second = await client.get('/nonce');
    const { nonce, again } = first.json<{ nonce: string; again: string }>();
    assert.equal(nonce, again, 'one nonce per request');
    assert.match(nonce, /^[A-Za-z0-9+/]{24}$/);
    assert.notEqual(second.json<{ nonce: string }>().nonce, nonce);
    assert.equal(
      first.header('content-security-policy'),
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' https://fonts.example.com 'nonce-${nonce}'; object-src 'none'; upgrade-insecure-requests`,
    );
  });

  it('includes a fresh nonce even when the handler did not ask for one', async () => {
    const client = new TestClient(headersApp({ csp: { directives } }));
    const a = (await client.get('/')).header('content-security-policy') ?? '';
    const b = (await client.get('/')).header('content-security-policy') ?? '';
    assert.match(a, /script-src 'self' 'nonce-[A-Za-z0-9+/]{24}'/);
    assert.notEqual(a, b);
  });

  it('gives templates the nonce of the header', async () => {
    const res = await new TestClient(headersApp({ csp: { directives } })).get('/script');
    const nonce = /<script nonce="([^"]+)">/.exec(res.text)?.[1];
    assert.ok(nonce);
    assert.ok(res.header('content-security-policy')?.includes(`'nonce-${nonce}'`));
  });

  it('has a report-only mode and a report URI', async () => {
    const app = headersApp({
      csp: { directives: { defaultSrc: ["'self'"] }, reportOnly: true, reportUri: '/csp-report/' },
    });
    const res = await new TestClient(app).get('/');
    assert.equal(res.header('content-security-policy'), null);
    assert.equal(
      res.header('content-security-policy-report-only'),
      "default-src 'self'; report-uri /csp-report/",
    );
  });

  it('rejects mistakes when the app is defined', () => {
    const misspelled = { defaultSrc: ["'self'"], scriptSource: ["'self'"] };
    const cases: [SecurityOptions['csp'], RegExp][] = [
      [{ directives: { scriptSrc: ['self'] } }, /write "'self'" with single quotes/],
      [{ directives: { imgSrc: ['https://a.example https://b.example'] } }, /one per entry/],
      [{ directives: { imgSrc: ["'self';"] } }, /without spaces, ';' or ','/],
      [{ directives: misspelled }, /scriptSource is not a directive/],
      [{ directives: {} }, /is empty/],
    ];
    for (const [csp, message] of cases) {
      assert.throws(
        () => security({ csp }),
        (error) =>
          error instanceof CarafeError &&
          error.code === 'CARAFE_CSP_OPTION' &&
          message.test(error.message),
      );
    }
  });
});
