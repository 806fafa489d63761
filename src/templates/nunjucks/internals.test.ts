// Carafe renders with its own frame (`set` without re-splitting names) and its own printing of
// `{{ value }}` (no replace when nothing needs escaping). Both must give exactly what Nunjucks
// itself gives: the same templates are rendered by both and compared.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { markSafe, NunjucksEngine } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'carafe-internals-'));
const files: Record<string, string> = {
  'base.html': '<h1>{% block title %}{{ title }}{% endblock %}</h1>{% block body %}{% endblock %}',
  'row.html': '<td>{{ loop.index }}:{{ item }}</td>',
  'macros.html': '{% macro cell(value) %}<td>{{ value }}</td>{% endmacro %}',
  'page.html':
    '{% extends "base.html" %}{% block body %}{% set total = 0 %}' +
    '{% for item in items %}{% set total = total + 1 %}{% include "row.html" %}{% endfor %}' +
    '[{{ total }}]{% endblock %}',
};
for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);

const carafe = new NunjucksEngine({ folders: [dir], cache: true });
const stock = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir), { autoescape: true });

async function assertSameAsNunjucks(source: string, context: Record<string, unknown>) {
  const expected = stock.renderString(source, context);
  assert.equal(await carafe.renderString(source, context), expected);
  return expected;
}

describe('rendering matches Nunjucks', () => {
  it('sets every loop variable, in nested loops too', async () => {
    const out = await assertSameAsNunjucks(
      '{% for row in rows %}{% for x in row %}' +
        '{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}' +
        '{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ x }};{% endfor %}|{{ loop.index }}/{{ loop.length }}|' +
        '{% else %}none{% endfor %}',
      { rows: [['a', 'b'], ['c']] },
    );
    assert.equal(out, '1021truefalse2a;2110falsetrue2b;|1/2|1010truetrue1c;|2/2|');
  });

  it('keeps the scoping of set in loops, blocks, includes and macros', async () => {
    await assertSameAsNunjucks(
      '{% set n = 1 %}{% for i in [1, 2] %}{% set n = n + i %}{{ n }}{% endfor %}{{ n }}',
      {},
    );
    await assertSameAsNunjucks(
      '{% import "macros.html" as m %}{% for v in values %}{{ m.cell(v) }}{% endfor %}',
      { values: ['<b>', 2] },
    );
    const page = await carafe.render('page.html', { title: 'T&C', items: ['x', '<y>'] });
    assert.equal(page, stock.render('page.html', { title: 'T&C', items: ['x', '<y>'] }));
    assert.equal(page, '<h1>T&amp;C</h1><td>1:x</td><td>2:&lt;y&gt;</td>[2]');
  });

  it('escapes what Nunjucks escapes, backslash included, and nothing else', async () => {
    const values = [
      `&"'<>\\`,
      'C:\\path',
      'plain text',
      'フレームワークのベンチマーク',
      0,
      42.5,
      false,
      null,
      undefined,
      ['<a>', 'b'],
      { toString: () => '<custom>' },
      markSafe('<em>trusted</em>'),
    ];
    for (const value of values) await assertSameAsNunjucks('[{{ value }}]', { value });
    assert.equal(
      await carafe.renderString('{{ value }}', { value: `&"'<>\\` }),
      '&amp;&quot;&#39;&lt;&gt;&#92;',
    );
    assert.equal(await carafe.renderString('{{ value }}', { value: 'C:\\path' }), 'C:&#92;path');
  });
});
