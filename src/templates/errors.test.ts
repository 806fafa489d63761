import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, CarafeError, defineApp } from '../index.js';
import { TestClient } from '../testing/index.js';
import { render, renderToString } from './index.js';

function templateDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'carafe-template-errors-'));
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), source);
  }
  return root;
}

const dir = templateDir({
  'base.html':
    '<html>\n{% block content %}{% endblock %}\n{% block side %}\n{{ side.title.upper() }}\n{% endblock %}</html>',
  'syntax.html': 'line one\n{% if %}\n',
  'bad-layout.html': '{% block x %}\n{{ y }\n{% endblock %}',
  'extends-bad-layout.html': '{% extends "bad-layout.html" %}{% block x %}hi{% endblock %}',
  'child.html': '{% extends "base.html" %}\n{% block content %}\nok\n{% endblock %}',
  'after-super.html':
    '{% extends "base.html" %}\n{% block side %}{{ super() }}\n\n{{ nothing() }}{% endblock %}',
  'includes.html': 'a\n{% include "broken-part.html" %}',
  'broken-part.html': 'one\ntwo\n{{ 1 | date }}{{ "x" | date }}',
  'missing-include.html': '{% include "no/such.html" %}',
  'ignore-missing.html': '[{% include "no/such.html" ignore missing %}]',
  'unknown-filter.html': 'a\nb\n{{ name | shout }}',
  'route.html': '\n{{ urlFor("polls.nope") }}',
  'call.html': 'x\n  {{ undefinedFunction() }}',
  'filter-after-call.html': '{{ ok() }}\n{{ "x" | date }}',
  'filter-twice.html': '{{ a | date }}\n\n{{ b | date }}',
});

const base: CarafeConfig = {
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost'],
  log: { level: 'silent' },
};

function makeApp(extra: CarafeConfig = {}): Carafe {
  return new Carafe({ ...base, templates: { dirs: [dir] }, ...extra });
}

async function renderError(name: string, context = {}, app = makeApp()): Promise<CarafeError> {
  try {
    await renderToString(app, name, context);
  } catch (error) {
    assert.ok(error instanceof CarafeError, String(error));
    return error;
  }
  assert.fail(`${name} rendered without an error`);
}

describe('missing templates', () => {
  it('lists every file searched, project folders first', async () => {
    const appDir = templateDir({});
    const app = makeApp({ apps: [defineApp({ name: 'polls', templates: appDir })] });
    const error = await renderError('polls/detail.html', {}, app);
    assert.equal(error.code, 'CARAFE_TEMPLATE_NOT_FOUND');
    assert.equal(
      error.message,
      'Template "polls/detail.html" not found. Searched:\n' +
        `  - ${join(dir, 'polls/detail.html')}\n` +
        `  - ${join(appDir, 'polls/detail.html')}\n` +
        'Check the name, or add the folder that holds it to templates.dirs in the config ' +
        '(or pass { templates: folder } to defineApp or new Blueprint).',
    );
  });

  it('names the template that includes a missing one', async () => {
    const error = await renderError('missing-include.html');
    assert.equal(error.code, 'CARAFE_TEMPLATE_NOT_FOUND');
    assert.match(
      error.message,
      /^Template "no\/such.html" not found \(referenced from missing-include.html\)/,
    );
  });

  it('lets `ignore missing` skip a missing include', async () => {
    assert.equal(await renderToString(makeApp(), 'ignore-missing.html'), '[]');
  });

  it('says when no folder is configured', async () => {
    const app = new Carafe(base);
    const error = await renderError('x.html', {}, app);
    assert.match(error.message, /no template folders are configured/);
  });

  it('rejects names that could leave the template folders', async () => {
    for (const [name, problem] of [
      ['../secret.html', 'contains a ".." segment'],
      ['a/../../b.html', 'contains a ".." segment'],
      ['/etc/passwd', 'is an absolute path'],
      ['a\\b.html', 'contains a backslash'],
      ['', 'is empty'],
    ] as const) {
      const error = await renderError(name);
      assert.equal(error.code, 'CARAFE_TEMPLATE_NAME');
      assert.ok(error.message.includes(problem), error.message);
    }
  });
});

