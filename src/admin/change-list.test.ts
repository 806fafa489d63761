// The change list on every database: a constant number of queries whatever the page size,
// search across a relation, filters with counts, sorting, pagination, and bulk actions.
import assert from 'node:assert/strict';
import { before, beforeEach, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { assertNumQueries, captureQueries } from '../testing/db.js';
import { LogEntry } from './models.js';
import {
  AdminClient,
  adminApp,
  Category,
  Choice,
  makeUser,
  migrateAdmin,
  Question,
} from './test-support/app.js';

/** The texts of the change list's rows, in order. */
function rowTexts(html: string): string[] {
  return [
    ...html.matchAll(/<th scope="row"[^>]*><a class="row-link" href="[^"]+">([^<]*)<\/a><\/th>/g),
  ].map((match) => match[1]!);
}

/** A filter choice's label and count, with its link: `[['Yes', 3, '?isOpen__exact=1'], …]`. */
function filterChoices(html: string, title: string): [string, number | null, string][] {
  const start = html.indexOf(`<summary>By ${title}</summary>`);
  assert.notEqual(start, -1, `no filter "${title}"`);
  const block = html.slice(start, html.indexOf('</details>', start));
  return [
    ...block.matchAll(
      /<a href="([^"]*)"[^>]*>([^<]+?)(?: <span class="count">\((\d+)\)<\/span>)?<\/a>/g,
    ),
  ].map((match) => [
    match[2]!,
    match[3] === undefined ? null : Number(match[3]),
    match[1]!.replaceAll('&amp;', '&'),
  ]);
}

