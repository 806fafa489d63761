// The add and change pages, the delete page and the history, through the test client: inline
// rows, many-to-many, autocomplete, read-only fields, validation, log entries, and escaping.
import assert from 'node:assert/strict';
import { before, beforeEach, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { LogEntry } from './models.js';
import {
  AdminClient,
  adminApp,
  Category,
  Choice,
  clearPolls,
  makeUser,
  migrateAdmin,
  Pin,
  Question,
  Tag,
} from './test-support/app.js';

const management = (prefix: string, total: number, initial: number) => ({
  [`${prefix}-TOTAL_FORMS`]: String(total),
  [`${prefix}-INITIAL_FORMS`]: String(initial),
  [`${prefix}-MIN_NUM_FORMS`]: '0',
  [`${prefix}-MAX_NUM_FORMS`]: '1000',
});

const evil = '<script>alert(1)</script>';

forEachDatabase('the admin forms', () => {
  const app = adminApp();
  let client: AdminClient;

  before(async () => {
    await migrateAdmin();
    await makeUser('root', { superuser: true });
  });

  beforeEach(async () => {
    await clearPolls();
    client = await new AdminClient(app).loginAs('root');
  });

  it('adds a question with inline choices and tags, and records it', async () => {
    const news = await Category.objects.create({ name: 'News' });
    const tag = await Tag.objects.create({ name: 'weekly' });
    await client.get('/admin/polls/question/add/');
    const res = await client.post('/admin/polls/question/add/', {
      text: 'What’s new?',
      category: String(news.id),
      tags: [String(tag.id)],
      pubDate: '2024-05-01T10:30',
      isOpen: 'on',
      kind: 'quiz',
      ...management('choices', 3, 0),
      'choices-0-text': 'Not much',
      'choices-0-votes': '2',
      'choices-1-text': 'Everything',
      'choices-1-votes': '0',
      'choices-2-votes': '0',
      _continue: '',
    });
    assert.equal(res.status, 303);
    const question = await Question.objects.get({ text: 'What’s new?' });
    assert.equal(res.location, `/admin/polls/question/${question.id}/change/`);
    assert.deepEqual(
      [question.categoryId, question.kind, question.isOpen, question.pubDate.toISOString()],
      [news.id, 'quiz', true, '2024-05-01T10:30:00.000Z'],
    );
    assert.deepEqual(await question.related('tags').all().valuesList('name', { flat: true }), [
      'weekly',
    ]);
    assert.deepEqual(
      await Choice.objects.filter({ question }).orderBy('text').valuesList('text', 'votes'),
      [
        ['Everything', 0],
        ['Not much', 2],
      ],
    );
    const [entry] = await LogEntry.objects.select('user');
    assert.deepEqual(
      [entry?.action, entry?.model, entry?.objectId, entry?.objectRepr, entry?.user.username],
      ['add', 'polls.question', String(question.id), 'What’s new?', 'root'],
    );
    assert.equal(
      entry?.changeMessage,
      'Added. Added choice “Not much”. Added choice “Everything”.',
    );
    const page = await client.get(res.location!);
    assert.match(
      page.text,
      /The question “What’s new\?” was added successfully\. You may edit it again below\./,
    );
  });

  it('changes a question and its choices, saying what changed', async () => {
    const question = await Question.objects.create({ text: 'Old text' });
    const keep = await Choice.objects.create({ question, text: 'Keep', votes: 1 });
    const drop = await Choice.objects.create({ question, text: 'Drop' });
    const path = `/admin/polls/question/${question.id}/change/`;
    await client.get(path);
    const res = await client.post(path, {
      text: 'New text',
      pubDate: '2024-05-01T10:30',
      kind: 'poll',
      ...management('choices', 3, 2),
      'choices-0-id': String(keep.id),
      'choices-0-text': 'Keep',
      'choices-0-votes': '5',
      'choices-1-id': String(drop.id),
      'choices-1-text': 'Drop',
      'choices-1-votes': '0',
      'choices-1-DELETE': 'on',
      'choices-2-text': 'Fresh',
      'choices-2-votes': '0',
    });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/admin/polls/question/');
    await question.refresh();
    assert.deepEqual([question.text, question.isOpen], ['New text', false]);
    assert.deepEqual(
      await Choice.objects.filter({ question }).orderBy('text').valuesList('text', 'votes'),
      [
        ['Fresh', 0],
        ['Keep', 5],
      ],
    );
    const entry = await LogEntry.objects.get({ action: 'change' });
    assert.equal(
      entry.changeMessage,
      'Changed text, date published and open. Added choice “Fresh”. Changed votes for choice “Keep”. Deleted choice “Drop”.',
    );
  });

  it('shows the form again with the errors and the input, saving nothing', async () => {
    await client.get('/admin/polls/question/add/');
    const res = await client.post('/admin/polls/question/add/', {
      text: '',
      pubDate: 'not a date',
      kind: 'essay',
      ...management('choices', 1, 0),
      'choices-0-text': 'x'.repeat(201),
      'choices-0-votes': '0',
    });
    assert.equal(res.status, 400);
    assert.match(res.text, /Please correct the errors below\./);
    assert.match(res.text, /This field is required\./);
    assert.match(res.text, /Enter a valid date\/time\./);
    assert.match(res.text, /Select a valid choice\. essay is not one of the available choices\./);
    assert.match(res.text, /Ensure this value has at most 200 characters \(it has 201\)\./);
    assert.equal(await Question.objects.count(), 0);
    assert.equal(await LogEntry.objects.count(), 0);
  });

  it('escapes user data in the form, the list and the history', async () => {
    await client.get('/admin/polls/question/add/');
    await client.post('/admin/polls/question/add/', {
      text: evil,
      pubDate: '2024-05-01T10:30',
      kind: 'poll',
      ...management('choices', 1, 0),
      'choices-0-text': evil,
      'choices-0-votes': '0',
    });
    const question = await Question.objects.get({ text: evil });
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';
    const pages = [
      '/admin/',
      '/admin/polls/question/',
      '/admin/polls/choice/',
      `/admin/polls/question/${question.id}/change/`,
      `/admin/polls/question/${question.id}/history/`,
      `/admin/polls/question/${question.id}/delete/`,
    ];
    for (const path of pages) {
      const res = await client.get(path);
      assert.equal(res.status, 200, path);
      assert.doesNotMatch(res.text, /<script>alert/, path);
      assert.ok(res.text.includes(escaped), path);
    }
    const history = await client.get(`/admin/polls/question/${question.id}/history/`);
    assert.ok(history.text.includes(`Added choice “${escaped}”.`));
  });

  it('chooses an autocomplete foreign key by its key, searching the related model', async () => {
    const first = await Question.objects.create({ text: 'Is it tea time?' });
    await Question.objects.create({ text: 'Coffee?' });
    const found = await client.get(
      '/admin/autocomplete/?app=polls&model=choice&field=question&term=TEA',
    );
    assert.deepEqual(found.json(), {
      results: [{ id: String(first.id), text: 'Is it tea time?' }],
      more: false,
    });
    assert.equal(
      (await client.get('/admin/autocomplete/?app=polls&model=choice&field=text&term=a')).status,
      404,
    );

    const add = await client.get('/admin/polls/choice/add/');
    assert.match(
      add.text,
      /data-autocomplete="\/admin\/autocomplete\/\?app=polls&amp;model=choice&amp;field=question"/,
    );
    // Without a row's key, the choice is refused; with one, saved.
    const wrong = await client.post('/admin/polls/choice/add/', {
      question: '999999',
      text: 'Yes',
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /Select a valid choice/);
    const saved = await client.post('/admin/polls/choice/add/', {
      question: String(first.id),
      text: 'Yes',
    });
    assert.equal(saved.status, 303);
    const choice = await Choice.objects.get({ text: 'Yes' });
    assert.equal(choice.questionId, first.id);
    // The change page shows the chosen row's name beside its key; votes are read-only.
    const page = await client.get(`/admin/polls/choice/${choice.id}/change/`);
    assert.match(page.text, /name="question" value="\d+"/);
    assert.match(page.text, /data-autocomplete-label>Is it tea time\?</);
    assert.match(page.text, /<span class="label">Votes<\/span>/);
    assert.doesNotMatch(page.text, /name="votes"/);
    const other = await Question.objects.create({ text: 'Milk?' });
    await client.post(`/admin/polls/choice/${choice.id}/change/`, {
      question: String(other.id),
      text: 'Yes',
      votes: '99',
    });
    await choice.refresh();
    assert.deepEqual([choice.questionId, choice.votes], [other.id, 0]);
    assert.equal(
      (await LogEntry.objects.get({ action: 'change' })).changeMessage,
      'Changed question.',
    );
  });

  it('lists what a delete would cascade to, and records the deletion', async () => {
    const question = await Question.objects.create({ text: 'Doomed' });
    await Choice.objects.create({ question, text: 'Yes' });
    await Choice.objects.create({ question, text: 'No' });
    const path = `/admin/polls/question/${question.id}/delete/`;
    const page = await client.get(path);
    assert.equal(page.status, 200);
    assert.match(page.text, /Are you sure you want to delete the question “Doomed”\?/);
    assert.match(page.text, /<li>Question: 1<\/li><li>Choices: 2<\/li>/);
    const tree = page.text.slice(page.text.indexOf('deleted-objects'));
    assert.match(
      tree,
      /Question: Doomed<\/a>\s*<ul>\s*<li><a href="\/admin\/polls\/choice\/\d+\/change\/">Choice: Yes/,
    );
    const res = await client.post(path, {});
    assert.equal(res.status, 303);
    assert.equal(res.location, '/admin/polls/question/');
    assert.equal(await Question.objects.count(), 0);
    assert.equal(await Choice.objects.count(), 0);
    const entry = await LogEntry.objects.get({ action: 'delete' });
    assert.deepEqual([entry.objectRepr, entry.objectId], ['Doomed', String(question.id)]);
    assert.match((await client.get('/admin/')).text, /<li class="delete">[\s\S]*?Doomed/);
  });

  it('refuses a delete that protected rows block', async () => {
    const question = await Question.objects.create({ text: 'Pinned' });
    await Pin.objects.create({ question, note: 'Do not remove' });
    const path = `/admin/polls/question/${question.id}/delete/`;
    const page = await client.get(path);
    assert.match(page.text, /would require deleting these protected related objects/);
    assert.match(page.text, /Pin: Do not remove/);
    assert.doesNotMatch(page.text, /Yes, I’m sure/);
    assert.equal((await client.post(path, {})).status, 403);
    assert.equal(await Question.objects.count(), 1);
  });

  it('shows the history of an object, oldest first', async () => {
    await client.get('/admin/polls/question/add/');
    const added = await client.post('/admin/polls/question/add/', {
      text: 'First',
      pubDate: '2024-05-01T10:30',
      kind: 'poll',
      ...management('choices', 0, 0),
      _continue: '',
    });
    await client.post(added.location!, {
      text: 'Second',
      pubDate: '2024-05-01T10:30',
      kind: 'poll',
      ...management('choices', 0, 0),
    });
    const question = await Question.objects.get({ text: 'Second' });
    const history = await client.get(`/admin/polls/question/${question.id}/history/`);
    assert.equal(history.status, 200);
    const actions = [...history.text.matchAll(/<td data-label="Action">([^<]*)<\/td>/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(actions, ['Added.', 'Changed text.']);
    assert.match(history.text, /<td data-label="User">root<\/td>/);
  });
});