describe('template errors', () => {
  it('reports a syntax error with the template, line and the line itself', async () => {
    const error = await renderError('syntax.html');
    assert.equal(error.code, 'CARAFE_TEMPLATE_ERROR');
    assert.equal(
      error.message,
      'Template error in syntax.html, line 2, column 7: unexpected token: %}.\n  2 | {% if %}',
    );
  });

  it('blames the layout for a syntax error in the layout', async () => {
    const error = await renderError('extends-bad-layout.html');
    assert.equal(error.code, 'CARAFE_TEMPLATE_ERROR');
    assert.match(error.message, /^Template error in bad-layout\.html, line 2\b/);
    assert.match(
      error.message,
      /: expected variable end\.\n {2}2 \| \{\{ y \}\n\(while rendering extends-bad-layout\.html\)$/,
    );
  });

  it('blames the layout for an error in a block the layout defines', async () => {
    const error = await renderError('child.html', { side: {} });
    assert.match(error.message, /^Template error in base\.html, line 4, column \d+: /);
    assert.match(
      error.message,
      /\n {2}4 \| \{\{ side\.title\.upper\(\) \}\}\n\(while rendering child\.html\)$/,
    );
  });

  it('blames the child for its own code after super()', async () => {
    const side = { title: { upper: () => 'TITLE' } };
    const error = await renderError('after-super.html', { side });
    assert.match(
      error.message,
      /^Template error in after-super\.html, line 4, column \d+: Unable to call `nothing`/,
    );
  });

  it('blames an included template, with the message of the filter that failed', async () => {
    const error = await renderError('includes.html');
    assert.match(
      error.message,
      /^Template error in broken-part\.html, line 3\b.*: The date filter needs a Date, an ISO 8601 string or a timestamp \(got "x"\)\./,
    );
    assert.match(error.message, /\(while rendering includes\.html\)$/);
    assert.ok(error.cause instanceof Error);
    assert.match(error.cause.message, /^The date filter/);
  });

  it('finds the line of a failing filter from its uses, not from an earlier call', async () => {
    const error = await renderError('filter-after-call.html', { ok: () => 'fine' });
    assert.match(
      error.message,
      /^Template error in filter-after-call\.html, line 2: The date filter/,
    );
    const twice = await renderError('filter-twice.html', { a: new Date(0), b: 'soon' });
    assert.match(
      twice.message,
      /^Template error in filter-twice\.html, line 1 or 3: The date filter .*\n {2}1 \| \{\{ a \| date \}\}\n {2}3 \| \{\{ b \| date \}\}$/,
    );
  });

  it('finds the line of an unknown filter and says how to add one', async () => {
    const error = await renderError('unknown-filter.html');
    assert.equal(
      error.message,
      'Template error in unknown-filter.html, line 3: filter not found: shout. Check the spelling, or register the filter in templates.filters.\n  3 | {{ name | shout }}',
    );
  });

  it('says how to provide a function that is not defined', async () => {
    const error = await renderError('call.html');
    assert.match(
      error.message,
      /^Template error in call\.html, line 2, column \d+: Unable to call `undefinedFunction`, which is undefined or falsey\. Pass it in the render context, or provide it through templates\.globals or a context processor\.\n {2}2 \| \{\{ undefinedFunction\(\) \}\}$/,
    );
  });

  it('keeps a framework error from a template call as the cause', async () => {
    const app = makeApp();
    app.get('/', () => 'home', { name: 'home' });
    const error = await renderError('route.html', {}, app);
    assert.equal(error.code, 'CARAFE_TEMPLATE_ERROR');
    assert.match(error.message, /^Template error in route\.html, line 2\b/);
    assert.ok(error.cause instanceof CarafeError);
    assert.ok(error.message.includes(error.cause.message.split('\n')[0]!));
  });

  it('shows the message on the debug page, and nothing of it in production', async () => {
    for (const debug of [true, false]) {
      const app = makeApp({ debug });
      app.get('/', (req) => render(req, 'syntax.html'), { name: 'home' });
      const res = await new TestClient(app).get('/');
      assert.equal(res.status, 500);
      assert.equal(res.text.includes('Template error in syntax.html, line 2'), debug, res.text);
      assert.equal(res.text.includes('CARAFE_TEMPLATE_ERROR'), debug);
    }
  });
});
