import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Carafe, CarafeError } from '../index.js';
import { TestClient } from '../testing/index.js';
import {
  ConsoleBackend,
  configureMail,
  EmailMessage,
  type MailBackend,
  mail,
  outbox,
  sendMail,
  sendMassMail,
} from './index.js';

function assertCode(error: unknown, code: string, fragment: string): true {
  assert.ok(error instanceof CarafeError);
  assert.equal(error.code, code);
  assert.ok(error.message.includes(fragment), error.message);
  return true;
}

describe('sending mail', () => {
  // Runs first: nothing in this process has configured mail yet.
  it('says how to configure mail when nothing is', async () => {
    await assert.rejects(sendMail({ to: 'a@example.com', subject: 's', text: 't' }), (error) =>
      assertCode(error, 'CARAFE_MAIL_NOT_CONFIGURED', 'Add mail() from carafe/mail to config.apps'),
    );
  });

  it('sends through the backend the app config names, from the default sender', async () => {
    outbox.length = 0;
    const app = new Carafe({
      debug: true,
      log: { level: 'silent' },
      apps: [mail()],
      mail: { backend: 'memory', from: 'Polls <polls@example.com>' },
    });
    app.post(
      '/signup/',
      async () => {
        await sendMail({ to: 'ada@example.com', subject: 'Welcome', text: 'Hello Ada' });
        return { ok: true };
      },
      { name: 'signup' },
    );
    const res = await new TestClient(app).post('/signup/');
    assert.equal(res.status, 200);
    assert.equal(outbox.length, 1);
    const [sent] = outbox;
    assert.ok(sent instanceof EmailMessage);
    assert.equal(sent.from, 'Polls <polls@example.com>');
    assert.deepEqual(sent.to, ['ada@example.com']);
    assert.equal(sent.subject, 'Welcome');
    assert.equal(sent.text, 'Hello Ada');
  });

  it('keeps a sender the message gives, and resolves to the number sent', async () => {
    configureMail({ backend: 'memory' });
    outbox.length = 0;
    const count = await sendMail(
      new EmailMessage({ from: 'me@example.com', to: 'a@example.com', subject: 's', text: 't' }),
    );
    assert.equal(count, 1);
    assert.equal(outbox[0]?.from, 'me@example.com');
  });

  it('hands a batch to the backend in one call, and sends none when one message is bad', async () => {
    const batches: (readonly EmailMessage[])[] = [];
    const recording: MailBackend = {
      async send(messages) {
        batches.push(messages);
        return messages.length;
      },
    };
    configureMail({ backend: recording, from: 'news@example.com' });
    const count = await sendMassMail([
      { to: 'a@example.com', subject: 'One', text: '1' },
      { to: 'b@example.com', subject: 'Two', text: '2' },
    ]);
    assert.equal(count, 2);
    assert.equal(batches.length, 1);
    assert.deepEqual(
      batches[0]?.map((message) => [message.from, message.to[0], message.subject]),
      [
        ['news@example.com', 'a@example.com', 'One'],
        ['news@example.com', 'b@example.com', 'Two'],
      ],
    );
    await assert.rejects(
      sendMassMail([
        { to: 'a@example.com', subject: 'Fine', text: '1' },
        { to: 'b@example.com', subject: 'Bad\r\nBcc: all@example.com', text: '2' },
      ]),
      (error) => assertCode(error, 'CARAFE_MAIL_HEADER_INJECTION', 'subject'),
    );
    assert.equal(batches.length, 1);
  });

  it('prints each message on the console backend', async () => {
    let printed = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        printed += String(chunk);
        done();
      },
    });
    configureMail({ backend: new ConsoleBackend({ stream }), from: 'site@example.com' });
    await sendMassMail([
      { to: 'a@example.com', subject: 'First', text: 'one' },
      { to: 'b@example.com', subject: 'Second', text: 'two' },
    ]);
    const messages = printed.split(`${'-'.repeat(79)}\n`);
    assert.equal(messages.length, 3);
    assert.match(
      messages[0] ?? '',
      /^From: site@example\.com\nTo: a@example\.com\nSubject: First\n[\s\S]*\n\none\n\n$/m,
    );
    assert.match(messages[1] ?? '', /\nSubject: Second\n[\s\S]*\n\ntwo\n\n$/);
    assert.ok(!printed.includes('\r'));
  });

  it('writes one .eml file per message on the file backend', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carafe-mail-'));
    try {
      const folder = join(dir, 'outbox');
      configureMail({ backend: 'file', fileDir: folder });
      await sendMassMail([
        { to: 'a@example.com', subject: 'First', text: 'one' },
        { to: 'b@example.com', subject: 'Second', text: 'two' },
      ]);
      const files = (await readdir(folder)).sort();
      assert.equal(files.length, 2);
      for (const file of files) assert.match(file, /^\d{8}T\d{6}-\d{3}Z-[0-9a-f]{8}\.eml$/);
      const contents = await Promise.all(files.map((file) => readFile(join(folder, file), 'utf8')));
      const subjects = contents.map((text) => /\r\nSubject: (\w+)\r\n/.exec(text)?.[1]).sort();
      assert.deepEqual(subjects, ['First', 'Second']);
      assert.ok(contents.every((text) => text.includes('From: webmaster@localhost\r\n')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
