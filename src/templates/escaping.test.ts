// Autoescaping is always on. Hostile strings go through plain output, attributes, macros,
// includes and every filter Carafe ships; none may come out as markup.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, CarafeError } from '../index.js';
import { TestClient } from '../testing/index.js';
import { escapeHtml, isSafe, markSafe, render, templateEngine } from './index.js';

const hostile = ['<script>alert(1)</script>', `"'><img src=x onerror=alert(1)>`, '</script>'];

const dir = mkdtempSync(join(tmpdir(), 'carafe-escaping-'));
mkdirSync(join(dir, 'parts'));
writeFileSync(join(dir, 'parts/echo.html'), '<p>{{ value }}</p>');
writeFileSync(
  join(dir, 'macros.html'),
  '{% macro field(label) %}<label>{{ label }}</label>{% endmacro %}',
);

const app = new Carafe({
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost'],
  log: { level: 'silent' },
  templates: { dirs: [dir] },
});
const renderString = (source: string, context: Record<string, unknown>) =>
  templateEngine(app).renderString(source, context);

/** Escaped text never contains a character that could start a tag or leave an attribute. */
function assertInert(output: string, allowedMarkup: readonly string[] = []): void {
  let rest = output;
  for (const markup of allowedMarkup) rest = rest.split(markup).join('');
  assert.doesNotMatch(rest, /[<>"']/, output);
}

describe('autoescaping', () => {
  for (const value of hostile) {
    describe(JSON.stringify(value), () => {
      it('is escaped in text and in quoted attributes', async () => {
        assert.equal(await renderString('{{ value }}', { value }), escapeHtml(value));
        const attributes = await renderString(`<a title="{{ value }}" data-x='{{ value }}'>`, {
          value,
        });
        assert.equal(attributes, `<a title="${escapeHtml(value)}" data-x='${escapeHtml(value)}'>`);
      });

      it('is escaped in includes, macros and set blocks', async () => {
        const out = await renderString(
          '{% include "parts/echo.html" %}{% import "macros.html" as m %}{{ m.field(value) }}' +
            '{% set copy %}{{ value }}{% endset %}{{ copy }}',
          { value },
        );
        assertInert(out, ['<p>', '</p>', '<label>', '</label>']);
        assert.ok(out.includes(escapeHtml(value)));
      });

      it('is escaped by the text filters', async () => {
        const outputs = [
          await renderString('{{ value | truncatechars(200) }}', { value }),
          await renderString('{{ value | truncatechars(8) }}', { value }),
          await renderString('{{ value | truncatewords(100) }}', { value }),
          await renderString('{{ value | truncatewords(1) }}', { value }),
          await renderString('{{ 2 | pluralize(value) }}', { value }),
          await renderString('{{ value | pluralize }}', { value }),
          await renderString('{{ true | yesno(words) }}', { words: `${value},${value}` }),
          await renderString('{{ value | yesno }}', { value }),
          await renderString('{{ missing | default(value) }}', { value }),
          await renderString('{{ value | default("x") }}', { value }),
          await renderString('{{ value | urlencode }}', { value }),
          await renderString('{{ value | urlencode(value) }}', { value }),
          await renderString('{{ { k: value } | urlencode }}', { value }),
        ];
        for (const output of outputs) assertInert(output);
        assert.equal(outputs[0], escapeHtml(value));
        assert.equal(outputs[8], escapeHtml(value));
      });

      it('is escaped by linebreaksbr, which only adds <br>', async () => {
        const out = await renderString('{{ value | linebreaksbr }}', {
          value: `${value}\n${value}`,
        });
        assert.equal(out, `${escapeHtml(value)}<br>${escapeHtml(value)}`);
      });

      it('cannot leave json_script, as value or as id', async () => {
        const out = await renderString('{{ data | json_script(value) }}', {
          data: { value },
          value,
        });
        const prefix = `<script id="${escapeHtml(value)}" type="application/json">`;
        assert.ok(out.startsWith(prefix), out);
        assert.ok(out.endsWith('</script>'));
        const json = out.slice(prefix.length, -'</script>'.length);
        assert.doesNotMatch(json, /[<>&]/);
        assert.deepEqual(JSON.parse(json), { value });
      });

      it('is rejected, not printed, by the date, number and filesizeformat filters', async () => {
        for (const source of [
          '{{ value | date }}',
          '{{ value | number }}',
          '{{ 1 | number(value) }}',
          '{{ value | filesizeformat }}',
        ]) {
          await assert.rejects(renderString(source, { value }), (error: unknown) => {
            assert.ok(error instanceof CarafeError);
            assert.equal(error.code, 'CARAFE_TEMPLATE_ERROR');
            return true;
          });
        }
      });
    });
  }

  it('escapes what a date format prints', async () => {
    const out = await renderString('{{ d | date(format) }}', { d: new Date(0), format: `"'><a>` });
    assert.equal(out, '&quot;&#39;&gt;&lt;a.m.&gt;');
  });

  it('prints values marked safe as they are, and only those', async () => {
    const trusted = markSafe('<em>ok</em>');
    assert.ok(isSafe(trusted));
    assert.ok(!isSafe('<em>ok</em>'));
    assert.equal(
      await renderString('{{ a }}{{ b | safe }}{{ c }}', {
        a: trusted,
        b: '<i>x</i>',
        c: '<i>x</i>',
      }),
      '<em>ok</em><i>x</i>&lt;i&gt;x&lt;/i&gt;',
    );
  });

  it('escapes in a page served for a request', async () => {
    const served = new Carafe({
      debug: false,
      secretKey: 'x'.repeat(48),
      allowedHosts: ['localhost'],
      log: { level: 'silent' },
      templates: { dirs: [dir] },
    });
    served.get('/', (req) => render(req, 'parts/echo.html', { value: req.query.get('q') }), {
      name: 'echo',
    });
    const res = await new TestClient(served).get('/', { query: { q: hostile[0]! } });
    assert.equal(res.text, `<p>${escapeHtml(hostile[0]!)}</p>`);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in HTML', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