forEachDatabase('the admin change list', () => {
  const app = adminApp();
  let client: AdminClient;

  before(async () => {
    await migrateAdmin();
    await makeUser('staff', {
      permissions: [
        'polls.view_question',
        'polls.change_question',
        'polls.delete_question',
        'polls.delete_choice',
      ],
    });
  });

  beforeEach(async () => {
    await Choice.objects.delete();
    await Question.objects.delete();
    await Category.objects.delete();
    await LogEntry.objects.delete();
    client = await new AdminClient(app).loginAs('staff');
  });

  async function addQuestions(count: number, from = 0): Promise<void> {
    for (let index = from; index < from + count; index++) {
      // A category of its own per question: a lazy load per row would show in the count.
      const category = await Category.objects.create({ name: `Category ${index}` });
      await Question.objects.create({
        text: `Question ${index}`,
        category,
        isOpen: index % 2 === 0,
      });
    }
  }

  it('issues the same number of queries for 5 rows as for 50', async () => {
    await addQuestions(5);
    await client.get('/admin/polls/question/');
    let page = '';
    const few = await captureQueries(async () => {
      page = (await client.get('/admin/polls/question/?o=2')).text;
    });
    assert.equal(rowTexts(page).length, 5);
    await addQuestions(45, 5);
    const res = await assertNumQueries(few.length, () => client.get('/admin/polls/question/?o=2'));
    assert.equal(rowTexts(res.text).length, 50);
    // The user, their permissions, the count, the rows with their categories joined, and one
    // query per filter (four periods for the date filter, one more for the category names).
    assert.equal(few.length, 12, few.map((query) => query.sql).join('\n'));
  });

  it('searches every word across the search fields, a relation included', async () => {
    const science = await Category.objects.create({ name: 'Science' });
    await Question.objects.create({ text: 'Why is the sky blue?', category: science });
    await Question.objects.create({ text: 'What is 100% of blue?' });
    await Question.objects.create({ text: 'Is it raining?' });
    const byText = await client.get('/admin/polls/question/?q=BLUE');
    assert.deepEqual(rowTexts(byText.text).sort(), [
      'What is 100% of blue?',
      'Why is the sky blue?',
    ]);
    assert.match(byText.text, /2 results \(<a href="\?">3 total<\/a>\)/);
    const acrossRelation = await client.get('/admin/polls/question/?q=scien');
    assert.deepEqual(rowTexts(acrossRelation.text), ['Why is the sky blue?']);
    const twoWords = await client.get('/admin/polls/question/?q=sky+science');
    assert.deepEqual(rowTexts(twoWords.text), ['Why is the sky blue?']);
    // Wildcards are literal.
    const percent = await client.get('/admin/polls/question/?q=100%25');
    assert.deepEqual(rowTexts(percent.text), ['What is 100% of blue?']);
    const none = await client.get('/admin/polls/question/?q=nothing+like+this');
    assert.deepEqual(rowTexts(none.text), []);
    assert.match(none.text, /No questions to show/);
  });

  it('filters with counts that take the search and the other filters into account', async () => {
    const news = await Category.objects.create({ name: 'News' });
    const sport = await Category.objects.create({ name: 'Sport' });
    const old = new Date(Date.UTC(2001, 0, 1));
    await Question.objects.create({ text: 'A', category: news, isOpen: true });
    await Question.objects.create({ text: 'B', category: news, isOpen: false, kind: 'quiz' });
    await Question.objects.create({ text: 'C', category: sport, isOpen: true, pubDate: old });
    await Question.objects.create({ text: 'D', isOpen: true, kind: 'quiz', pubDate: old });

    const all = await client.get('/admin/polls/question/');
    assert.deepEqual(filterChoices(all.text, 'open'), [
      ['All', null, '?'],
      ['Yes', 3, '?isOpen__exact=1'],
      ['No', 1, '?isOpen__exact=0'],
    ]);
    assert.deepEqual(filterChoices(all.text, 'kind').slice(1), [
      ['poll', 2, '?kind__exact=poll'],
      ['quiz', 2, '?kind__exact=quiz'],
    ]);
    assert.deepEqual(filterChoices(all.text, 'category').slice(1).sort(), [
      ['News', 2, `?category__id__exact=${news.id}`],
      ['Sport', 1, `?category__id__exact=${sport.id}`],
      ['Unknown', 1, '?category__isnull=1'],
    ]);
    assert.deepEqual(
      filterChoices(all.text, 'date published').map(([label, count]) => [label, count]),
      [
        ['Any date', null],
        ['Today', 2],
        ['Past 7 days', 2],
        ['This month', 2],
        ['This year', 2],
      ],
    );

    const open = await client.get('/admin/polls/question/?isOpen__exact=1');
    assert.deepEqual(rowTexts(open.text).sort(), ['A', 'C', 'D']);
    // With "open" chosen, the other filters count open questions only; "open" itself does not
    // count against its own choices.
    assert.deepEqual(
      filterChoices(open.text, 'kind')
        .slice(1)
        .map(([, count]) => count),
      [2, 1],
    );
    assert.deepEqual(
      filterChoices(open.text, 'open')
        .slice(1)
        .map(([, count]) => count),
      [3, 1],
    );
    assert.match(
      open.text,
      /<li class="selected"><a href="\?isOpen__exact=1" aria-current="true">Yes/,
    );

    const openQuizzes = await client.get('/admin/polls/question/?isOpen__exact=1&kind__exact=quiz');
    assert.deepEqual(rowTexts(openQuizzes.text), ['D']);
    const inNews = await client.get(`/admin/polls/question/?category__id__exact=${news.id}&q=B`);
    assert.deepEqual(rowTexts(inNews.text), ['B']);
    const uncategorised = await client.get('/admin/polls/question/?category__isnull=1');
    assert.deepEqual(rowTexts(uncategorised.text), ['D']);
    const today = await client.get('/admin/polls/question/?pubDate__period=today');
    assert.deepEqual(rowTexts(today.text).sort(), ['A', 'B']);

    assert.equal((await client.get('/admin/polls/question/?isOpen__exact=maybe')).status, 400);
    assert.equal((await client.get('/admin/polls/question/?category__id__exact=x')).status, 400);
    assert.equal((await client.get('/admin/polls/question/?pubDate__period=decade')).status, 400);
  });

  it('sorts by a column header, either way', async () => {
    for (const text of ['b', 'c', 'a']) await Question.objects.create({ text });
    const up = await client.get('/admin/polls/question/?o=1');
    assert.deepEqual(rowTexts(up.text), ['a', 'b', 'c']);
    assert.match(up.text, /aria-sort="ascending"/);
    assert.match(up.text, /<a class="sort-link" href="\?o=-1">Text/);
    const down = await client.get('/admin/polls/question/?o=-1');
    assert.deepEqual(rowTexts(down.text), ['c', 'b', 'a']);
    // A computed column sorts by the path it names.
    const computed = await client.get('/admin/polls/question/?o=-6');
    assert.deepEqual(rowTexts(computed.text), ['c', 'b', 'a']);
    // Newest first by default.
    assert.deepEqual(rowTexts((await client.get('/admin/polls/question/')).text), ['a', 'c', 'b']);
  });

  it('pages through the rows, keeping the search and filters', async () => {
    for (let index = 0; index < 120; index++) {
      await Question.objects.create({
        text: `Q${String(index).padStart(3, '0')}`,
        isOpen: index < 110,
      });
    }
    const first = await client.get('/admin/polls/question/?isOpen__exact=1&o=1');
    assert.deepEqual(rowTexts(first.text).slice(0, 2), ['Q000', 'Q001']);
    assert.equal(rowTexts(first.text).length, 50);
    assert.match(first.text, /<span class="this-page" aria-current="page">1<\/span>/);
    assert.match(first.text, /href="\?isOpen__exact=1&amp;o=1&amp;p=3">3</);
    assert.match(first.text, /110 questions/);
    const third = await client.get('/admin/polls/question/?isOpen__exact=1&o=1&p=3');
    assert.deepEqual(
      rowTexts(third.text),
      Array.from({ length: 10 }, (_, i) => `Q${100 + i}`),
    );
    assert.equal((await client.get('/admin/polls/question/?p=4')).status, 404);
    assert.equal((await client.get('/admin/polls/question/?p=zero')).status, 404);
    // Sorting and filtering start again at the first page.
    assert.match(third.text, /<a class="sort-link" href="\?isOpen__exact=1&amp;o=-1">Text/);
  });

  it('deletes the selected rows after a confirmation listing what cascades', async () => {
    const keep = await Question.objects.create({ text: 'Keep me' });
    const first = await Question.objects.create({ text: 'First <b>one</b>' });
    const second = await Question.objects.create({ text: 'Second' });
    await Choice.objects.create({ question: first, text: 'Yes' });
    await Choice.objects.create({ question: first, text: 'No' });
    await client.get('/admin/polls/question/');
    const selected = [String(first.id), String(second.id)];
    const confirm = await client.post('/admin/polls/question/', {
      action: 'delete_selected',
      _selected_action: selected,
    });
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Are you sure you want to delete the selected questions\?/);
    assert.match(confirm.text, /Question: First &lt;b&gt;one&lt;\/b&gt;/);
    assert.match(confirm.text, /Choice: Yes/);
    assert.match(confirm.text, /<li>Questions: 2<\/li><li>Choices: 2<\/li>/);
    assert.equal(await Question.objects.count(), 3);

    const done = await client.post('/admin/polls/question/', {
      action: 'delete_selected',
      _selected_action: selected,
      post: 'yes',
    });
    assert.equal(done.status, 303);
    assert.deepEqual(await Question.objects.valuesList('text', { flat: true }), ['Keep me']);
    assert.equal(await Choice.objects.count(), 0);
    const entries = await LogEntry.objects.orderBy('objectId');
    assert.deepEqual(
      entries.map((entry) => [entry.action, entry.objectRepr]),
      [
        ['delete', 'First <b>one</b>'],
        ['delete', 'Second'],
      ],
    );
    const list = await client.get(done.location!);
    assert.match(list.text, /Successfully deleted 2 questions\./);
    assert.deepEqual(rowTexts(list.text), [keep.text]);
  });

  it('runs a custom action on the selected rows, or on every matching row', async () => {
    const a = await Question.objects.create({ text: 'a' });
    await Question.objects.create({ text: 'b' });
    await Question.objects.create({ text: 'c other' });
    await client.get('/admin/polls/question/');
    const res = await client.post('/admin/polls/question/', {
      action: 'close',
      _selected_action: [String(a.id)],
    });
    assert.equal(res.status, 303);
    assert.deepEqual(
      await Question.objects.filter({ isOpen: false }).valuesList('text', { flat: true }),
      ['a'],
    );
    assert.match((await client.get(res.location!)).text, /Closed 1\./);
    await client.post('/admin/polls/question/?q=other', { action: 'close', select_across: '1' });
    assert.deepEqual(
      await Question.objects
        .filter({ isOpen: false })
        .orderBy('text')
        .valuesList('text', { flat: true }),
      ['a', 'c other'],
    );
    const nothing = await client.post('/admin/polls/question/', { action: 'close' });
    assert.match((await client.get(nothing.location!)).text, /Items must be selected/);
  });

  it('escapes every value it shows', async () => {
    const category = await Category.objects.create({ name: '<img src=x onerror=alert(2)>' });
    await Question.objects.create({ text: '<script>alert(1)</script>', category });
    const res = await client.get('/admin/polls/question/?q=<script>');
    assert.doesNotMatch(res.text, /<script>alert|<img src=x/);
    assert.match(res.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(res.text, /&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.match(res.text, /value="&lt;script&gt;"/);
  });
});
