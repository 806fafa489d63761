// The example `npm start` runs: it starts, prints its URL, answers, and stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { it } from 'node:test';

const root = resolve(import.meta.dirname, '..');

it('examples/hello serves its pages and prints its URL', async () => {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'examples/hello/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Listen for the exit from the start, so an early exit is seen rather than awaited forever.
  const exited = once(child, 'exit');
  let errors = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errors += chunk;
  });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed: ${output} ${errors}`)), 60000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the example exited with ${code} before serving: ${output} ${errors}`));
      });
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
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, `the example did not stop cleanly: ${errors}`);
  }
});
