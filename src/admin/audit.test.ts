// The admin's promises checked page by page: every POST form of every page carries the CSRF
// token, a staff member without a model's permission gets a 403 from each of its views (before
// learning whether a row exists), user data is escaped wherever a page shows it, and no page
// may be kept by a cache.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { adminSite } from './index.js';
import { LogEntry } from './models.js';
import {
  AdminClient,
  adminApp,
  autocompleteSite,
  Category,
  Choice,
  makeUser,
  migrateAdmin,
  Pin,
  pollsSite,
  Question,
  Tag,
} from './test-support/app.js';

const tokenInput = /<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">/;

/** Every `<form method="post">…</form>` of a page. */
function postForms(html: string): string[] {
  return [...html.matchAll(/<form\b[^>]*\bmethod="post"[^>]*>[\s\S]*?<\/form>/gi)].map(
    (match) => match[0],
  );
}

function assertTokens(html: string, page: string, atLeast: number): void {
  const forms = postForms(html);
  assert.ok(forms.length >= atLeast, `${page}: ${forms.length} POST forms, expected ${atLeast}+`);
  for (const form of forms) assert.match(form, tokenInput, `${page}: ${form.slice(0, 80)}…`);
}

const evil = '<script>alert(1)</script>';
const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';

describe('the POST form scanner', () => {
  it('finds a form without its token', () => {
    const page = '<form method="post" action="/x"><button>Go</button></form>';
    assert.equal(postForms(page).length, 1);
    assert.throws(() => assertTokens(page, 'page', 1));
  });
});

