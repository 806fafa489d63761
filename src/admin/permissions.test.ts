// Who gets in: anonymous visitors and non-staff users are sent to the admin's login page, staff
// members without a model's permissions get a 403 on every page of it, and each permission
// opens exactly its part. Every form posts a CSRF token; without one the admin refuses.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { auth } from '../auth/index.js';
import { Carafe } from '../index.js';
import { security } from '../security/index.js';
import { sessions } from '../sessions/index.js';
import { TestClient } from '../testing/index.js';
import { adminSite } from './index.js';
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

describe('the admin app', () => {
  it('refuses to start without sessions, security and auth listed before it', () => {
    const build = (apps: Carafe['config']['apps']) =>
      new Carafe({
        secretKey: 'k'.repeat(48),
        allowedHosts: ['localhost'],
        log: { level: 'silent' },
        apps,
      });
    assert.throws(() => build([sessions(), auth(), adminSite()]), {
      code: 'CARAFE_ADMIN_SETUP',
      message: /security\(\)/,
    });
    assert.throws(() => build([sessions(), security(), adminSite(), auth()]), {
      code: 'CARAFE_ADMIN_SETUP',
      message: /auth\(\)/,
    });
    assert.doesNotThrow(() => build([sessions(), security(), auth(), adminSite()]));
  });
});

forEachDatabase(
  'admin permissions',
  () => {
    const app = adminApp();
    let questionId = 0;
    let choiceId = 0;

    before(async () => {
      await migrateAdmin();
      await makeUser('nobody', { staff: true });
      await makeUser('outsider', { staff: false, permissions: ['polls.view_question'] });
      await makeUser('viewer', { permissions: ['polls.view_question'] });
      await makeUser('editor', {
        permissions: ['polls.view_question', 'polls.change_question', 'polls.change_choice'],
      });
      const category = await Category.objects.create({ name: 'News' });
      const question = await Question.objects.create({ text: 'Who?', category });
      questionId = question.id;
      choiceId = (await Choice.objects.create({ question, text: 'Me' })).id;
    });

    const modelPages = () => [
      '/admin/polls/question/',
      '/admin/polls/question/add/',
      `/admin/polls/question/${questionId}/change/`,
      `/admin/polls/question/${questionId}/delete/`,
      `/admin/polls/question/${questionId}/history/`,
      '/admin/polls/',
      '/admin/autocomplete/?app=polls&model=choice&field=question&term=W',
    ];

    it('sends anonymous visitors and non-staff users to the login page', async () => {
      const anonymous = new TestClient(app);
      for (const path of ['/admin/', ...modelPages()]) {
        const res = await anonymous.get(path);
        assert.equal(res.status, 302, path);
        assert.equal(res.location, `/admin/login/?next=${encodeURIComponent(path)}`);
      }
      const outsider = await new AdminClient(app).loginAs('outsider');
      const res = await outsider.get('/admin/polls/question/');
      assert.equal(res.status, 302);
      const login = await outsider.get(res.location!);
      assert.equal(login.status, 200);
      assert.match(login.text, /You are authenticated as outsider, but are not authorized/);
    });

    it('answers 403 on every page of a model to staff without its permissions', async () => {
      const nobody = await new AdminClient(app).loginAs('nobody');
      for (const path of modelPages()) {
        assert.equal((await nobody.get(path)).status, 403, path);
      }
      const index = await nobody.get('/admin/');
      assert.equal(index.status, 200);
      assert.match(index.text, /You don’t have permission to view or edit anything/);
      const posts: [string, Record<string, string>][] = [
        [
          '/admin/polls/question/',
          { action: 'delete_selected', _selected_action: String(questionId) },
        ],
        ['/admin/polls/question/add/', { text: 'New?' }],
        [`/admin/polls/question/${questionId}/change/`, { text: 'Changed?' }],
        [`/admin/polls/question/${questionId}/delete/`, {}],
      ];
      for (const [path, form] of posts) {
        assert.equal((await nobody.post(path, form)).status, 403, path);
      }
      assert.equal((await Question.objects.get({ id: questionId })).text, 'Who?');
      assert.equal(await LogEntry.objects.count(), 0);
    });

    it('lets a viewer list and read, but not add, change or delete', async () => {
      const viewer = await new AdminClient(app).loginAs('viewer');
      const list = await viewer.get('/admin/polls/question/');
      assert.equal(list.status, 200);
      assert.match(list.text, /Select question to view/);
      assert.doesNotMatch(list.text, /Add question/);
      // No action is open to a viewer, so there is no action menu.
      assert.doesNotMatch(list.text, /name="action"/);
      const page = await viewer.get(`/admin/polls/question/${questionId}/change/`);
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>View question<\/h1>/);
      assert.doesNotMatch(page.text, /name="_save"|<input type="text" name="text"/);
      assert.equal((await viewer.get(`/admin/polls/question/${questionId}/history/`)).status, 200);
      assert.equal((await viewer.get('/admin/polls/question/add/')).status, 403);
      assert.equal((await viewer.get(`/admin/polls/question/${questionId}/delete/`)).status, 403);
      const post = await viewer.post(`/admin/polls/question/${questionId}/change/`, { text: 'x' });
      assert.equal(post.status, 403);
      // Choices are not the viewer's: not listed on the index, 403 on their pages.
      const index = await viewer.get('/admin/');
      assert.match(index.text, /href="\/admin\/polls\/question\/">Questions</);
      assert.doesNotMatch(index.text, /Choices/);
      assert.equal((await viewer.get(`/admin/polls/choice/${choiceId}/change/`)).status, 403);
    });

    it('lets an editor change, with the inline rows of the child model', async () => {
      const editor = await new AdminClient(app).loginAs('editor');
      const page = await editor.get(`/admin/polls/question/${questionId}/change/`);
      assert.equal(page.status, 200);
      assert.match(page.text, /name="_save"/);
      // change_choice without add_choice or delete_choice: no extra rows, no Delete boxes.
      assert.match(page.text, /name="choices-TOTAL_FORMS" value="1"/);
      assert.doesNotMatch(page.text, /choices-0-DELETE/);
      assert.doesNotMatch(page.text, /class="deletelink"/);
      assert.equal((await editor.get('/admin/polls/question/add/')).status, 403);
      // The editor's action menu has the custom action (change) but not delete_selected.
      const list = await editor.get('/admin/polls/question/');
      assert.match(list.text, /value="close"/);
      assert.doesNotMatch(list.text, /value="delete_selected"/);
    });

    it('refuses every admin form posted without its CSRF token', async () => {
      const editor = await new AdminClient(app).loginAs('editor');
      const client = editor.client;
      const attempts: [string, Record<string, string>][] = [
        [`/admin/polls/question/${questionId}/change/`, { text: 'Forged' }],
        ['/admin/polls/question/', { action: 'close', _selected_action: String(questionId) }],
        [`/admin/polls/question/${questionId}/delete/`, {}],
        ['/admin/logout/', {}],
        ['/admin/password_change/', { oldPassword: 'x', newPassword1: 'y', newPassword2: 'y' }],
      ];
      for (const [path, form] of attempts) {
        const res = await client.post(path, { form });
        assert.equal(res.status, 403, path);
        assert.match(res.text, /CSRF/i);
      }
      const question = await Question.objects.get({ id: questionId });
      assert.deepEqual([question.text, question.isOpen], ['Who?', true]);
      // Still logged in: the forged logout did nothing.
      assert.equal((await editor.get('/admin/')).status, 200);
    });
  },
  { dialects: ['sqlite'] },
);
