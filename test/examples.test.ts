// The example `npm start` runs: it starts, prints its URL, answers, and stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { it } from 'node:test';

const root = resolve(import.meta.dirname, '..');

it('examples/hello serves its pages and prints its URL', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/hello/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed: ${output}`)), 60000);
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /serving on (http:\/\/\S+?)\/? /.exec(output);
        if (match) {
          clearTimeout(timer);
          done(match[1]!);
        }
      });
    });
    const hello = await fetch(`${url}/hello/world`);
    assert.deepEqual(await hello.json(), { greeting: 'Hello, world!' });
    const index = await fetch(`${url}/`);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /Hello from Carafe/);
  } finally {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  }
});
