import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Blueprint, Carafe, type CarafeConfig, CarafeError, html } from '../index.js';
import { sessions } from '../sessions/index.js';
import { render } from '../templates/index.js';
import { TestClient, type TestResponse } from '../testing/index.js';
import {
  CsrfFailure,
  type CsrfOptions,
  csrfExempt,
  csrfToken,
  rotateCsrfToken,
  type SecurityOptions,
  security,
} from './index.js';

const config = {
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost', 'example.com', 'api.example.com'],
  log: { level: 'silent' },
} satisfies CarafeConfig;

const templates = mkdtempSync(join(tmpdir(), 'carafe-csrf-'));
writeFileSync(
  join(templates, 'form.html'),
  '<meta name="csrf-token" content="{{ csrfToken }}"><form method="post">{{ csrfInput }}</form>',
);

interface Harness {
  app: Carafe;
  handled: string[];
}

function csrfApp(
  options: { csrf?: CsrfOptions | false; withSessions?: boolean; security?: SecurityOptions } = {},
  overrides: CarafeConfig = {},
): Harness {
  const installed = [security({ ...options.security, csrf: options.csrf ?? {} })];
  const app = new Carafe({
    ...config,
    ...overrides,
    templates: { dirs: [templates] },
    apps: options.withSessions === false ? installed : [sessions(), ...installed],
  });
  const handled: string[] = [];
  app.get('/token', (req) => ({ token: csrfToken(req) }), { name: 'token' });
  app.get('/page', (req) => render(req, 'form.html'), { name: 'page' });
  app.get(
    '/rotate',
    (req) => {
      rotateCsrfToken(req);
      return { token: csrfToken(req) };
    },
    { name: 'rotate' },
  );
  app.route(
    ['POST', 'PUT', 'PATCH', 'DELETE'],
    '/submit',
    (req) => {
      handled.push(req.method);
      return html('done');
    },
    { name: 'submit' },
  );
  app.post(
    '/hook',
    () => {
      handled.push('hook');
      return 'hooked';
    },
    { name: 'hook', middleware: [csrfExempt] },
  );
  const api = new Blueprint('api', { prefix: '/api', middleware: [csrfExempt] });
  api.post(
    '/items',
    () => {
      handled.push('api');
      return { created: true };
    },
    { name: 'items' },
  );
  app.register(api);
  return { app, handled };
}

async function tokenFor(client: TestClient): Promise<string> {
  const res = await client.get('/token');
  assert.equal(res.status, 200);
  return res.json<{ token: string }>().token;
}

function failure(res: TestResponse): string {
  assert.equal(res.status, 403);
  return res.text;
}

