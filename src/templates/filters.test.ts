import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, CarafeError } from '../index.js';
import { TestClient } from '../testing/index.js';
import { markSafe, type TemplatesConfig, templateEngine } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'carafe-filters-'));

function makeApp(templates: TemplatesConfig = {}, extra: CarafeConfig = {}): Carafe {
  return new Carafe({
    debug: false,
    secretKey: 'x'.repeat(48),
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
    ...extra,
    templates: { dirs: [dir], ...templates },
  });
}

const app = makeApp();
const renderString = (source: string, context: Record<string, unknown> = {}, on = app) =>
  templateEngine(on).renderString(source, context);

async function filterError(source: string, context: Record<string, unknown> = {}): Promise<string> {
  try {
    await renderString(source, context);
  } catch (error) {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, 'CARAFE_TEMPLATE_ERROR');
    return error.message;
  }
  assert.fail(`${source} rendered without an error`);
}

// Friday 5 January 2024, 14:03:09 UTC
const moment = new Date(Date.UTC(2024, 0, 5, 14, 3, 9));

describe('date', () => {
  it('formats Django-style format strings in the configured time zone', async () => {
    assert.equal(
      await renderString('{{ d | date("Y-m-d H:i:s") }}', { d: moment }),
      '2024-01-05 14:03:09',
    );
    assert.equal(
      await renderString('{{ d | date("j n y G g h A a") }}', { d: moment }),
      '5 1 24 14 2 02 PM p.m.',
    );
    assert.equal(
      await renderString('{{ d | date("D, d M Y / l F") }}', { d: moment }),
      'Fri, 05 Jan 2024 / Friday January',
    );
    const paris = makeApp({ timeZone: 'Europe/Paris' });
    assert.equal(await renderString('{{ d | date("H:i") }}', { d: moment }, paris), '15:03');
    const tokyo = makeApp({ timeZone: 'Asia/Tokyo' });
    assert.equal(
      await renderString('{{ d | date("Y-m-d H:i") }}', { d: moment }, tokyo),
      '2024-01-05 23:03',
    );
  });

  it('keeps letters escaped with a backslash and other characters as they are', async () => {
    assert.equal(
      await renderString('{{ d | date(f) }}', { d: moment, f: 'Y \\a\\t H:i (\\U\\T\\C)' }),
      '2024 at 14:03 (UTC)',
    );
  });

  it('formats presets with Intl in the configured locale', async () => {
    const utc = (options: Intl.DateTimeFormatOptions, locale = 'en-US') =>
      new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(moment);
    assert.equal(await renderString('{{ d | date }}', { d: moment }), 'Jan 5, 2024');
    assert.equal(await renderString('{{ d | date("long") }}', { d: moment }), 'January 5, 2024');
    assert.equal(
      await renderString('{{ d | date("full") }}', { d: moment }),
      'Friday, January 5, 2024',
    );
    assert.equal(await renderString('{{ d | date("short") }}', { d: moment }), '1/5/24');
    assert.equal(
      await renderString('{{ d | date("time") }}', { d: moment }),
      utc({ timeStyle: 'short' }),
    );
    assert.equal(
      await renderString('{{ d | date("datetime") }}', { d: moment }),
      utc({ dateStyle: 'medium', timeStyle: 'short' }),
    );
    assert.equal(
      await renderString('{{ d | date("iso") }}', { d: moment }),
      '2024-01-05T14:03:09.000Z',
    );
    const french = makeApp({ locale: 'fr' });
    assert.equal(
      await renderString('{{ d | date("l j F Y") }}', { d: moment }, french),
      'vendredi 5 janvier 2024',
    );
    assert.equal(
      await renderString('{{ d | date("long") }}', { d: moment }, french),
      '5 janvier 2024',
    );
  });

  it('accepts ISO strings and timestamps, and prints nothing for null, undefined and ""', async () => {
    assert.equal(
      await renderString('{{ "2024-01-05T14:03:09Z" | date("Y-m-d H:i") }}'),
      '2024-01-05 14:03',
    );
    assert.equal(await renderString('{{ t | date("Y") }}', { t: moment.getTime() }), '2024');
    assert.equal(
      await renderString('[{{ none | date }}{{ missing | date }}{{ "" | date }}]', { none: null }),
      '[]',
    );
  });

  it('rejects values that are not dates and unknown format letters', async () => {
    assert.match(
      await filterError('{{ v | date }}', { v: 'yesterday' }),
      /The date filter needs a Date, an ISO 8601 string or a timestamp \(got "yesterday"\)/,
    );
    assert.match(await filterError('{{ v | date }}', { v: true }), /\(got true\)/);
    assert.match(
      await filterError('{{ d | date("Y-m-d T") }}', { d: moment }),
      /The date filter does not know the format letter "T" in "Y-m-d T"\. Known letters: d j D l m n M F y Y H G h g i s A a; presets: short, medium, long, full, time, datetime, iso\. Put a backslash before a letter meant literally\./,
    );
    assert.match(
      await filterError('{{ d | date(3) }}', { d: moment }),
      /takes a preset name or a format string \(got 3\)/,
    );
  });
});

