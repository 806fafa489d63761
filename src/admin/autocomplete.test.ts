// Autocomplete many-to-many fields: the change form holds the chosen rows' keys (a text input
// without JavaScript, the chosen rows listed beside it), saving stores every row sent, and the
// search endpoint answers for the related model to users who may view it, and only to them.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { adminSite } from './index.js';
import { LogEntry } from './models.js';
import {
  AdminClient,
  adminApp,
  autocompleteSite,
  clearPolls,
  makeUser,
  migrateAdmin,
  Question,
  Tag,
} from './test-support/app.js';

const question = {
  text: 'Tea or coffee?',
  pubDate: '2024-05-01T10:30',
  kind: 'poll',
};

describe('autocompleteFields', () => {
  it('takes foreign keys and many-to-many fields, nothing else', () => {
    const site = adminSite();
    assert.doesNotThrow(() =>
      site.register(Question, { autocompleteFields: ['category', 'tags'] }),
    );
    assert.throws(
      // @ts-expect-error what a JavaScript caller could write
      () => adminSite().register(Question, { autocompleteFields: ['text'] }),
      {
        code: 'CARAFE_ADMIN_OPTION',
        message: /autocompleteFields: "text" is not a foreign key or many-to-many field/,
      },
    );
  });
});

forEachDatabase('admin autocomplete for many-to-many', () => {
  const site = autocompleteSite();
  const app = adminApp(site);
  let client: AdminClient;

  before(async () => {
    await migrateAdmin(site);
    await makeUser('root', { superuser: true });
    await makeUser('editor', {
      permissions: ['polls.view_question', 'polls.change_question', 'polls.add_question'],
    });
    await makeUser('tagger', {
      permissions: ['polls.view_question', 'polls.change_question', 'polls.view_tag'],
    });
  });

  beforeEach(async () => {
    await clearPolls();
    client = await new AdminClient(app).loginAs('root');
  });

  it('shows the chosen rows’ keys in a text input, their names listed beside it', async () => {
    const weekly = await Tag.objects.create({ name: 'weekly' });
    const hot = await Tag.objects.create({ name: '<b>hot</b>' });
    const unused = await Tag.objects.create({ name: 'never chosen' });
    const saved = await Question.objects.create({ text: 'Tea?' });
    await saved.related('tags').set([weekly, hot]);
    const page = await client.get(`/admin/polls/question/${saved.id}/change/`);
    assert.equal(page.status, 200);
    const input = /<input type="text" name="tags"[^>]*>/.exec(page.text)?.[0] ?? '';
    const keys = /value="([^"]*)"/.exec(input)?.[1]?.split(',');
    assert.deepEqual(keys?.sort(), [String(weekly.id), String(hot.id)].sort());
    assert.match(
      input,
      /data-autocomplete="\/admin\/autocomplete\/\?app=polls&amp;model=question&amp;field=tags"/,
    );
    assert.match(input, / data-autocomplete-multiple[ >]/);
    assert.match(page.text, /separated by commas/);
    const chosen = /<ul class="autocomplete-chosen"[^>]*>(.*?)<\/ul>/s.exec(page.text)?.[1] ?? '';
    assert.match(chosen, new RegExp(`<li data-id="${weekly.id}"><span>weekly</span></li>`));
    assert.match(chosen, /<span>&lt;b&gt;hot&lt;\/b&gt;<\/span>/);
    // Only the chosen rows are loaded: no select of every tag.
    assert.doesNotMatch(page.text, /<select[^>]*name="tags"/);
    assert.doesNotMatch(page.text, /never chosen/);
    assert.ok(unused.id > 0);
    // The foreign key beside it keeps its single key input.
    assert.match(page.text, /<input type="text" name="category"[^>]*data-autocomplete="/);
    assert.doesNotMatch(
      /<input type="text" name="category"[^>]*>/.exec(page.text)?.[0] ?? '',
      /data-autocomplete-multiple/,
    );
  });

  it('stores every row sent, as keys separated by commas or as repeated values', async () => {
    const [tea, coffee, milk] = await Promise.all(
      ['tea', 'coffee', 'milk'].map((name) => Tag.objects.create({ name })),
    );
    const tagNames = async (id: number) =>
      (await Question.objects.get({ id }).then((q) => q.related('tags').all()))
        .map((tag) => tag.name)
        .sort();
    await client.get('/admin/polls/question/add/');
    const added = await client.post('/admin/polls/question/add/', {
      ...question,
      tags: `${tea!.id}, ${coffee!.id}`,
      _continue: '',
    });
    assert.equal(added.status, 303);
    const saved = await Question.objects.get({ text: question.text });
    assert.deepEqual(await tagNames(saved.id), ['coffee', 'tea']);
    assert.equal((await LogEntry.objects.get({ action: 'add' })).changeMessage, 'Added.');

    const path = `/admin/polls/question/${saved.id}/change/`;
    await client.post(path, { ...question, tags: [String(milk!.id), String(tea!.id)] });
    assert.deepEqual(await tagNames(saved.id), ['milk', 'tea']);
    // The same rows in another order change nothing.
    await client.post(path, { ...question, tags: `${tea!.id},${milk!.id}` });
    assert.deepEqual(
      await LogEntry.objects
        .filter({ action: 'change' })
        .orderBy('id')
        .valuesList('changeMessage', { flat: true }),
      ['Changed tags.', 'No fields changed.'],
    );
    // Nothing sent empties the field, which may be blank.
    await client.post(path, { ...question, tags: '' });
    assert.deepEqual(await tagNames(saved.id), []);
  });

  it('refuses a key that names no row, keeping what the user typed', async () => {
    const tea = await Tag.objects.create({ name: 'tea' });
    const saved = await Question.objects.create({ text: 'Tea?' });
    await saved.related('tags').set([tea]);
    const path = `/admin/polls/question/${saved.id}/change/`;
    await client.get(path);
    const res = await client.post(path, { ...question, tags: `${tea.id},999999,nope` });
    assert.equal(res.status, 400);
    assert.match(res.text, /Select a valid choice\. 999999 is not one of the available choices\./);
    assert.match(res.text, new RegExp(`name="tags" value="${tea.id},999999,nope"`));
    await saved.refresh();
    assert.equal(saved.text, 'Tea?');
    assert.equal((await saved.related('tags').all()).length, 1);
    assert.equal(await LogEntry.objects.count(), 0);
  });

  it('searches the related model for the field', async () => {
    const weekly = await Tag.objects.create({ name: 'Weekly' });
    await Tag.objects.create({ name: 'monthly news' });
    const res = await client.get(
      '/admin/autocomplete/?app=polls&model=question&field=tags&term=WEEK',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), {
      results: [{ id: String(weekly.id), text: 'Weekly' }],
      more: false,
    });
    const many = await client.get(
      '/admin/autocomplete/?app=polls&model=question&field=tags&term=ly',
    );
    assert.equal((many.json() as { results: unknown[] }).results.length, 2);
  });

  it('answers the search only to users who may view the related model', async () => {
    await Tag.objects.create({ name: 'weekly' });
    const url = '/admin/autocomplete/?app=polls&model=question&field=tags&term=week';
    // May change questions, but not view tags.
    const editor = await new AdminClient(app).loginAs('editor');
    const refused = await editor.get(url);
    assert.equal(refused.status, 403);
    assert.doesNotMatch(refused.text, /weekly/);
    const tagger = await new AdminClient(app).loginAs('tagger');
    const found = await tagger.get(url);
    assert.equal(found.status, 200);
    assert.equal((found.json() as { results: unknown[] }).results.length, 1);
  });

  it('saves the tags for an editor who may not search them, by key', async () => {
    const tea = await Tag.objects.create({ name: 'tea' });
    const editor = await new AdminClient(app).loginAs('editor');
    await editor.get('/admin/polls/question/add/');
    const res = await editor.post('/admin/polls/question/add/', {
      ...question,
      tags: String(tea.id),
    });
    assert.equal(res.status, 303);
    const saved = await Question.objects.get({ text: question.text });
    assert.deepEqual(
      (await saved.related('tags').all()).map((tag) => tag.name),
      ['tea'],
    );
  });
});