describe('CSRF tokens', () => {
  it('lets safe methods through unchecked', async () => {
    const { app } = csrfApp();
    const client = new TestClient(app);
    assert.equal((await client.get('/token')).status, 200);
    assert.equal((await client.head('/token')).status, 200);
  });

  it('refuses a POST without a token with a 403, and the handler never runs', async () => {
    const { app, handled } = csrfApp();
    const client = new TestClient(app);
    await tokenFor(client);
    const body = failure(await client.post('/submit', { form: { title: 'x' } }));
    assert.match(body, /CSRF verification failed\. Request aborted\./);
    assert.doesNotMatch(body, /no-token/, 'outside debug the reason is not shown');
    assert.deepEqual(handled, []);
  });

  it('checks PUT, PATCH and DELETE too', async () => {
    const { app, handled } = csrfApp();
    const client = new TestClient(app);
    await tokenFor(client);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      assert.equal((await client.request(method, '/submit')).status, 403, method);
    }
    assert.deepEqual(handled, []);
  });

  it('accepts a masked token from an earlier page in the form field', async () => {
    const { app, handled } = csrfApp();
    const client = new TestClient(app);
    const first = await tokenFor(client);
    const second = await tokenFor(client);
    assert.notEqual(first, second, 'every page gets a differently masked token');
    assert.match(first, /^[A-Za-z0-9_-]{86}$/);
    for (const token of [first, second]) {
      const res = await client.post('/submit', { form: { csrfmiddlewaretoken: token } });
      assert.equal(res.status, 200);
    }
    assert.deepEqual(handled, ['POST', 'POST']);
  });

  it('accepts the token in the X-CSRFToken header, whatever the body', async () => {
    const { app, handled } = csrfApp();
    const client = new TestClient(app);
    const token = await tokenFor(client);
    const res = await client.put('/submit', { json: { a: 1 }, headers: { 'X-CSRFToken': token } });
    assert.equal(res.status, 200);
    assert.deepEqual(handled, ['PUT']);
  });

  it('reads the token from a multipart form', async () => {
    const { app, handled } = csrfApp();
    const client = new TestClient(app);
    const token = await tokenFor(client);
    const upload = new File(['hello'], 'a.txt', { type: 'text/plain' });
    const res = await client.post('/submit', {
      multipart: { csrfmiddlewaretoken: token, file: upload },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(handled, ['POST']);
  });

  it("refuses another visitor's token", async () => {
    const { app, handled } = csrfApp({}, { debug: true });
    const attacker = new TestClient(app);
    const victim = new TestClient(app);
    const stolen = await tokenFor(attacker);
    await tokenFor(victim);
    const body = failure(await victim.post('/submit', { form: { csrfmiddlewaretoken: stolen } }));
    assert.match(body, /wrong-token/);
    assert.deepEqual(handled, []);
  });

  it('says which check failed in debug mode', async () => {
    const { app } = csrfApp({}, { debug: true });
    const fresh = new TestClient(app);
    assert.match(
      failure(await fresh.post('/submit', { form: {} })),
      /\(no-secret\).*session holds no CSRF secret/,
    );
    const client = new TestClient(app);
    const token = await tokenFor(client);
    assert.match(failure(await client.post('/submit', { form: {} })), /\(no-token\).*csrfInput/);
    assert.match(
      failure(await client.post('/submit', { form: { csrfmiddlewaretoken: 'short' } })),
      /\(malformed-token\)/,
    );
    assert.match(
      failure(
        await client.post('/submit', { headers: { 'x-csrftoken': `${token.slice(0, -4)}AAAA` } }),
      ),
      /\(wrong-token\)/,
    );
    const json = await client.post('/submit', { headers: { accept: 'application/json' } });
    assert.equal(json.status, 403);
    assert.equal(json.json<{ code: string }>().code, 'CARAFE_CSRF_FAILED');
  });

  it('skips exempt routes and blueprints', async () => {
    const { app, handled } = csrfApp();
    const client = new TestClient(app);
    assert.equal(
      (await client.post('/hook', { body: '{}', headers: { 'content-type': 'application/json' } }))
        .status,
      200,
    );
    assert.equal((await client.post('/api/items', { json: {} })).status, 200);
    assert.deepEqual(handled, ['hook', 'api']);
  });

  it('leaves requests no route answers to the router (404, 405)', async () => {
    const { app } = csrfApp();
    const client = new TestClient(app);
    assert.equal((await client.post('/nowhere')).status, 404);
    assert.equal((await client.post('/token')).status, 405);
  });

  it('rejects old tokens after rotateCsrfToken (login)', async () => {
    const { app } = csrfApp();
    const client = new TestClient(app);
    const before = await tokenFor(client);
    const after = (await client.get('/rotate')).json<{ token: string }>().token;
    assert.equal(
      (await client.post('/submit', { form: { csrfmiddlewaretoken: before } })).status,
      403,
    );
    assert.equal(
      (await client.post('/submit', { form: { csrfmiddlewaretoken: after } })).status,
      200,
    );
  });

  it('lets an error handler replace the 403 page', async () => {
    const { app, handled } = csrfApp();
    app.errorHandler(CsrfFailure, (error) =>
      html(`<p>Form expired (${error.reason}).</p>`, { status: 403 }),
    );
    const client = new TestClient(app);
    await tokenFor(client);
    const res = await client.post('/submit', { form: {} });
    assert.equal(res.status, 403);
    assert.equal(res.text, '<p>Form expired (no-token).</p>');
    assert.deepEqual(handled, []);
  });

  it('is off with csrf: false', async () => {
    const { app, handled } = csrfApp({ csrf: false });
    assert.equal((await new TestClient(app).post('/submit', { form: {} })).status, 200);
    assert.deepEqual(handled, ['POST']);
    assert.equal((await new TestClient(app).get('/token')).status, 500, 'csrfToken needs CSRF on');
  });
});

describe('CSRF secret storage', () => {
  it('keeps the secret in the session when sessions are installed', async () => {
    const { app } = csrfApp();
    const client = new TestClient(app);
    const res = await client.get('/token');
    assert.ok(client.cookies.get('sessionid'), 'the session holds the secret');
    assert.equal(client.cookies.get('csrftoken'), undefined);
    assert.equal(res.header('vary'), 'Cookie');
  });

  it('uses a signed, HttpOnly csrftoken cookie without sessions', async () => {
    const { app, handled } = csrfApp({ withSessions: false }, { debug: true });
    const client = new TestClient(app, { baseUrl: 'https://example.com' });
    const res = await client.get('/token');
    const line = res.headers.getSetCookie().find((cookie) => cookie.startsWith('csrftoken=')) ?? '';
    assert.match(line, /; Max-Age=31536000; .*HttpOnly; Secure; SameSite=Lax$/);
    const token = res.json<{ token: string }>().token;
    // A second page keeps the same secret: no new cookie.
    const again = await client.get('/token');
    assert.equal(again.headers.getSetCookie().length, 0);
    const post = (extra: Record<string, string> = {}) =>
      client.post('/submit', {
        form: { csrfmiddlewaretoken: token },
        headers: { origin: 'https://example.com', ...extra },
      });
    assert.equal((await post()).status, 200);
    const cookie = client.cookies.get('csrftoken') ?? '';
    client.cookies.set('csrftoken', `${cookie.slice(0, -3)}abc`);
    assert.match(failure(await post()), /\(no-secret\).*no valid CSRF cookie/);
    assert.deepEqual(handled, ['POST']);
  });

  it('accepts a secret cookie signed with a fallback key', async () => {
    const oldKey = 'o'.repeat(48);
    const before = csrfApp({ withSessions: false }, { secretKey: oldKey });
    const client = new TestClient(before.app);
    const token = await tokenFor(client);
    const after = csrfApp(
      { withSessions: false },
      { secretKey: 'n'.repeat(48), secretKeyFallbacks: [oldKey] },
    );
    const moved = new TestClient(after.app);
    moved.cookies.set('csrftoken', client.cookies.get('csrftoken') ?? '');
    assert.equal(
      (await moved.post('/submit', { form: { csrfmiddlewaretoken: token } })).status,
      200,
    );
  });

  it('can keep the secret in a cookie even with sessions', async () => {
    const { app } = csrfApp({ csrf: { storage: 'cookie', cookieName: 'xsrf' } });
    const client = new TestClient(app);
    const token = await tokenFor(client);
    assert.ok(client.cookies.get('xsrf'));
    assert.equal(client.cookies.get('sessionid'), undefined);
    assert.equal((await client.post('/submit', { headers: { 'x-csrftoken': token } })).status, 200);
  });

  it('honours custom header and field names', async () => {
    const { app } = csrfApp({ csrf: { headerName: 'X-XSRF-Token', fieldName: '_token' } });
    const client = new TestClient(app);
    const token = await tokenFor(client);
    assert.equal(
      (await client.post('/submit', { headers: { 'x-xsrf-token': token } })).status,
      200,
    );
    assert.equal((await client.post('/submit', { form: { _token: token } })).status, 200);
    assert.equal(
      (await client.post('/submit', { form: { csrfmiddlewaretoken: token } })).status,
      403,
    );
  });
});

describe('CSRF origin checks', () => {
  const https = (app: Carafe) => new TestClient(app, { baseUrl: 'https://example.com' });

  async function postWith(
    client: TestClient,
    headers: Record<string, string>,
  ): Promise<TestResponse> {
    const token = await tokenFor(client);
    return client.post('/submit', { form: { csrfmiddlewaretoken: token }, headers });
  }

  it('accepts the same origin and refuses another one, also over HTTP', async () => {
    const { app } = csrfApp({}, { debug: true });
    assert.equal((await postWith(https(app), { origin: 'https://example.com' })).status, 200);
    assert.match(
      failure(await postWith(https(app), { origin: 'https://evil.example' })),
      /\(bad-origin\).*&quot;https:\/\/evil\.example&quot;/,
    );
    assert.match(
      failure(await postWith(https(app), { origin: 'http://example.com' })),
      /bad-origin/,
    );
    assert.match(failure(await postWith(https(app), { origin: 'null' })), /bad-origin/);
    assert.match(
      failure(await postWith(https(app), { origin: 'https://example.com/path' })),
      /bad-origin/,
    );
    const plain = new TestClient(app);
    assert.equal((await postWith(plain, { origin: 'http://localhost' })).status, 200);
    assert.match(failure(await postWith(plain, { origin: 'http://evil.example' })), /bad-origin/);
  });

  it('falls back to the Referer on HTTPS', async () => {
    const { app } = csrfApp({}, { debug: true });
    assert.equal(
      (await postWith(https(app), { referer: 'https://example.com/form/' })).status,
      200,
    );
    assert.match(failure(await postWith(https(app), {})), /\(no-referer\)/);
    assert.match(
      failure(await postWith(https(app), { referer: 'not a url' })),
      /\(malformed-referer\)/,
    );
    assert.match(
      failure(await postWith(https(app), { referer: 'http://example.com/form/' })),
      /\(insecure-referer\)/,
    );
    assert.match(
      failure(await postWith(https(app), { referer: 'https://evil.example/' })),
      /\(bad-referer\)/,
    );
    // Plain HTTP has no trustworthy Referer to check; the token alone decides.
    assert.equal((await postWith(new TestClient(app), {})).status, 200);
  });

  it('accepts trusted origins, wildcards included', async () => {
    const { app } = csrfApp({
      csrf: { trustedOrigins: ['https://*.example.org', 'https://partner.example:8443'] },
    });
    for (const origin of [
      'https://example.org',
      'https://app.example.org',
      'https://a.b.example.org',
      'https://partner.example:8443',
    ]) {
      assert.equal((await postWith(https(app), { origin })).status, 200, origin);
    }
    for (const origin of [
      'http://app.example.org',
      'https://example.org.evil',
      'https://partner.example',
      'https://badexample.org',
    ]) {
      assert.equal((await postWith(https(app), { origin })).status, 403, origin);
    }
    assert.equal(
      (await postWith(https(app), { referer: 'https://app.example.org/x' })).status,
      200,
    );
    assert.equal((await postWith(https(app), { referer: 'https://other.example/x' })).status, 403);
  });

  it('sees the client scheme and host through trusted proxies', async () => {
    const { app } = csrfApp({ withSessions: false }, { trustedProxies: ['loopback'] });
    const viaProxy = async (path: string, init: RequestInit = {}) =>
      app.fetch(new Request(`http://internal${path}`, init), { remoteAddress: '127.0.0.1' });
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'example.com' };
    const page = await viaProxy('/token', { headers: forwarded });
    const { token } = (await page.json()) as { token: string };
    const cookie = page.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const post = (origin: string) =>
      viaProxy('/submit', {
        method: 'POST',
        headers: {
          ...forwarded,
          cookie,
          origin,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ csrfmiddlewaretoken: token }),
      });
    assert.equal((await post('https://example.com')).status, 200);
    assert.equal((await post('http://internal')).status, 403);
  });
});