describe('number', () => {
  it('groups digits and fixes decimals in the configured locale', async () => {
    assert.equal(await renderString('{{ 1234.5 | number }}'), '1,234.5');
    assert.equal(await renderString('{{ 1234.5 | number(2) }}'), '1,234.50');
    assert.equal(await renderString('{{ 2.345 | number(0) }}'), '2');
    assert.equal(await renderString('{{ "42" | number }}'), '42');
    assert.equal(
      await renderString('{{ big | number }}', { big: 12345678901234567890n }),
      '12,345,678,901,234,567,890',
    );
    assert.equal(await renderString('[{{ none | number }}]', { none: null }), '[]');
    const german = makeApp({ locale: 'de' });
    assert.equal(await renderString('{{ 1234.5 | number(2) }}', {}, german), '1.234,50');
  });

  it('rejects what is not a number and bad decimal counts', async () => {
    assert.match(
      await filterError('{{ "12abc" | number }}'),
      /The number filter needs a number or a numeric string \(got "12abc"\)/,
    );
    assert.match(
      await filterError('{{ 1 | number(-1) }}'),
      /needs the number of decimals as a whole number from 0 to 20 \(got -1\)/,
    );
    assert.match(await filterError('{{ 1 | number(1.5) }}'), /\(got 1\.5\)/);
  });
});

describe('filesizeformat', () => {
  it('uses bytes, then one decimal of KB, MB, GB, TB, PB', async () => {
    const cases: [unknown, string][] = [
      [0, '0 bytes'],
      [1, '1 byte'],
      [1023, '1,023 bytes'],
      [1024, '1.0 KB'],
      [13 * 1024 + 100, '13.1 KB'],
      [123456789, '117.7 MB'],
      [5 * 1024 ** 3, '5.0 GB'],
      [1024 ** 4, '1.0 TB'],
      [1024 ** 5, '1.0 PB'],
      [1024 ** 6, '1,024.0 PB'],
      [-2048, '-2.0 KB'],
      ['2048', '2.0 KB'],
      [null, '0 bytes'],
    ];
    for (const [size, expected] of cases) {
      assert.equal(
        await renderString('{{ size | filesizeformat }}', { size }),
        expected,
        String(size),
      );
    }
  });

  it('rejects what is not a number', async () => {
    assert.match(
      await filterError('{{ "big" | filesizeformat }}'),
      /The filesizeformat filter needs a number/,
    );
  });
});

describe('truncatechars and truncatewords', () => {
  it('cuts to the length, the ellipsis included', async () => {
    assert.equal(await renderString('{{ "Hello world" | truncatechars(5) }}'), 'Hell…');
    assert.equal(await renderString('{{ "Hello" | truncatechars(5) }}'), 'Hello');
    assert.equal(await renderString('{{ s | truncatechars(2) }}', { s: '👍🏽👍🏽👍🏽' }), '👍🏽…');
    assert.equal(await renderString('[{{ none | truncatechars(3) }}]', { none: null }), '[]');
  });

  it('keeps whole words', async () => {
    assert.equal(
      await renderString('{{ "The quick  brown fox" | truncatewords(2) }}'),
      'The quick …',
    );
    assert.equal(await renderString('{{ "The  quick" | truncatewords(2) }}'), 'The  quick');
  });

  it('keeps a safe value safe', async () => {
    assert.equal(
      await renderString('{{ "<b>bold</b> text" | safe | truncatewords(1) }}'),
      '<b>bold</b> …',
    );
  });

  it('needs a positive length', async () => {
    assert.match(
      await filterError('{{ "abc" | truncatechars(0) }}'),
      /The truncatechars filter needs the length as a whole number from 1/,
    );
    assert.match(await filterError('{{ "abc" | truncatechars }}'), /\(got undefined\)/);
    assert.match(
      await filterError('{{ "abc" | truncatewords("2") }}'),
      /The truncatewords filter needs the word count as a whole number from 1 .*\(got "2"\)/,
    );
  });
});

describe('pluralize', () => {
  it('adds the suffix unless the count is 1', async () => {
    const template =
      '{{ n }} vote{{ n | pluralize }}, class{{ n | pluralize("es") }}, cherr{{ n | pluralize("y,ies") }}';
    assert.equal(await renderString(template, { n: 1 }), '1 vote, class, cherry');
    assert.equal(await renderString(template, { n: 0 }), '0 votes, classes, cherries');
    assert.equal(await renderString(template, { n: 2 }), '2 votes, classes, cherries');
    assert.equal(await renderString(template, { n: '1' }), '1 vote, class, cherry');
  });

  it('counts lists and maps, and gives no suffix for what it cannot count', async () => {
    assert.equal(await renderString('{{ [1] | pluralize }}|{{ [] | pluralize }}'), '|s');
    assert.equal(await renderString('{{ m | pluralize }}', { m: new Map([[1, 1]]) }), '');
    assert.equal(
      await renderString('[{{ o | pluralize }}{{ "many" | pluralize }}]', { o: {} }),
      '[]',
    );
  });

  it('takes at most two suffixes', async () => {
    assert.match(
      await filterError('{{ 2 | pluralize("a,b,c") }}'),
      /The pluralize filter takes at most two suffixes, singular and plural \('y,ies'\), not "a,b,c"\./,
    );
    assert.match(await filterError('{{ 2 | pluralize(1) }}'), /takes its suffixes as a string/);
  });
});

