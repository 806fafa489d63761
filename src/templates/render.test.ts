import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Blueprint, Carafe, type CarafeConfig, defineApp } from '../index.js';
import { TestClient } from '../testing/index.js';
import { render, renderToString, templateEngine } from './index.js';

function templateDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'carafe-templates-'));
  writeTemplates(root, files);
  return root;
}

function writeTemplates(root: string, files: Record<string, string>): void {
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), source);
  }
}

function makeApp(dirs: string[], extra: CarafeConfig = {}): Carafe {
  return new Carafe({
    debug: false,
    secretKey: 'x'.repeat(48),
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
    ...extra,
    templates: { dirs, ...extra.templates },
  });
}

describe('render', () => {
  const dir = templateDir({
    'base.html':
      '<title>{% block title %}Site{% endblock %}</title>\n<main>{% block content %}{% endblock %}</main>\n{% include "footer.html" %}',
    'footer.html': '<footer>{{ siteName }}</footer>',
    'macros.html':
      '{% macro choice(c) %}<li class="choice">{{ c.text }} ({{ c.votes }})</li>{% endmacro %}',
    'polls/index.html':
      '{% extends "base.html" %}\n{% import "macros.html" as m %}\n{% block title %}Polls | {{ super() }}{% endblock %}\n{% block content %}<ul>{% for c in choices %}{{ m.choice(c) }}{% endfor %}</ul>{% endblock %}',
    'polls/from-import.html':
      '{% from "macros.html" import choice %}{{ choice({ text: "Only", votes: 1 }) }}',
  });

  it('renders a template through extends, block, super, include, macro and import', async () => {
    const app = makeApp([dir]);
    app.get(
      '/',
      (req) =>
        render(req, 'polls/index.html', {
          siteName: 'Polls',
          choices: [
            { text: 'Yes', votes: 3 },
            { text: 'No', votes: 1 },
          ],
        }),
      { name: 'index' },
    );
    const res = await new TestClient(app).get('/');
    assert.equal(res.status, 200);
    assert.equal(res.header('content-type'), 'text/html; charset=utf-8');
    assert.equal(
      res.text,
      '<title>Polls | Site</title>\n<main><ul><li class="choice">Yes (3)</li><li class="choice">No (1)</li></ul></main>\n<footer>Polls</footer>',
    );
  });

  it('supports {% from … import %}', async () => {
    const app = makeApp([dir]);
    assert.equal(
      await renderToString(app, 'polls/from-import.html'),
      '<li class="choice">Only (1)</li>',
    );
  });

  it('sets the status and headers given', async () => {
    const app = makeApp([dir]);
    app.get(
      '/missing',
      (req) =>
        render(
          req,
          'footer.html',
          { siteName: 'Gone' },
          { status: 404, headers: { 'X-Tag': 'a' } },
        ),
      { name: 'missing' },
    );
    const res = await new TestClient(app).get('/missing');
    assert.equal(res.status, 404);
    assert.equal(res.header('x-tag'), 'a');
    assert.equal(res.text, '<footer>Gone</footer>');
  });

  it('renders template source with templateEngine(app).renderString', async () => {
    const app = makeApp([dir]);
    const out = await templateEngine(app).renderString(
      '{% extends "base.html" %}{% block title %}{{ name }}{% endblock %}',
      { name: 'Inline', siteName: 'S' },
    );
    assert.equal(out, '<title>Inline</title>\n<main></main>\n<footer>S</footer>');
  });

  it('creates one engine per app', () => {
    const first = makeApp([dir]);
    const second = makeApp([dir]);
    assert.equal(templateEngine(first), templateEngine(first));
    assert.notEqual(templateEngine(first), templateEngine(second));
  });

  it('gives the render context precedence over templates.globals', async () => {
    const app = makeApp([dir], { templates: { globals: { siteName: 'Global' } } });
    assert.equal(await renderToString(app, 'footer.html'), '<footer>Global</footer>');
    assert.equal(
      await renderToString(app, 'footer.html', { siteName: 'Mine' }),
      '<footer>Mine</footer>',
    );
  });
});

