import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, CarafeError } from '../index.js';
import './index.js';

const production: CarafeConfig = {
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['localhost'],
  log: { level: 'silent' },
};

function configError(templates: unknown): string {
  try {
    // Deliberately unchecked input, as a JavaScript config file could give.
    new Carafe({ ...production, templates } as CarafeConfig);
  } catch (error) {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, 'CARAFE_CONFIG');
    return error.message;
  }
  assert.fail('the config was accepted');
}

describe('the templates setting', () => {
  it('has defaults that follow debug', () => {
    const app = new Carafe(production);
    assert.deepEqual(app.config.templates, {
      dirs: [],
      cache: true,
      filters: {},
      globals: {},
      contextProcessors: [],
      locale: 'en-US',
      timeZone: 'UTC',
    });
    assert.equal(new Carafe({ ...production, debug: true }).config.templates.cache, false);
  });

  it('resolves folders to absolute paths and keeps the rest', () => {
    const shout = (text: string) => text.toUpperCase();
    const processor = () => ({ a: 1 });
    const { templates } = new Carafe({
      ...production,
      templates: {
        dirs: ['templates', '/srv/shared'],
        cache: false,
        filters: { shout },
        globals: { siteName: 'Polls' },
        contextProcessors: [processor],
        locale: 'en-gb',
        timeZone: 'europe/paris',
      },
    }).config;
    assert.deepEqual(templates.dirs, [resolve('templates'), '/srv/shared']);
    assert.equal(templates.cache, false);
    assert.equal(templates.filters.shout, shout);
    assert.deepEqual(templates.globals, { siteName: 'Polls' });
    assert.deepEqual(templates.contextProcessors, [processor]);
    assert.equal(templates.locale, 'en-GB');
    assert.equal(templates.timeZone, 'Europe/Paris');
    assert.ok(Object.isFrozen(templates));
  });

  it('names the setting and the fix when a value is wrong', () => {
    const cases: [unknown, string][] = [
      [
        'templates',
        'templates must be an object (got "templates"). Give an object with any of: dirs, cache, filters, globals, contextProcessors, locale, timeZone.',
      ],
      [{ dirz: [] }, 'templates.dirz is not a setting Carafe knows. Did you mean templates.dirs?'],
      [
        { timezone: 'UTC' },
        'templates.timezone is not a setting Carafe knows. Did you mean templates.timeZone?',
      ],
      [
        { dirs: 'templates' },
        'templates.dirs must be a list of strings (got the single string "templates"). Wrap it in brackets: ["templates"]',
      ],
      [
        { dirs: ['ok', ''] },
        'templates.dirs[1] must be a non-empty string (got ""). Remove the entry or fill it in.',
      ],
      [{ cache: 'yes' }, 'templates.cache must be true or false (got "yes").'],
      [
        { filters: [] },
        'templates.filters must be an object (got an array). Give an object of names to values.',
      ],
      [
        { filters: { money: 'x' } },
        'templates.filters.money must be a function (got "x"). Give (value, ...args) => result.',
      ],
      [
        { filters: { 'my-filter': () => '' } },
        'templates.filters.my-filter is not a name templates can use. Use letters, digits and _, not starting with a digit.',
      ],
      [
        { filters: { safe: () => '' } },
        'templates.filters.safe would replace a built-in escaping filter. Give your filter another name; autoescaping depends on this one.',
      ],
      [
        { filters: { escape: () => '' } },
        'templates.filters.escape would replace a built-in escaping filter.',
      ],
      [{ globals: 3 }, 'templates.globals must be an object (got 3).'],
      [{ globals: { '1st': 1 } }, 'templates.globals.1st is not a name templates can use.'],
      [
        { contextProcessors: () => ({}) },
        'templates.contextProcessors must be a list of functions (got a function).',
      ],
      [
        { contextProcessors: [{}] },
        'templates.contextProcessors[0] must be a function (got an object). Give (req) => ({ name: value }).',
      ],
      [
        { locale: 'not a locale' },
        `templates.locale must be a BCP 47 language tag (got "not a locale"). Give one such as 'en-US' or 'fr'.`,
      ],
      [{ locale: 5 }, 'templates.locale must be a BCP 47 language tag (got 5).'],
      [
        { timeZone: 'Mars/Olympus' },
        `templates.timeZone must be an IANA time zone (got "Mars/Olympus"). Give one such as 'UTC' or 'Europe/Paris'.`,
      ],
    ];
    for (const [templates, expected] of cases) {
      const message = configError(templates);
      assert.ok(message.includes(expected), `${message}\n  should include\n${expected}`);
    }
  });
});
