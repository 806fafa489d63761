// Django tutorial part 5's view tests, and the vote: counted by the database, redirected, and
// refused with the form shown again when no (or another poll's) choice is sent.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { TestClient } from 'carafe/testing';
import { assertNumQueries, it, useTestDatabases } from 'carafe/testing/db';
import { Choice } from '../polls/models.js';
import { app, createQuestion, csrfTokenOf } from './support.js';

useTestDatabases({ apps: app.apps, databases: app.config.database });

/** The question texts the index page links to, in order. */
function listed(html: string): string[] {
  return [...html.matchAll(/<li><a href="\/polls\/\d+\/">([^<]*)<\/a><\/li>/g)].map((m) => m[1]!);
}

describe('the index page', () => {
  it('says so when there are no polls', async () => {
    const res = await new TestClient(app).get('/polls/');
    assert.equal(res.status, 200);
    assert.match(res.text, /No polls are available\./);
    assert.deepEqual(listed(res.text), []);
  });

  it('lists a question from the past', async () => {
    await createQuestion('Past question.', -30);
    const res = await new TestClient(app).get('/polls/');
    assert.deepEqual(listed(res.text), ['Past question.']);
  });

  it('does not list a question from the future', async () => {
    await createQuestion('Future question.', 30);
    const res = await new TestClient(app).get('/polls/');
    assert.match(res.text, /No polls are available\./);
    assert.deepEqual(listed(res.text), []);
  });

  it('lists only the past question when there is one of each', async () => {
    await createQuestion('Past question.', -30);
    await createQuestion('Future question.', 30);
    const res = await new TestClient(app).get('/polls/');
    assert.deepEqual(listed(res.text), ['Past question.']);
  });

  it('lists the five latest, newest first, in one query', async () => {
    for (let n = 1; n <= 6; n++) await createQuestion(`Question ${n}.`, -n);
    const res = await assertNumQueries(1, () => new TestClient(app).get('/polls/'));
    assert.deepEqual(
      listed(res.text),
      [1, 2, 3, 4, 5].map((n) => `Question ${n}.`),
    );
  });

  it('escapes question text', async () => {
    await createQuestion('<script>alert(1)</script>', -1);
    const res = await new TestClient(app).get('/polls/');
    assert.match(res.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(res.text, /<script>alert/);
  });
});

describe('the detail and results pages', () => {
  it('are a 404 for a question from the future', async () => {
    const future = await createQuestion('Future question.', 5);
    const client = new TestClient(app);
    assert.equal((await client.get(`/polls/${future.id}/`)).status, 404);
    assert.equal((await client.get(`/polls/${future.id}/results/`)).status, 404);
  });

  it('show a question from the past with its choices', async () => {
    const past = await createQuestion('Past question.', -5);
    await past.related('choices').create({ text: 'Yes' });
    const client = new TestClient(app);
    const detail = await client.get(`/polls/${past.id}/`);
    assert.equal(detail.status, 200);
    assert.match(detail.text, /<h1>Past question\.<\/h1>/);
    assert.match(detail.text, /<input type="radio" name="choice" value="\d+">\s*Yes/);
    const results = await client.get(`/polls/${past.id}/results/`);
    assert.equal(results.status, 200);
    assert.match(results.text, /Yes — 0 votes/);
  });

  it('are a 404 for a question that does not exist', async () => {
    assert.equal((await new TestClient(app).get('/polls/999999/')).status, 404);
  });
});

describe('the static files', () => {
  it('are linked from the pages, and the stylesheet finds its image', async () => {
    const client = new TestClient(app);
    const page = await client.get('/polls/');
    assert.match(page.text, /<link rel="stylesheet" href="\/static\/polls\/style\.css">/);
    const css = await client.get('/static/polls/style.css');
    assert.equal(css.status, 200);
    assert.match(css.header('content-type') ?? '', /^text\/css/);
    // The image's URL in the stylesheet is relative to the stylesheet's own.
    const image = /url\("([^"]+)"\)/.exec(css.text)?.[1];
    assert.equal(image, 'images/background.svg');
    const svg = await client.get(`/static/polls/${image}`);
    assert.equal(svg.status, 200);
    assert.match(svg.header('content-type') ?? '', /^image\/svg\+xml/);
  });
});

describe('voting', () => {
  async function pollWithChoices() {
    const question = await createQuestion('Tea or coffee?', -1);
    const tea = await question.related('choices').create({ text: 'Tea' });
    const coffee = await question.related('choices').create({ text: 'Coffee' });
    const client = new TestClient(app);
    const token = csrfTokenOf(await client.get(`/polls/${question.id}/`));
    return { question, tea, coffee, client, token };
  }

  it('adds one vote to the choice and redirects to the results', async () => {
    const { question, tea, coffee, client, token } = await pollWithChoices();
    const res = await client.post(`/polls/${question.id}/vote/`, {
      form: { csrfmiddlewaretoken: token, choice: String(tea.id) },
    });
    assert.equal(res.status, 303);
    assert.equal(res.location, `/polls/${question.id}/results/`);
    await client.post(`/polls/${question.id}/vote/`, {
      form: { csrfmiddlewaretoken: token, choice: String(tea.id) },
    });
    await tea.refresh();
    await coffee.refresh();
    assert.equal(tea.votes, 2);
    assert.equal(coffee.votes, 0);
    const results = await client.get(res.location!);
    assert.match(results.text, /Tea — 2 votes/);
    assert.match(results.text, /Coffee — 0 votes/);
  });

  it('shows the form again with an error when no choice was selected', async () => {
    const { question, client, token } = await pollWithChoices();
    const res = await client.post(`/polls/${question.id}/vote/`, {
      form: { csrfmiddlewaretoken: token },
    });
    assert.equal(res.status, 400);
    assert.match(res.text, /You didn&#39;t select a choice\./);
    assert.match(res.text, /<h1>Tea or coffee\?<\/h1>/);
    assert.match(res.text, /name="csrfmiddlewaretoken"/);
    const garbled = await client.post(`/polls/${question.id}/vote/`, {
      form: { csrfmiddlewaretoken: token, choice: 'tea' },
    });
    assert.equal(garbled.status, 400);
    assert.deepEqual(await Choice.objects.valuesList('votes', { flat: true }), [0, 0]);
  });

  it("does not count a vote for another poll's choice", async () => {
    const { question, client, token } = await pollWithChoices();
    const other = await createQuestion('Cats or dogs?', -1);
    const cats = await other.related('choices').create({ text: 'Cats' });
    const res = await client.post(`/polls/${question.id}/vote/`, {
      form: { csrfmiddlewaretoken: token, choice: String(cats.id) },
    });
    assert.equal(res.status, 400);
    await cats.refresh();
    assert.equal(cats.votes, 0);
  });

  it('refuses a vote without the CSRF token', async () => {
    const { question, tea, client } = await pollWithChoices();
    const res = await client.post(`/polls/${question.id}/vote/`, {
      form: { choice: String(tea.id) },
    });
    assert.equal(res.status, 403);
    await tea.refresh();
    assert.equal(tea.votes, 0);
  });

  it('is a 404 for a question from the future', async () => {
    const { client, token } = await pollWithChoices();
    const future = await createQuestion('Not yet?', 2);
    const choice = await future.related('choices').create({ text: 'Soon' });
    const res = await client.post(`/polls/${future.id}/vote/`, {
      form: { csrfmiddlewaretoken: token, choice: String(choice.id) },
    });
    assert.equal(res.status, 404);
    await choice.refresh();
    assert.equal(choice.votes, 0);
  });
});
