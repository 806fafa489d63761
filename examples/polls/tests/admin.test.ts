// The admin, as a staff member meets it: log in through the login page, find the questions in
// the change list (searchable), and the choices on the question's page.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { createSuperuser } from 'carafe/auth';
import { TestClient } from 'carafe/testing';
import { it, useTestDatabases } from 'carafe/testing/db';
import { app, createQuestion, csrfTokenOf } from './support.js';

useTestDatabases({ apps: app.apps, databases: app.config.database });

const password = 'a long demo passphrase';

describe('the admin', () => {
  it('lets a staff member log in and lists the questions with their choices', async () => {
    await createSuperuser({ username: 'ada', email: 'ada@example.com', password });
    const question = await createQuestion('What’s up?', -1);
    await question.related('choices').create({ text: 'The sky', votes: 4 });
    await createQuestion('Tea or coffee?', -3);

    const client = new TestClient(app);
    const anonymous = await client.get('/admin/polls/question/');
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.location!, /^\/admin\/login\/\?next=/);

    const page = await client.get(anonymous.location!);
    const login = await client.post(anonymous.location!, {
      form: { csrfmiddlewaretoken: csrfTokenOf(page), username: 'ada', password },
    });
    assert.equal(login.status, 303);
    assert.equal(login.location, '/admin/polls/question/');

    const list = await client.get('/admin/polls/question/');
    assert.equal(list.status, 200);
    assert.match(list.text, /What’s up\?/);
    assert.match(list.text, /Tea or coffee\?/);
    assert.match(list.text, /Published recently\?/);

    const search = await client.get('/admin/polls/question/', { query: { q: 'coffee' } });
    assert.match(search.text, /Tea or coffee\?/);
    assert.doesNotMatch(search.text, /What’s up\?/);

    const change = await client.get(`/admin/polls/question/${question.id}/change/`);
    assert.equal(change.status, 200);
    assert.match(change.text, /value="The sky"/);
  });
});
