// Follows docs/tutorial/ as a reader would, in a throwaway folder: every `sh` block is run, every
// file block (one whose first line is a path comment, `// mysite/…`, `{# mysite/… #}` or
// `/* mysite/… */`) is written, in the order of the pages. The project depends on this checkout
// by path. At the end its own `npm test` has passed and its pages answer from a real server.
// Slow: npm install, and a type-check and test run per part (about a minute and a half).
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

const pathComment = /^(?:\/\/ (\S+)|\{# (\S+) #\}|\/\* (\S+) \*\/)$/;

/** The file a block is, relative to the folder the reader started in, or undefined. */
function fileOf(block: Block): string | undefined {
  const match = pathComment.exec(block.body.split('\n', 1)[0]!);
  return match === null ? undefined : (match[1] ?? match[2] ?? match[3]);
}

describe('the tutorial', { timeout: 300_000 }, () => {
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
        assert.equal(
          result.code,
          0,
          `${block.page}: ${command} (in ${cwd})\n${result.stdout}\n${result.stderr}`,
        );
      }
    }
    assert.ok(project !== undefined, 'the tutorial makes a project');

    const server = await startServer(project, ['serve'], {
      SECRET_KEY: randomBytes(48).toString('base64url'),
      ALLOWED_HOSTS: '127.0.0.1',
    });
    try {
      // Part 2 made one question with three choices from the shell.
      const index = await fetch(`${server.url}/polls/`);
      assert.equal(index.status, 200);
      const link = /<a href="(\/polls\/\d+\/)">What&#39;s up\?<\/a>/.exec(await index.text());
      assert.ok(link !== null, 'the index links to the question');
      const detail = await fetch(`${server.url}${link[1]}`);
      assert.equal(detail.status, 200);
      const form = await detail.text();
      assert.match(form, /Just hacking again/);

      // Part 4: a vote through the form, with its CSRF token and cookie.
      const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form)?.[1];
      const choice = /value="(\d+)">\s*The sky/.exec(form)?.[1];
      assert.ok(token !== undefined && choice !== undefined, form);
      const cookie = detail.headers
        .getSetCookie()
        .map((header) => header.split(';', 1)[0])
        .join('; ');
      const vote = await fetch(`${server.url}${link[1]}vote/`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, origin: server.url, referer: `${server.url}${link[1]}` },
        body: new URLSearchParams({ csrfmiddlewaretoken: token, choice }),
      });
      assert.equal(vote.status, 303, await vote.text());
      assert.equal(vote.headers.get('location'), `${link[1]}results/`);
      const results = await fetch(`${server.url}${link[1]}results/`);
      assert.match(await results.text(), /The sky — 1 vote</);
      assert.equal((await fetch(`${server.url}/polls/999999/`)).status, 404);
      assert.equal((await fetch(`${server.url}/admin/login/`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});