forEachDatabase(
  'admin audit',
  () => {
    const site = pollsSite();
    const app = adminApp(site);
    const keys = { category: 0, tag: 0, question: 0, choice: 0, pin: 0 };

    before(async () => {
      await migrateAdmin(site);
      await makeUser('root', { superuser: true });
      await makeUser('nobody');
      await makeUser('viewer', { permissions: ['polls.view_question'] });
      await makeUser('editor', {
        permissions: ['polls.view_question', 'polls.change_question'],
      });
      const category = await Category.objects.create({ name: evil });
      const tag = await Tag.objects.create({ name: evil });
      const question = await Question.objects.create({ text: evil, category });
      await question.related('tags').set([tag]);
      const choice = await Choice.objects.create({ question, text: evil });
      const pin = await Pin.objects.create({ question, note: evil });
      Object.assign(keys, {
        category: category.id,
        tag: tag.id,
        question: question.id,
        choice: choice.id,
        pin: pin.id,
      });
    });

    const modelPaths = () =>
      Object.entries(keys).flatMap(([model, key]) => [
        `/admin/polls/${model}/`,
        `/admin/polls/${model}/add/`,
        `/admin/polls/${model}/${key}/change/`,
        `/admin/polls/${model}/${key}/delete/`,
        `/admin/polls/${model}/${key}/history/`,
      ]);

    it('puts the CSRF token in every POST form of every page', async () => {
      const root = await new AdminClient(app).loginAs('root');
      const pages = [
        '/admin/',
        '/admin/polls/',
        '/admin/password_change/',
        '/admin/password_change/done/',
        '/admin/logout/',
        ...modelPaths(),
      ];
      for (const path of pages) {
        const res = await root.get(path);
        assert.equal(res.status, 200, path);
        // Every signed-in page has the Log out button's form, most a form of their own too.
        // (The question's delete page only explains: its pin protects it.)
        const own =
          /\/(add|change|delete)\/$|\/polls\/\w+\/$|logout|password_change\/$/.test(path) &&
          !path.startsWith(`/admin/polls/question/${keys.question}/delete/`);
        assertTokens(res.text, path, own ? 2 : 1);
      }
      // Pages shown in answer to a POST: a form with errors, the bulk-delete confirmation.
      const invalid = await root.post('/admin/polls/question/add/', { text: '' });
      assert.equal(invalid.status, 400);
      assertTokens(invalid.text, 'add (invalid)', 2);
      const spare = await Question.objects.create({ text: 'Spare' });
      const confirm = await root.post('/admin/polls/question/', {
        action: 'delete_selected',
        _selected_action: String(spare.id),
      });
      await spare.delete();
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /Are you sure you want to delete the selected questions\?/);
      assertTokens(confirm.text, 'delete selected', 2);
      const password = await root.post('/admin/password_change/', { oldPassword: 'x' });
      assert.equal(password.status, 400);
      assertTokens(password.text, 'password change (invalid)', 2);
      // The login page, before and after a failed attempt.
      const visitor = new AdminClient(app);
      const login = await visitor.get('/admin/login/');
      assertTokens(login.text, 'login', 1);
      const failed = await visitor.post('/admin/login/', { username: 'root', password: 'no' });
      assert.equal(failed.status, 400);
      assertTokens(failed.text, 'login (failed)', 1);
    });

    it('lets no browser or proxy cache an admin page', async () => {
      const root = await new AdminClient(app).loginAs('root');
      const visitor = new AdminClient(app);
      const answers = [
        await root.get('/admin/'),
        await root.get(`/admin/polls/question/${keys.question}/change/`),
        await root.get('/admin/autocomplete/?app=polls&model=choice&field=question&term=a'),
        await visitor.get('/admin/login/'),
        await visitor.get('/admin/polls/question/'),
      ];
      assert.deepEqual(
        answers.map((res) => [res.status, res.headers.get('cache-control')]),
        [200, 200, 200, 200, 302].map((status) => [
          status,
          'max-age=0, no-cache, no-store, must-revalidate, private',
        ]),
      );
    });

    it('answers 403 to staff without the permission, before looking the row up', async () => {
      const nobody = await new AdminClient(app).loginAs('nobody');
      for (const path of modelPaths()) {
        assert.equal((await nobody.get(path)).status, 403, path);
        // A key that names no row is no different: existence is not revealed.
        const missing = path.replace(/\/\d+\//, '/999999/');
        assert.equal((await nobody.get(missing)).status, 403, missing);
      }
      assert.equal((await nobody.get('/admin/polls/')).status, 403);
      for (const field of ['question']) {
        const url = `/admin/autocomplete/?app=polls&model=choice&field=${field}&term=a`;
        assert.equal((await nobody.get(url)).status, 403, url);
      }
      // Every staff member may change their password and log out.
      assert.equal((await nobody.get('/admin/password_change/')).status, 200);
      assert.equal((await nobody.get('/admin/logout/')).status, 200);
    });

    it('refuses each POST the permissions do not cover', async () => {
      const viewer = await new AdminClient(app).loginAs('viewer');
      const editor = await new AdminClient(app).loginAs('editor');
      const question = String(keys.question);
      const refused: [AdminClient, string, Record<string, string>][] = [
        // view only: no action at all (close needs change, delete_selected needs delete)
        [viewer, '/admin/polls/question/', { action: 'close', _selected_action: question }],
        [
          viewer,
          '/admin/polls/question/',
          { action: 'delete_selected', _selected_action: question, post: 'yes' },
        ],
        [viewer, `/admin/polls/question/${question}/change/`, { text: 'Changed' }],
        [viewer, '/admin/polls/question/add/', { text: 'New' }],
        // change without add or delete
        [editor, '/admin/polls/question/add/', { text: 'New' }],
        [editor, `/admin/polls/question/${question}/delete/`, {}],
        [
          editor,
          '/admin/polls/question/',
          { action: 'delete_selected', _selected_action: question, post: 'yes' },
        ],
        [
          editor,
          '/admin/polls/question/',
          { action: 'delete_selected', _selected_action: question },
        ],
      ];
      for (const [client, path, form] of refused) {
        await client.get('/admin/');
        assert.equal((await client.post(path, form)).status, 403, `${path} ${form.action ?? ''}`);
      }
      const row = await Question.objects.get({ id: keys.question });
      assert.deepEqual([row.text, row.isOpen], [evil, true]);
      assert.equal(await Question.objects.count(), 1);
      assert.equal(await LogEntry.objects.count(), 0);
      // What the editor may do, they can: run the change action.
      await editor.get('/admin/polls/question/');
      const closed = await editor.post('/admin/polls/question/', {
        action: 'close',
        _selected_action: question,
      });
      assert.equal(closed.status, 303);
      assert.equal((await Question.objects.get({ id: keys.question })).isOpen, false);
      await Question.objects.filter({ id: keys.question }).update({ isOpen: true });
    });

    it('escapes user data on every page that shows it', async () => {
      const root = await new AdminClient(app).loginAs('root');
      const shown = [
        '/admin/polls/category/',
        '/admin/polls/tag/',
        '/admin/polls/question/',
        // filters name the category
        `/admin/polls/question/?category__id__exact=${keys.category}`,
        '/admin/polls/choice/',
        '/admin/polls/pin/',
        // a select of categories, a select multiple of tags, inline choices
        `/admin/polls/question/${keys.question}/change/`,
        // an autocomplete foreign key names its row
        `/admin/polls/choice/${keys.choice}/change/`,
        // a plain foreign key select
        `/admin/polls/pin/${keys.pin}/change/`,
        `/admin/polls/question/${keys.question}/delete/`,
      ];
      for (const path of shown) {
        const res = await root.get(path);
        assert.equal(res.status, 200, path);
        assert.doesNotMatch(res.text, /<script>alert/, path);
        assert.ok(res.text.includes(escaped), path);
      }
      assert.match(
        (await root.get(`/admin/polls/choice/${keys.choice}/change/`)).text,
        new RegExp(`data-autocomplete-label>${escaped.replace(/[()]/g, '\\$&')}<`),
      );
      const bulk = await root.post('/admin/polls/question/', {
        action: 'delete_selected',
        _selected_action: String(keys.question),
      });
      assert.doesNotMatch(bulk.text, /<script>alert/);
      assert.ok(bulk.text.includes(escaped));
      // The search endpoint answers JSON, which a browser does not run as a page.
      const found = await root.get(
        '/admin/autocomplete/?app=polls&model=choice&field=question&term=script',
      );
      assert.match(found.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(found.headers.get('x-content-type-options'), 'nosniff');
    });

    it('escapes user data in read-only fields', async () => {
      const readonly = adminSite();
      readonly.register(Tag, { searchFields: ['name'] });
      readonly.register(Question, { readonlyFields: ['text', 'category', 'tags'] });
      const client = await new AdminClient(adminApp(readonly)).loginAs('root');
      const page = await client.get(`/admin/polls/question/${keys.question}/change/`);
      assert.equal(page.status, 200);
      const cells = [...page.text.matchAll(/<div class="readonly-value">([^<]*)<\/div>/g)].map(
        (match) => match[1],
      );
      assert.deepEqual(cells, [escaped, escaped, escaped]);
      assert.doesNotMatch(page.text, /<script>alert/);
    });
  },
  { dialects: ['sqlite'] },
);

forEachDatabase(
  'admin audit of autocomplete many-to-many',
  () => {
    const site = autocompleteSite();
    const app = adminApp(site);

    before(async () => {
      await migrateAdmin(site);
      await makeUser('nobody');
    });

    it('answers 403 to staff who may not view the related model', async () => {
      const nobody = await new AdminClient(app).loginAs('nobody');
      for (const field of ['category', 'tags']) {
        const url = `/admin/autocomplete/?app=polls&model=question&field=${field}&term=a`;
        assert.equal((await nobody.get(url)).status, 403, url);
      }
    });
  },
  { dialects: ['sqlite'] },
);
