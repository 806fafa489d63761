import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../testing/databases.js';
import { createTables, F, f, model, Q } from '../index.js';

const Entry = model('lookups.Entry', {
  title: f.string({ max: 100 }),
  note: f.text({ nullable: true }),
  score: f.integer({ default: 0 }),
  bonus: f.integer({ default: 0 }),
  day: f.date({ nullable: true }),
  at: f.datetime({ nullable: true }),
  clock: f.time({ nullable: true }),
  price: f.decimal({ maxDigits: 8, decimalPlaces: 2, nullable: true }),
});

const titles = ['100% sure', 'a_b', 'A_B', 'plain', 'Ünïcode', 'back\\slash', "it's", '[x]*?'];

async function titlesWhere(where: Parameters<typeof Entry.objects.filter>[0]): Promise<string[]> {
  return (await Entry.objects
    .filter(where)
    .orderBy('id')
    .valuesList('title', { flat: true })) as string[];
}

forEachDatabase('lookups', ({ dialect }) => {
  before(async () => {
    await createTables([Entry]);
    for (const [index, title] of titles.entries()) {
      await Entry.objects.create({
        title,
        note: index % 2 === 0 ? null : `note ${index}`,
        score: index,
        bonus: 8 - index,
        day: `2026-0${(index % 3) + 1}-1${index}`,
        at: new Date(Date.UTC(2025 + (index % 2), index, 10 + index, index, 30, 15)),
        clock: `0${index}:15:00`,
        price: `${index}.50`,
      });
    }
  });

  it('matches exactly, case-sensitively, on every database', async () => {
    assert.deepEqual(await titlesWhere({ title: 'a_b' }), ['a_b']);
    assert.deepEqual(await titlesWhere({ title: { exact: 'A_B' } }), ['A_B']);
    assert.deepEqual(await titlesWhere({ title: { iexact: 'a_b' } }), ['a_b', 'A_B']);
  });

  it('treats % and _ in values literally', async () => {
    assert.deepEqual(await titlesWhere({ title: { contains: '%' } }), ['100% sure']);
    assert.deepEqual(await titlesWhere({ title: { contains: '_' } }), ['a_b', 'A_B']);
    assert.deepEqual(await titlesWhere({ title: { startsWith: 'a_' } }), ['a_b']);
    assert.deepEqual(await titlesWhere({ title: { iStartsWith: 'a_' } }), ['a_b', 'A_B']);
    assert.deepEqual(await titlesWhere({ title: { endsWith: '_b' } }), ['a_b']);
    assert.deepEqual(await titlesWhere({ title: { iEndsWith: '_b' } }), ['a_b', 'A_B']);
    assert.deepEqual(await titlesWhere({ title: { contains: '\\' } }), ['back\\slash']);
    assert.deepEqual(await titlesWhere({ title: { contains: "'" } }), ["it's"]);
    assert.deepEqual(await titlesWhere({ title: { contains: '*?' } }), ['[x]*?']);
    assert.deepEqual(await titlesWhere({ title: { startsWith: '[x]' } }), ['[x]*?']);
    assert.deepEqual(await titlesWhere({ title: { contains: '!' } }), []);
  });

  it('is case-sensitive without i and case-insensitive with it', async () => {
    assert.deepEqual(await titlesWhere({ title: { contains: 'PLAIN' } }), []);
    assert.deepEqual(await titlesWhere({ title: { icontains: 'PLAIN' } }), ['plain']);
    assert.deepEqual(await titlesWhere({ title: { startsWith: 'P' } }), []);
  });

  it('matches regular expressions', async () => {
    assert.deepEqual(await titlesWhere({ title: { regex: '^a.b$' } }), ['a_b']);
    assert.deepEqual(await titlesWhere({ title: { iregex: '^a.b$' } }), ['a_b', 'A_B']);
  });

  it('compares, ranges and lists', async () => {
    assert.deepEqual(await titlesWhere({ score: { gt: 5 } }), ["it's", '[x]*?']);
    assert.deepEqual(await titlesWhere({ score: { gte: 1, lt: 3 } }), ['a_b', 'A_B']);
    assert.deepEqual(await titlesWhere({ score: { lte: 0 } }), ['100% sure']);
    assert.deepEqual(await titlesWhere({ score: { range: [2, 3] } }), ['A_B', 'plain']);
    assert.deepEqual(await titlesWhere({ score: { in: [0, 7, 99] } }), ['100% sure', '[x]*?']);
    assert.deepEqual(await titlesWhere({ score: { in: [] } }), []);
    assert.equal((await titlesWhere({ title: { in: ['plain', 'nope'] } })).length, 1);
    assert.deepEqual(await titlesWhere({ price: { gt: '6.00' } }), ["it's", '[x]*?']);
  });

  it('finds nulls', async () => {
    assert.equal((await titlesWhere({ note: null })).length, 4);
    assert.equal((await titlesWhere({ note: { isNull: true } })).length, 4);
    assert.equal((await titlesWhere({ note: { isNull: false } })).length, 4);
  });

  it('compares with other columns through F', async () => {
    assert.deepEqual(await titlesWhere({ score: { gt: F('bonus') } }), [
      'back\\slash',
      "it's",
      '[x]*?',
    ]);
    assert.deepEqual(await titlesWhere({ score: F('bonus') }), ['Ünïcode']);
    assert.deepEqual(await titlesWhere({ score: { gte: F('bonus').sub(1) } }), [
      'Ünïcode',
      'back\\slash',
      "it's",
      '[x]*?',
    ]);
  });

  it('extracts date and time parts (in UTC)', async () => {
    assert.deepEqual(await titlesWhere({ day: { month: 3 } }), ['A_B', 'back\\slash']);
    assert.deepEqual(await titlesWhere({ day: { day: 13, year: 2026 } }), ['plain']);
    assert.deepEqual(await titlesWhere({ at: { year: 2026 } }), [
      'a_b',
      'plain',
      'back\\slash',
      '[x]*?',
    ]);
    assert.deepEqual(await titlesWhere({ at: { month: { gte: 7 } } }), ["it's", '[x]*?']);
    assert.deepEqual(await titlesWhere({ at: { hour: 3 } }), ['plain']);
    assert.deepEqual(await titlesWhere({ at: { minute: 30, second: 15, day: 10 } }), ['100% sure']);
    assert.deepEqual(await titlesWhere({ at: { date: '2026-02-11' } }), ['a_b']);
    assert.deepEqual(await titlesWhere({ at: { quarter: 1 } }), ['100% sure', 'a_b', 'A_B']);
    // 2025-01-10 was a Friday: Django's weekDay counts Sunday as 1, isoWeekDay Monday as 1.
    assert.deepEqual(await titlesWhere({ at: { weekDay: 6, year: 2025 } }), ['100% sure']);
    assert.deepEqual(await titlesWhere({ at: { isoWeekDay: 5, year: 2025 } }), ['100% sure']);
    assert.deepEqual(await titlesWhere({ clock: { hour: { gte: 6 } } }), ["it's", '[x]*?']);
  });

  it('combines with Q.or, Q.and and Q.not, and through exclude', async () => {
    assert.deepEqual(await titlesWhere(Q.or({ score: 0 }, { score: 7 })), ['100% sure', '[x]*?']);
    assert.deepEqual(await titlesWhere(Q.and({ score: { gt: 0 } }, Q.not({ score: { gt: 1 } }))), [
      'a_b',
    ]);
    assert.deepEqual(
      await titlesWhere(Q.or(Q.and({ score: 1 }, { title: 'a_b' }), Q.not({ score: { lte: 6 } }))),
      ['a_b', '[x]*?'],
    );
    const excluded = await Entry.objects
      .exclude({ score: { lt: 6 } }, { title: 'plain' })
      .valuesList('title', { flat: true });
    assert.equal(excluded.length, 7, 'exclude negates all its conditions together');
    assert.ok(!excluded.includes('plain'));
  });
});
