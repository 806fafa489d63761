// The admin, as a staff member meets it: log in through the login page (branded by the project's
// templates/admin/base_site.html), find the questions in the change list (columns, date filter,
// search), and the choices on the question's page.
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
    const question = await createQuestion('What’s up?', -0.5);
    await question.related('choices').create({ text: 'The sky', votes: 4 });
    await createQuestion('Tea or coffee?', -3);

    const client = new TestClient(app);
    const anonymous = await client.get('/admin/polls/question/');
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.location!, /^\/admin\/login\/\?next=/);

    const page = await client.get(anonymous.location!);
    assert.match(page.text, /<title>Log in \| Polls administration<\/title>/);
    const login = await client.post(anonymous.location!, {
      form: { csrfmiddlewaretoken: csrfTokenOf(page), username: 'ada', password },
    });
    assert.equal(login.status, 303);
    assert.equal(login.location, '/admin/polls/question/');

    const list = await client.get('/admin/polls/question/');
    assert.equal(list.status, 200);
    assert.match(list.text, /What’s up\?/);
    assert.match(list.text, /Tea or coffee\?/);
    assert.match(list.text, /<a class="brand" href="\/admin\/">Polls administration<\/a>/);
    assert.match(list.text, /">Published recently\?<\/a><\/th>/);
    // Half a day old is recent, three days is not (a cell's icon, before its row ends).
    assert.match(list.text, /What’s up\?<\/a><\/th>(?:(?!<\/tr>)[\s\S])*aria-label="Yes">✔/);
    assert.match(list.text, /Tea or coffee\?<\/a><\/th>(?:(?!<\/tr>)[\s\S])*aria-label="No">✘/);
    assert.match(list.text, /<summary>By date published<\/summary>/);

    const search = await client.get('/admin/polls/question/', { query: { q: 'coffee' } });
    assert.match(search.text, /Tea or coffee\?/);
    assert.doesNotMatch(search.text, /What’s up\?/);

    const change = await client.get(`/admin/polls/question/${question.id}/change/`);
    assert.equal(change.status, 200);
    assert.match(change.text, /<legend>Date information<\/legend>/);
    assert.match(change.text, /value="The sky"/);
    // The one choice, then the three empty rows of `extra: 3`.
    assert.match(change.text, /name="choices-TOTAL_FORMS" value="4"/);
  });
});
