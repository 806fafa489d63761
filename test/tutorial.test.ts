// Follows docs/tutorial/ as a reader would, in a throwaway folder: every `sh` block is run, every
// file block (one whose first line is a path comment, `// mysite/…`, `{# mysite/… #}`,
// `/* mysite/… */` or `<!-- mysite/… -->`) is written, in the order of the pages. A command
// the page says fails (`npm test    # fails: …`) must fail with a test's assertion. The project
// depends on this checkout by path. At the end its own `npm test` has passed and its pages, static
// files and admin answer from a real server in production mode.
// Slow: npm install, and a type-check and test run per part (about three minutes).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  carafeBin,
  removeFolder,
  repositoryRoot,
  run,
  scratchFolder,
  startServer,
  useCheckoutSource,
} from '../src/cli/test-support/generated.js';

const tutorial = join(repositoryRoot, 'docs', 'tutorial');

interface Block {
  readonly page: string;
  readonly lang: string;
  readonly body: string;
}

/** The parts' pages (01-…, 02-…) in order, and the fenced blocks of each. */
function blocksOfTutorial(): Block[] {
  const pages = readdirSync(tutorial)
    .filter((name) => /^\d\d-.*\.md$/.test(name))
    .sort();
  return pages.flatMap((page) =>
    [...readFileSync(join(tutorial, page), 'utf8').matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(
      (match) => ({ page, lang: match[1]!, body: match[2]! }),
    ),
  );
}

const pathComment = /^(?:\/\/ (\S+)|\{# (\S+) #\}|\/\* (\S+) \*\/|<!-- (\S+) -->)$/;

/** A command the page runs to show it failing: `npm test    # fails: the test finds the bug`. */
const expectedToFail = /\s#\s*fails\b/;

/** The file a block is, relative to the folder the reader started in, or undefined. */
function fileOf(block: Block): string | undefined {
  const match = pathComment.exec(block.body.split('\n', 1)[0]!);
  return match === null ? undefined : (match[1] ?? match[2] ?? match[3] ?? match[4]);
}

/** The CSRF token of a page's form, to post it back. */
function csrfTokenOf(page: string): string {
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(token !== undefined, `no CSRF token in:\n${page}`);
  return token;
}

/** The cookies a browser would keep from the responses it got, to send them back. */
class Cookies {
  readonly #values = new Map<string, string>();

  keep(response: Response): this {
    for (const header of response.headers.getSetCookie()) {
      const pair = header.split(';', 1)[0]!;
      const equals = pair.indexOf('=');
      this.#values.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    return this;
  }

  header(): string {
    return [...this.#values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

describe('the tutorial', { timeout: 420_000 }, () => {
  let folder: string;
  before(() => {
    folder = scratchFolder('tutorial');
  });
  after(() => removeFolder(folder));

  it('can be followed as written, and the site works', async () => {
    let cwd = folder;
    let project: string | undefined;
    for (const block of blocksOfTutorial()) {
      const file = fileOf(block);
      if (file !== undefined) {
        const path = join(folder, file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, block.body);
        continue;
      }
      if (block.lang !== 'sh') continue;
      for (const line of block.body.split('\n')) {
        const command = line.trim();
        if (command === '' || command.startsWith('#')) continue;
        const cd = /^cd (\S+)$/.exec(command);
        if (cd !== null) {
          cwd = resolve(cwd, cd[1]!);
          continue;
        }
        const created = /^npx carafe@latest new (\S+)$/.exec(command);
        if (created !== null) {
          // This checkout rather than the published package, by path.
          const made = await run(
            process.execPath,
            [carafeBin, 'new', created[1]!, '--carafe', `file:${repositoryRoot}`],
            { cwd },
          );
          assert.equal(made.code, 0, `${block.page}: ${command}\n${made.stderr}`);
          project = join(cwd, created[1]!);
          useCheckoutSource(project);
          continue;
        }
        const shell = command.replace(
          /^npm install$/,
          'npm install --no-audit --no-fund --prefer-offline',
        );
        const result = await run('sh', ['-c', shell], { cwd });
        const report = `${block.page}: ${command} (in ${cwd})\n${result.stdout}\n${result.stderr}`;
        if (expectedToFail.test(command)) {
          // Failing for another reason (a type error, a missing file) would prove nothing.
          assert.notEqual(result.code, 0, report);
          assert.match(result.stdout + result.stderr, /AssertionError/, report);
        } else {
          assert.equal(result.code, 0, report);
        }
      }
    }
    assert.ok(project !== undefined, 'the tutorial makes a project');

    // Part 6: the static files collected under hashed names, which `carafe serve` links to.
    const manifest = JSON.parse(
      readFileSync(join(project, 'staticfiles', 'manifest.json'), 'utf8'),
    ) as { paths: Record<string, string> };
    const hashedStylesheet = manifest.paths['polls/style.css'];
    assert.match(hashedStylesheet ?? '', /^polls\/style\.[0-9a-f]{8}\.css$/);

    const server = await startServer(project, ['serve'], {
      SECRET_KEY: randomBytes(48).toString('base64url'),
      ALLOWED_HOSTS: '127.0.0.1',
    });
    try {
      // Part 2 made one question with three choices from the shell.
      const index = await fetch(`${server.url}/polls/`);
      assert.equal(index.status, 200);
      const indexPage = await index.text();
      const link = /<a href="(\/polls\/\d+\/)">What&#39;s up\?<\/a>/.exec(indexPage);
      assert.ok(link !== null, 'the index links to the question');
      const detail = await fetch(`${server.url}${link[1]}`);
      const form = await detail.text();
      assert.equal(detail.status, 200, form);
      assert.match(form, /Just hacking again/);

      // Part 4: a vote through the form, with its CSRF token and cookie.
      const token = csrfTokenOf(form);
      const choice = /value="(\d+)">\s*The sky/.exec(form)?.[1];
      assert.ok(choice !== undefined, form);
      const vote = await fetch(`${server.url}${link[1]}vote/`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: new Cookies().keep(detail).header(),
          origin: server.url,
          referer: `${server.url}${link[1]}`,
        },
        body: new URLSearchParams({ csrfmiddlewaretoken: token, choice }),
      });
      assert.equal(vote.status, 303, await vote.text());
      assert.equal(vote.headers.get('location'), `${link[1]}results/`);
      const results = await fetch(`${server.url}${link[1]}results/`);
      assert.match(await results.text(), /The sky — 1 vote</);
      assert.equal((await fetch(`${server.url}/polls/999999/`)).status, 404);

      // Part 6: the page links to the hashed stylesheet, served for a year; the image it uses
      // is served under its plain name, relative to it.
      assert.ok(
        indexPage.includes(`<link rel="stylesheet" href="/static/${hashedStylesheet}">`),
        indexPage,
      );
      const stylesheet = await fetch(`${server.url}/static/${hashedStylesheet}`);
      assert.equal(stylesheet.status, 200);
      assert.equal(stylesheet.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const css = await stylesheet.text();
      assert.equal(css, readFileSync(join(project, 'src/polls/static/polls/style.css'), 'utf8'));
      assert.match(css, /url\("images\/background\.svg"\)/);
      const image = await fetch(`${server.url}/static/polls/images/background.svg`);
      assert.equal(image.status, 200);
      assert.match(image.headers.get('content-type') ?? '', /^image\/svg\+xml/);

      // Part 7: the superuser of part 2 logs in; every admin page carries the project's name.
      const cookies = new Cookies();
      const loginPage = await fetch(`${server.url}/admin/login/`);
      assert.equal(loginPage.status, 200);
      const loginForm = await loginPage.text();
      assert.match(loginForm, /<title>Log in \| Polls administration<\/title>/);
      const login = await fetch(`${server.url}/admin/login/`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: cookies.keep(loginPage).header(),
          origin: server.url,
          referer: `${server.url}/admin/login/`,
        },
        body: new URLSearchParams({
          csrfmiddlewaretoken: csrfTokenOf(loginForm),
          username: 'admin',
          password: 'a long tutorial passphrase',
        }),
      });
      assert.equal(login.status, 303, await login.text());
      cookies.keep(login);
      const admin = (path: string) =>
        fetch(`${server.url}${path}`, { headers: { cookie: cookies.header() } });

      const list = await admin('/admin/polls/question/');
      assert.equal(list.status, 200);
      const listPage = await list.text();
      assert.match(listPage, /<a class="brand" href="\/admin\/">Polls administration<\/a>/);
      for (const column of ['Text', 'Date published', 'Published recently?']) {
        assert.ok(listPage.includes(`">${column}</a></th>`), `the ${column} column`);
      }
      // Made minutes ago by part 2, so published recently: the computed column's ✔.
      assert.match(listPage, /What&#39;s up\?<\/a><\/th>(?:(?!<\/tr>)[\s\S])*aria-label="Yes">✔/);
      assert.match(listPage, /<summary>By date published<\/summary>/);
      assert.match(listPage, /id="searchbar"/);
      const found = await (await admin('/admin/polls/question/?q=what+up')).text();
      assert.match(found, /1 result \(/);
      const none = await (await admin('/admin/polls/question/?q=what+sky')).text();
      assert.match(none, /No questions to show\./);

      const questionId = /\/polls\/(\d+)\//.exec(link[1]!)?.[1];
      const change = await admin(`/admin/polls/question/${questionId}/change/`);
      assert.equal(change.status, 200);
      const changePage = await change.text();
      assert.match(changePage, /<legend>Date information<\/legend>/);
      assert.match(changePage, /<h2 id="inline-polls-choice-heading">Choices<\/h2>/);
      assert.match(changePage, /name="choices-1-text" value="The sky"/);
      // The three choices, then the three empty rows of `extra: 3`.
      assert.match(changePage, /name="choices-TOTAL_FORMS" value="6"/);
    } finally {
      await server.stop();
    }
  });
});