describe('template folders', () => {
  it('searches the project folders first, then blueprints and apps in order', async () => {
    const project = templateDir({ 'admin/change_list.html': 'project list' });
    const adminApp = templateDir({
      'admin/change_list.html': 'admin list',
      'admin/base.html': 'admin base',
    });
    const blueprintDir = templateDir({
      'admin/base.html': 'blueprint base',
      'shop/cart.html': 'cart from blueprint',
    });
    const admin = defineApp({ name: 'admin', templates: adminApp });
    const shop = new Blueprint('shop', { templates: blueprintDir });
    const app = makeApp([project], { apps: [admin] });
    app.register(shop);
    assert.equal(await renderToString(app, 'admin/change_list.html'), 'project list');
    assert.equal(await renderToString(app, 'admin/base.html'), 'blueprint base');
    assert.equal(await renderToString(app, 'shop/cart.html'), 'cart from blueprint');
  });

  it('lets a project template extend the app template it overrides by another name', async () => {
    const project = templateDir({
      'polls/detail.html': '{% extends "polls/base.html" %}{% block body %}project{% endblock %}',
    });
    const pollsDir = templateDir({
      'polls/base.html': '<div>{% block body %}app{% endblock %}</div>',
      'polls/detail.html': 'app detail',
    });
    const app = makeApp([project], { apps: [defineApp({ name: 'polls', templates: pollsDir })] });
    assert.equal(await renderToString(app, 'polls/detail.html'), '<div>project</div>');
  });
});

describe('template cache', () => {
  it('keeps compiled templates when the cache is on (the default outside debug)', async () => {
    const dir = templateDir({
      'page.html': 'first',
      'layout.html': '[{% block x %}{% endblock %}]',
    });
    const app = makeApp([dir]);
    assert.equal(app.config.templates.cache, true);
    assert.equal(await renderToString(app, 'page.html'), 'first');
    writeTemplates(dir, { 'page.html': 'second version' });
    assert.equal(await renderToString(app, 'page.html'), 'first');
  });

  it('re-reads an edited template in debug mode, layouts and includes too', async () => {
    const dir = templateDir({
      'page.html': '{% extends "layout.html" %}{% block x %}one{% endblock %}',
      'layout.html': '[{% block x %}{% endblock %}]{% include "part.html" %}',
      'part.html': 'part',
    });
    const app = makeApp([dir], { debug: true });
    assert.equal(app.config.templates.cache, false);
    assert.equal(await renderToString(app, 'page.html'), '[one]part');
    writeTemplates(dir, {
      'page.html': '{% extends "layout.html" %}{% block x %}two!{% endblock %}',
    });
    assert.equal(await renderToString(app, 'page.html'), '[two!]part');
    writeTemplates(dir, {
      'layout.html': '<<{% block x %}{% endblock %}>>{% include "part.html" %}',
    });
    writeTemplates(dir, { 'part.html': 'new part' });
    assert.equal(await renderToString(app, 'page.html'), '<<two!>>new part');
  });

  it('picks up a new overriding file in a higher folder without the cache', async () => {
    const project = templateDir({});
    const appDir = templateDir({ 'x.html': 'from app' });
    const app = makeApp([project], {
      templates: { cache: false },
      apps: [defineApp({ name: 'x', templates: appDir })],
    });
    assert.equal(await renderToString(app, 'x.html'), 'from app');
    writeTemplates(project, { 'x.html': 'from project' });
    assert.equal(await renderToString(app, 'x.html'), 'from project');
  });

  it('can keep the cache on in debug mode', async () => {
    const dir = templateDir({ 'page.html': 'first' });
    const app = makeApp([dir], { debug: true, templates: { cache: true } });
    assert.equal(await renderToString(app, 'page.html'), 'first');
    writeTemplates(dir, { 'page.html': 'second version' });
    assert.equal(await renderToString(app, 'page.html'), 'first');
  });
});
