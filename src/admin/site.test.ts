// Registering models (options checked against the fields), the admin's own migration, its
// static files, and templates a project overrides.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { auth } from '../auth/index.js';
import { makemigrations } from '../db/migrations/index.js';
import { sessions } from '../sessions/index.js';
import { TestClient } from '../testing/index.js';
import { adminSite, inline, LogEntry } from './index.js';
import type { ModelAdminOptions } from './options.js';
import { AdminClient, adminApp, makeUser, migrateAdmin, pollsSite } from './test-support/app.js';
import { Category, Choice, Question } from './test-support/polls.js';

/** Options as JavaScript callers might pass them, past the type checker. */
function loose(options: Record<string, unknown>): ModelAdminOptions<typeof Question> {
  return options as ModelAdminOptions<typeof Question>;
}

describe('admin.register', () => {
  it('checks every option against the model', () => {
    const attempts: [Record<string, unknown>, RegExp][] = [
      [{ listDisplay: ['title'] }, /listDisplay: "title" is not a field/],
      [{ listDisplay: ['text.length'] }, /goes through "text", which is not a foreign key/],
      [{ listFilter: ['text'] }, /listFilter: "text" is a string field/],
      [{ listFilter: ['nope'] }, /listFilter: "nope" is not an editable field/],
      [{ searchFields: ['nope'] }, /searchFields: "nope" is not a field/],
      [{ ordering: ['-nope'] }, /ordering: "-nope" is not a field/],
      [{ listPerPage: 0 }, /listPerPage: give a whole number/],
      [{ readonlyFields: ['id'] }, /readonlyFields: "id" is not an editable field/],
      [{ fieldsets: [{ fields: ['text'] }, { fields: ['text'] }] }, /"text" is listed twice/],
      [{ autocompleteFields: ['text'] }, /autocompleteFields: "text" is not a foreign key/],
      [{ actions: [() => {}] }, /each action is a named function/],
      [{ actions: [{ name: 'delete_selected', run: () => {} }] }, /"delete_selected" is built in/],
      [{ inlines: [{}] }, /inlines: list inline\(ChildModel/],
    ];
    for (const [options, message] of attempts) {
      assert.throws(
        () => adminSite().register(Question, loose(options)),
        { code: 'CARAFE_ADMIN_OPTION', message },
        JSON.stringify(options),
      );
    }
    const site = adminSite().register(Question);
    assert.throws(() => site.register(Question), { code: 'CARAFE_ADMIN_ALREADY_REGISTERED' });
    assert.equal(site.isRegistered(Question), true);
    assert.equal(site.isRegistered(Choice), false);
  });

  it('ships a migration that matches LogEntry', async () => {
    const lines: string[] = [];
    const result = await makemigrations({
      apps: [sessions(), auth(), adminSite()],
      check: true,
      output: (line) => lines.push(line),
    });
    assert.equal(result.exitCode, 0, lines.join('\n'));
    assert.equal(LogEntry.meta.table, 'admin_log_entry');
  });
});

forEachDatabase(
  'the admin site',
  () => {
    before(async () => {
      await migrateAdmin();
      await makeUser('root', { superuser: true });
    });

    it('serves its stylesheet and script from its own static folder', async () => {
      const client = new TestClient(adminApp());
      const css = await client.get('/static/admin/admin.css');
      assert.equal(css.status, 200);
      assert.match(css.header('content-type') ?? '', /text\/css/);
      assert.match(css.text, /@media \(max-width: 40rem\)/);
      const js = await client.get('/static/admin/admin.js');
      assert.equal(js.status, 200);
      assert.match(js.text, /action-toggle/);
    });

    it('renders a project’s templates in place of its own', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'carafe-admin-templates-'));
      mkdirSync(join(dir, 'admin'));
      writeFileSync(
        join(dir, 'admin', 'change_list.html'),
        '{% extends "admin/base_site.html" %}{% block content %}Our own list of {{ list.count }} {{ verboseNamePlural }}{% endblock %}',
      );
      writeFileSync(
        join(dir, 'admin', 'base_site.html'),
        '{% extends "admin/base.html" %}{% block branding %}<b class="brand">Polls HQ</b>{% endblock %}',
      );
      const client = await new AdminClient(
        adminApp(pollsSite(), { templates: { dirs: [dir] } }),
      ).loginAs('root');
      await Category.objects.create({ name: 'Only one' });
      const res = await client.get('/admin/polls/category/');
      assert.equal(res.status, 200);
      assert.match(res.text, /Our own list of 1 categories/);
      // The project's base_site.html brands every page, the admin's own ones included.
      assert.match(res.text, /<b class="brand">Polls HQ<\/b>/);
      const index = await client.get('/admin/');
      assert.match(index.text, /<b class="brand">Polls HQ<\/b>/);
      assert.match(index.text, /Recent actions/);
    });

    it('needs the related model registered with searchFields for an autocomplete field', async () => {
      const site = adminSite({ header: 'Polls admin' });
      site.register(Choice, { autocompleteFields: ['question'] });
      site.register(Question, { inlines: [inline(Choice)] });
      const client = await new AdminClient(adminApp(site, { debug: true })).loginAs('root');
      const page = await client.get('/admin/polls/choice/add/');
      assert.equal(page.status, 500);
      assert.match(page.text, /CARAFE_ADMIN_AUTOCOMPLETE/);
      assert.match(page.text, /polls\.Question must be registered with searchFields/);
      const index = await client.get('/admin/');
      assert.match(index.text, /<a class="brand" href="\/admin\/">Polls admin<\/a>/);
      assert.throws(() => site.register(Category, { autocompleteFields: ['name' as never] }), {
        code: 'CARAFE_ADMIN_OPTION',
      });
    });

    it('answers 404 for models it does not know', async () => {
      const client = await new AdminClient(adminApp()).loginAs('root');
      assert.equal((await client.get('/admin/polls/nothing/')).status, 404);
      assert.equal((await client.get('/admin/nowhere/')).status, 404);
      assert.equal((await client.get('/admin/polls/question/999/change/')).status, 404);
      assert.equal((await client.get('/admin/polls/question/abc/change/')).status, 404);
    });
  },
  { dialects: ['sqlite'] },
);
