// Against a real SMTP server on loopback (test-support/smtp-sink.ts): what nodemailer sends is
// what the server receives.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CarafeError } from '../../index.js';
import { configureMail, sendMail, sendMassMail } from '../index.js';
import { type SmtpSink, startSmtpSink } from '../test-support/smtp-sink.js';

function header(data: string, name: string): string | undefined {
  const unfolded = data.slice(0, data.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(unfolded)?.[1];
}

describe('the SMTP backend', () => {
  let sink: SmtpSink;

  before(async () => {
    sink = await startSmtpSink({
      auth: { user: 'site', pass: 's3cret:!' },
      reject: ['gone@example.com'],
    });
  });
  after(() => sink.close());

  const useSink = (auth: { user: string; pass: string } = { user: 'site', pass: 's3cret:!' }) =>
    configureMail({
      backend: 'smtp',
      from: 'Polls <polls@example.com>',
      smtp: { host: '127.0.0.1', port: sink.port, auth, timeout: 2_000 },
    });

  it('delivers the message with its envelope, Bcc only in the envelope', async () => {
    useSink();
    sink.received.length = 0;
    const count = await sendMail({
      to: 'Ada <ada@example.com>',
      cc: 'cb@example.com',
      bcc: 'audit@example.com',
      subject: 'Réunion',
      text: 'Line one\n.starts with a dot\n',
      html: '<p>Hi</p>',
    });
    assert.equal(count, 1);
    assert.equal(sink.received.length, 1);
    const [received] = sink.received;
    assert.equal(received?.user, 'site');
    assert.equal(received?.from, 'polls@example.com');
    assert.deepEqual(received?.to, ['ada@example.com', 'cb@example.com', 'audit@example.com']);
    const data = received?.data ?? '';
    assert.equal(header(data, 'From'), 'Polls <polls@example.com>');
    assert.equal(header(data, 'To'), 'Ada <ada@example.com>');
    assert.equal(header(data, 'Cc'), 'cb@example.com');
    assert.equal(header(data, 'Bcc'), undefined);
    assert.equal(header(data, 'Subject'), '=?UTF-8?Q?R=C3=A9union?=');
    assert.ok(!data.includes('audit@example.com'));
    assert.match(
      data,
      /\r\n\r\nLine one\r\n\.starts with a dot\r\n/,
      'dot-stuffing is undone by the server',
    );
    assert.match(data, /\r\n\r\n<p>Hi<\/p>\r\n/);
  });

  it('sends a batch over one connection', async () => {
    useSink();
    sink.received.length = 0;
    const before = sink.connections();
    const count = await sendMassMail([
      { to: 'a@example.com', subject: 'One', text: '1' },
      { to: 'b@example.com', subject: 'Two', text: '2' },
      { to: 'c@example.com', subject: 'Three', text: '3' },
    ]);
    assert.equal(count, 3);
    assert.equal(sink.connections() - before, 1);
    assert.deepEqual(
      sink.received.map((mail) => [mail.to[0], header(mail.data, 'Subject')]),
      [
        ['a@example.com', 'One'],
        ['b@example.com', 'Two'],
        ['c@example.com', 'Three'],
      ],
    );
  });

  it('reports a refused login, a refused recipient and how far a batch got', async () => {
    useSink({ user: 'site', pass: 'wrong' });
    await assert.rejects(
      sendMail({ to: 'a@example.com', subject: 's', text: 't' }),
      (error: unknown) => {
        assert.ok(error instanceof CarafeError);
        assert.equal(error.code, 'CARAFE_MAIL_SMTP');
        assert.match(
          error.message,
          new RegExp(`the SMTP server 127\\.0\\.0\\.1:${sink.port} failed: .*535`),
        );
        assert.ok(!error.message.includes('wrong'), 'the password is not repeated');
        return true;
      },
    );
    useSink();
    sink.received.length = 0;
    await assert.rejects(
      sendMassMail([
        { to: 'a@example.com', subject: 'One', text: '1' },
        { to: 'gone@example.com', subject: 'Two', text: '2' },
        { to: 'c@example.com', subject: 'Three', text: '3' },
      ]),
      (error: unknown) => {
        assert.ok(error instanceof CarafeError);
        assert.match(error.message, /failed \(1 of 3 were sent\): .*550/);
        return true;
      },
    );
    assert.deepEqual(
      sink.received.map((mail) => mail.to),
      [['a@example.com']],
    );
  });

  it('fails with a clear error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    configureMail({ backend: 'smtp', smtp: { host: '127.0.0.1', port, timeout: 2_000 } });
    await assert.rejects(
      sendMail({ to: 'a@example.com', subject: 's', text: 't' }),
      (error: unknown) => {
        assert.ok(error instanceof CarafeError);
        assert.equal(error.code, 'CARAFE_MAIL_SMTP');
        assert.match(error.message, /ECONNREFUSED/);
        return true;
      },
    );
  });
});
