import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Carafe, html, json } from '../index.js';
import { TestClient } from '../testing/index.js';
import { ff, form } from './index.js';

const ContactForm = form({
  name: ff.text({ max: 100 }),
  topic: ff.choice(['bug', 'idea'] as const),
  tags: ff.multipleChoice(['a', 'b', 'c'] as const, { required: false }),
  agree: ff.boolean(),
  attachment: ff.file({ required: false, maxSize: 1000 }),
});

const SearchForm = form({ q: ff.text(), page: ff.integer({ min: 1, required: false }) });

function makeApp(): Carafe {
  const app = new Carafe({
    debug: false,
    secretKey: 'x'.repeat(48),
    allowedHosts: ['localhost'],
    log: { level: 'silent' },
  });
  app.route(
    ['GET', 'POST'],
    '/contact/',
    async (req) => {
      if (req.method === 'GET') return html(ContactForm.unbound().render().toString());
      const bound = await ContactForm.bind(req);
      if (!bound.isValid()) return html(bound.render().toString(), { status: 400 });
      const { name, topic, tags, agree, attachment } = bound.cleanedData;
      return json({
        name,
        topic,
        tags,
        agree,
        file: attachment && { name: attachment.filename, text: await attachment.text() },
      });
    },
    { name: 'contact' },
  );
  app.get(
    '/search/',
    async (req) => {
      const bound = await SearchForm.bind(req);
      return bound.isValid() ? json(bound.cleanedData) : json(bound.errors, { status: 400 });
    },
    { name: 'search' },
  );
  return app;
}

describe('binding from a request', () => {
  const client = new TestClient(makeApp());

  it('reads an urlencoded POST, repeated values included', async () => {
    const res = await client.post('/contact/', {
      form: { name: ' Ada ', topic: 'idea', tags: ['a', 'c'], agree: 'on' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), {
      name: 'Ada',
      topic: 'idea',
      tags: ['a', 'c'],
      agree: true,
      file: null,
    });
  });

  it('reads a multipart POST with an upload', async () => {
    const body = new FormData();
    body.append('name', 'Ada');
    body.append('topic', 'bug');
    body.append('tags', 'b');
    body.append('agree', 'on');
    body.append('attachment', new File(['steps to reproduce'], 'bug.txt', { type: 'text/plain' }));
    const res = await client.post('/contact/', { multipart: body });
    assert.deepEqual(res.json(), {
      name: 'Ada',
      topic: 'bug',
      tags: ['b'],
      agree: true,
      file: { name: 'bug.txt', text: 'steps to reproduce' },
    });
  });

  it('treats a file input left empty as no file', async () => {
    const body = new FormData();
    for (const [key, value] of Object.entries({ name: 'Ada', topic: 'bug', agree: 'on' }))
      body.append(key, value);
    body.append('attachment', new File([], ''));
    const res = await client.post('/contact/', { multipart: body });
    assert.equal(res.json<{ file: unknown }>().file, null);
  });

  it('re-renders the submission with errors', async () => {
    const res = await client.post('/contact/', {
      multipart: {
        name: '<b>Ada</b>',
        topic: 'rant',
        attachment: new File(['x'.repeat(2000)], 'big.txt', { type: 'text/plain' }),
      },
    });
    assert.equal(res.status, 400);
    const page = res.text;
    assert.match(page, /value="&lt;b&gt;Ada&lt;\/b&gt;"/);
    assert.match(
      page,
      /<li>Select a valid choice. rant is not one of the available choices.<\/li>/,
    );
    assert.match(page, /<li>Ensure this file is at most 1000 bytes \(it is 2000\).<\/li>/);
    assert.match(
      page,
      /<ul class="errorlist" id="id_agree_error"><li>This field is required.<\/li><\/ul>/,
    );
  });

  it('explains a file sent without multipart encoding', async () => {
    const res = await client.post('/contact/', {
      form: { name: 'Ada', topic: 'bug', agree: 'on', attachment: 'report.pdf' },
    });
    assert.match(res.text, /No file was submitted. Check the encoding type on the form./);
  });

  it('binds a GET request’s query string', async () => {
    assert.deepEqual((await client.get('/search/', { query: { q: 'tea', page: 2 } })).json(), {
      q: 'tea',
      page: 2,
    });
    const bad = await client.get('/search/', { query: { page: 'last' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), {
      q: ['This field is required.'],
      page: ['Enter a whole number.'],
    });
  });

  it('never sees invalid UTF-8: the core answers 400 first', async () => {
    const res = await client.post('/contact/', {
      body: new Uint8Array([...Buffer.from('name='), 0xff, 0xfe]),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 400);
  });
});