describe('CSRF in templates', () => {
  it('renders csrfInput and csrfToken that the next POST accepts', async () => {
    const { app, handled } = csrfApp();
    const client = new TestClient(app);
    const page = await client.get('/page');
    assert.equal(page.status, 200);
    const input =
      /<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9_-]{86})">/.exec(
        page.text,
      );
    const meta = /<meta name="csrf-token" content="([A-Za-z0-9_-]{86})">/.exec(page.text);
    assert.ok(input && meta, page.text);
    assert.notEqual(input[1], meta[1]);
    assert.equal(
      (await client.post('/submit', { form: { csrfmiddlewaretoken: input[1]! } })).status,
      200,
    );
    assert.equal(
      (await client.post('/submit', { headers: { 'x-csrftoken': meta[1]! } })).status,
      200,
    );
    assert.deepEqual(handled, ['POST', 'POST']);
  });
});

describe('CSRF configuration errors', () => {
  function configError(make: () => unknown, code: string, message: RegExp): void {
    assert.throws(make, (error) => {
      assert.ok(error instanceof CarafeError);
      assert.equal(error.code, code);
      assert.match(error.message, message);
      return true;
    });
  }

  it('needs sessions listed before security', () => {
    configError(
      () => new Carafe({ ...config, apps: [security(), sessions()] }),
      'CARAFE_APP_ORDER',
      /List sessions\(\) before security\(\)/,
    );
    configError(
      () => new Carafe({ ...config, apps: [security({ csrf: { storage: 'session' } })] }),
      'CARAFE_APP_ORDER',
      /needs sessions\(\) listed/,
    );
  });

  it('rejects malformed trusted origins and storage', () => {
    for (const entry of [
      'example.com',
      'https://example.com/path',
      'ftp://example.com',
      'https://ex*ample.com',
      'https://*',
    ]) {
      configError(
        () => security({ csrf: { trustedOrigins: [entry] } }),
        'CARAFE_CSRF_TRUSTED_ORIGIN',
        /scheme:\/\/host\[:port\]/,
      );
    }
    configError(
      () => security({ csrf: { storage: 'redis' as 'cookie' } }),
      'CARAFE_CSRF_OPTION',
      /'session' or 'cookie'/,
    );
  });

  it('csrfToken names the missing app', async () => {
    const app = new Carafe({ ...config, apps: [] });
    app.get('/t', (req) => csrfToken(req), { name: 't' });
    const res = await new TestClient(app, { headers: { accept: 'application/json' } }).get('/t');
    assert.equal(res.status, 500);
    const debugApp = new Carafe({ ...config, debug: true, apps: [] });
    debugApp.get('/t', (req) => csrfToken(req), { name: 't' });
    const detail = (
      await new TestClient(debugApp, { headers: { accept: 'application/json' } }).get('/t')
    ).json<{ detail: string }>().detail;
    assert.match(detail, /add security\(\) to config\.apps/);
  });
});
