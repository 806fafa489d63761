import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, CarafeError } from '../index.js';
import { TestClient } from '../testing/index.js';
import { render, renderToString, templateEngine } from './index.js';

function templateDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'carafe-partials-'));
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), source);
  }
  return root;
}

const dir = templateDir({
  'base.html':
    '<html>{% include "nav.html" %}{% block early %}{{ explode("early") }}{% endblock %}' +
    '<main>{% block content %}{% endblock %}</main>' +
    '{% block footer %}F{% endblock %}{% block late %}{{ explode("late") }}{% endblock %}</html>',
  'nav.html': '<nav></nav>',
  'macros.html': '{% macro row(q) %}<li>{{ q }}</li>{% endmacro %}',
  'polls/index.html':
    '{% extends "base.html" %}\n' +
    '{% from "macros.html" import row %}\n' +
    '{% set heading = "Questions" %}\n' +
    '{% block content %}<h1>{{ heading }}</h1>' +
    '{% block question_list %}<ul>{% for q in questions %}{{ row(q) }}{% endfor %}</ul>{% endblock %}' +
    '{% endblock %}\n' +
    '{% block footer %}{{ super() }}+child{% endblock %}\n' +
    '{% block unused %}only here {{ heading }}{% endblock %}',
  'plain.html': 'before {% block a %}A{{ x }}{% endblock %} after {{ explode("plain") }}',
  'broken.html':
    '{% extends "base.html" %}\n{% block content %}\nfine\n{{ missing() }}\n{% endblock %}',
});

function makeApp(): Carafe {
  return new Carafe({
    debug: false,
    secretKey: 'x'.repeat(48),
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
    templates: {
      dirs: [dir],
      globals: {
        explode: (where: string) => {
          throw new Error(`block ${where} should not have run`);
        },
      },
    },
  });
}

const questions = ['<b>Why?</b>', 'How'];

describe('rendering one block', () => {
  it('renders a block a child defines inside a block, with its imports and sets', async () => {
    const app = makeApp();
    assert.equal(
      await renderToString(app, 'polls/index.html#question_list', { questions }),
      '<ul><li>&lt;b&gt;Why?&lt;/b&gt;</li><li>How</li></ul>',
    );
  });

  it('renders a block the layout places, with the blocks nested in it, skipping the others', async () => {
    const app = makeApp();
    assert.equal(
      await renderToString(app, 'polls/index.html#content', { questions: ['x'] }),
      '<h1>Questions</h1><ul><li>x</li></ul>',
    );
  });

  it('renders super() inside the block', async () => {
    assert.equal(await renderToString(makeApp(), 'polls/index.html#footer'), 'F+child');
  });

  it('renders a block the layout does not use', async () => {
    assert.equal(await renderToString(makeApp(), 'polls/index.html#unused'), 'only here Questions');
  });

  it('renders a block of a template without a layout', async () => {
    assert.equal(await renderToString(makeApp(), 'plain.html#a', { x: '<' }), 'A&lt;');
  });

  it('renders the fragment as a response, with the request context', async () => {
    const app = makeApp();
    app.get(
      '/polls/',
      (req) =>
        render(
          req,
          req.query.has('partial') ? 'polls/index.html#question_list' : 'polls/index.html',
          {
            questions: [req.path],
          },
        ),
      { name: 'polls' },
    );
    const client = new TestClient(app);
    const fragment = await client.get('/polls/?partial=1');
    assert.equal(fragment.status, 200);
    assert.equal(fragment.header('content-type'), 'text/html; charset=utf-8');
    assert.equal(fragment.text, '<ul><li>/polls/</li></ul>');
  });

  it('runs the whole template when no block is named', async () => {
    await assert.rejects(
      renderToString(makeApp(), 'polls/index.html'),
      /block early should not have run/,
    );
  });

  it('names the blocks there are when the block does not exist', async () => {
    await assert.rejects(
      renderToString(makeApp(), 'polls/index.html#question_lst'),
      (error: unknown) => {
        assert.ok(error instanceof CarafeError);
        assert.equal(error.code, 'CARAFE_TEMPLATE_BLOCK_NOT_FOUND');
        assert.match(error.message, /^Template "polls\/index.html" has no block "question_lst"/);
        for (const name of ['content', 'question_list', 'footer', 'unused', 'early', 'late']) {
          assert.ok(error.message.includes(name), error.message);
        }
        return true;
      },
    );
  });

  it('rejects a name with an empty or invalid block part', async () => {
    for (const name of ['plain.html#', 'plain.html#a-b', 'plain.html#a#b']) {
      await assert.rejects(
        renderToString(makeApp(), name),
        (error: unknown) =>
          error instanceof CarafeError &&
          error.code === 'CARAFE_TEMPLATE_NAME' &&
          error.message.includes('is not a block name'),
      );
    }
  });

  it('reports an error in the block with its template and line', async () => {
    await assert.rejects(renderToString(makeApp(), 'broken.html#content'), (error: unknown) => {
      assert.ok(error instanceof CarafeError);
      assert.equal(error.code, 'CARAFE_TEMPLATE_ERROR');
      assert.match(error.message, /^Template error in broken\.html, line 4\b/);
      return true;
    });
  });

  it('is part of the engine interface', async () => {
    const engine = templateEngine(makeApp());
    assert.equal(await engine.renderBlock('plain.html', 'a', { x: 1 }), 'A1');
  });
});
