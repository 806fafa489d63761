import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, redirect } from '../index.js';
import { render } from '../templates/index.js';
import { TestClient } from '../testing/index.js';
import { type MessageLevel, MessageList, messages, sessions } from './index.js';

const config = {
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost'],
  log: { level: 'silent' },
} satisfies CarafeConfig;

const templates = mkdtempSync(join(tmpdir(), 'carafe-messages-'));
writeFileSync(
  join(templates, 'list.html'),
  '{% if messages.length %}<ul>{% for m in messages %}<li class="{{ m.level }}">{{ m }}</li>{% endfor %}</ul>{% endif %}',
);
writeFileSync(join(templates, 'plain.html'), '<p>no messages shown here</p>');

function messagesApp(overrides: CarafeConfig = {}): Carafe {
  const app = new Carafe({
    ...config,
    ...overrides,
    templates: { dirs: [templates] },
    apps: [sessions()],
  });
  app.get(
    '/add',
    (req) => {
      messages.success(req, 'Saved.');
      messages.info(req, 'FYI');
      messages.warning(req, 'Careful');
      messages.error(req, 'Oops <b>');
      messages.debug(req, 'SQL took 3ms');
      messages.add(req, 'info', 'Added with add()');
      return redirect('/show');
    },
    { name: 'add' },
  );
  app.get('/show', (req) => messages.get(req).map((m) => ({ level: m.level, text: m.text })), {
    name: 'show',
  });
  app.get(
    '/peek',
    (req) => ({ count: messages.peek(req).length, length: new MessageList(req).length }),
    { name: 'peek' },
  );
  app.get('/list', (req) => render(req, 'list.html'), { name: 'list' });
  app.get('/plain', (req) => render(req, 'plain.html'), { name: 'plain' });
  app.get(
    '/bad-level',
    (req) => {
      messages.add(req, 'fatal' as MessageLevel, 'x');
      return 'unreachable';
    },
    { name: 'bad_level' },
  );
  return app;
}

describe('messages', () => {
  it('are carried to the next request and shown once', async () => {
    const client = new TestClient(messagesApp());
    assert.equal((await client.get('/add')).status, 302);
    const shown = await client.get('/show');
    assert.deepEqual(shown.json(), [
      { level: 'success', text: 'Saved.' },
      { level: 'info', text: 'FYI' },
      { level: 'warning', text: 'Careful' },
      { level: 'error', text: 'Oops <b>' },
      { level: 'info', text: 'Added with add()' },
    ]);
    assert.deepEqual((await client.get('/show')).json(), []);
  });

  it('keep debug messages in debug mode only', async () => {
    const client = new TestClient(messagesApp({ debug: true }));
    await client.get('/add');
    const levels = (await client.get('/show'))
      .json<{ level: MessageLevel }[]>()
      .map((m) => m.level);
    assert.ok(levels.includes('debug'));
  });

  it('can be counted without being consumed', async () => {
    const client = new TestClient(messagesApp());
    await client.get('/add');
    assert.deepEqual((await client.get('/peek')).json(), { count: 5, length: 5 });
    assert.equal((await client.get('/show')).json<unknown[]>().length, 5);
  });

  it('reach templates, escaped, and are consumed only by a template that iterates them', async () => {
    const client = new TestClient(messagesApp());
    await client.get('/add');
    assert.equal((await client.get('/plain')).status, 200);
    const page = await client.get('/list');
    assert.match(page.text, /<li class="success">Saved\.<\/li>/);
    assert.match(page.text, /<li class="error">Oops &lt;b&gt;<\/li>/);
    assert.equal((await client.get('/list')).text, '');
  });

  it('refuse an unknown level', async () => {
    const app = messagesApp({ debug: true });
    const res = await new TestClient(app, { headers: { accept: 'application/json' } }).get(
      '/bad-level',
    );
    assert.equal(res.status, 500);
    assert.match(
      res.json<{ detail: string }>().detail,
      /Unknown message level "fatal": use one of debug, info, success, warning, error/,
    );
  });

  it('need sessions, and say so', async () => {
    const app = new Carafe({ ...config, debug: true, apps: [] });
    app.get(
      '/',
      (req) => {
        messages.info(req, 'hi');
        return 'unreachable';
      },
      { name: 'home' },
    );
    const res = await new TestClient(app, { headers: { accept: 'application/json' } }).get('/');
    assert.equal(res.status, 500);
    assert.match(res.json<{ detail: string }>().detail, /add sessions\(\) to config\.apps/);
  });
});