describe('yesno', () => {
  it('maps true, false and null to words', async () => {
    const template =
      '{{ t | yesno }} {{ f | yesno }} {{ n | yesno }} {{ n | yesno("on,off") }} {{ t | yesno("done,open,unknown") }}';
    assert.equal(await renderString(template, { t: true, f: 0, n: null }), 'yes no maybe off done');
  });

  it('needs two or three words', async () => {
    assert.match(
      await filterError('{{ 1 | yesno("yes") }}'),
      /The yesno filter takes two or three comma-separated words such as 'yes,no,maybe' \(got "yes"\)\./,
    );
    assert.match(await filterError('{{ 1 | yesno("a,b,c,d") }}'), /\(got "a,b,c,d"\)/);
  });
});

describe('linebreaksbr, urlencode and json_script', () => {
  it('turns line breaks into <br>', async () => {
    assert.equal(
      await renderString('{{ s | linebreaksbr }}', { s: 'a\nb\r\nc\rd' }),
      'a<br>b<br>c<br>d',
    );
  });

  it('percent-encodes text, keeping / unless told otherwise', async () => {
    assert.equal(
      await renderString('{{ s | urlencode }}', { s: 'a b/c?d=é' }),
      'a%20b/c%3Fd%3D%C3%A9',
    );
    assert.equal(await renderString('{{ s | urlencode("") }}', { s: 'a b/c' }), 'a%20b%2Fc');
    assert.equal(await renderString('{{ s | urlencode("/?") }}', { s: 'a/b?c' }), 'a/b?c');
  });

  it('builds a query string from an object or pairs (with & escaped in the HTML)', async () => {
    assert.equal(
      await renderString('{{ q | urlencode }}', { q: { page: 2, q: 'a b&c' } }),
      'page=2&amp;q=a%20b%26c',
    );
    assert.equal(
      await renderString('{{ q | urlencode }}', {
        q: [
          ['tag', 'x'],
          ['tag', 'y'],
        ],
      }),
      'tag=x&amp;tag=y',
    );
    assert.match(
      await filterError('{{ q | urlencode }}', { q: [1, 2] }),
      /needs an object or a list of \[name, value\] pairs/,
    );
  });

  it('writes JSON for scripts', async () => {
    assert.equal(
      await renderString('{{ data | json_script("chart") }}', {
        data: { points: [1, 2], label: 'a' },
      }),
      '<script id="chart" type="application/json">{"points":[1,2],"label":"a"}</script>',
    );
    assert.equal(
      await renderString('{{ none | json_script }}', { none: null }),
      '<script type="application/json">null</script>',
    );
    assert.match(
      await filterError('{{ v | json_script("x") }}', { v: 1n }),
      /The json_script filter could not serialise the value/,
    );
    assert.match(
      await filterError('{{ v | json_script("x") }}', { v: () => 1 }),
      /needs a value JSON can represent \(got a function\)/,
    );
    assert.match(
      await filterError('{{ 1 | json_script(2) }}'),
      /takes the element id as a string \(got 2\)/,
    );
  });
});

describe('project filters', () => {
  it('adds the filters of templates.filters, escaped unless marked safe', async () => {
    const withFilters = makeApp({
      filters: {
        shout: (text: string) => `${text.toUpperCase()}!`,
        bold: (text: string) => markSafe(`<b>${text}</b>`),
      },
    });
    assert.equal(
      await renderString('{{ "<hi>" | shout }} {{ "x" | bold }}', {}, withFilters),
      '&lt;HI&gt;! <b>x</b>',
    );
  });

  it('refuses a filter that returns a Promise', async () => {
    const withAsync = makeApp({ filters: { later: async (value: string) => value } });
    await assert.rejects(renderString('\n{{ "x" | later }}', {}, withAsync), (error: unknown) => {
      assert.ok(error instanceof CarafeError);
      assert.equal(
        error.message,
        'Template error in <string>, line 2: The later filter returned a Promise, which a template cannot wait for. Load the data in the view or in a context processor, and keep filters synchronous.\n  2 | {{ "x" | later }}',
      );
      return true;
    });
  });

  it('keeps Nunjucks built-ins such as default', async () => {
    assert.equal(
      await renderString('{{ missing | default("none") }} {{ "" | default("empty", true) }}'),
      'none empty',
    );
  });

  it('works in a page rendered for a request', async () => {
    const page = makeApp();
    page.get(
      '/',
      (req) =>
        templateEngine(req.app).renderString('{{ 3 | pluralize }}{{ 1024 | filesizeformat }}', {}),
      {
        name: 'page',
      },
    );
    const res = await new TestClient(page).get('/');
    assert.equal(res.text, 's1.0 KB');
  });
});
