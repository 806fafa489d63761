import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Carafe, type CarafeConfig, CarafeError } from '../index.js';
import { configureMail, MemoryBackend } from './index.js';

const production = { secretKey: 's'.repeat(32), allowedHosts: ['example.com'] };
const mailOf = (input: CarafeConfig) =>
  new Carafe({ log: { level: 'silent' }, ...input }).config.mail;

function assertConfigError(action: () => unknown, code: string, ...fragments: string[]) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, code);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), error.message);
    return true;
  });
}

describe('the mail setting', () => {
  it('defaults to SMTP on localhost:25, or the console in debug mode', () => {
    assert.deepEqual(mailOf(production), {
      backend: 'smtp',
      from: 'webmaster@localhost',
      smtp: { host: 'localhost', port: 25, secure: false, auth: undefined, timeout: 10_000 },
      fileDir: undefined,
    });
    assert.equal(mailOf({ debug: true }).backend, 'console');
    assert.ok(Object.isFrozen(mailOf(production)));
  });

  it('reads an smtp:// or smtps:// URL, percent-encoded credentials included', () => {
    assert.deepEqual(
      mailOf({
        ...production,
        mail: { smtp: { url: 'smtps://me%40example.com:p%3Ass@smtp.example.com' } },
      }).smtp,
      {
        host: 'smtp.example.com',
        port: 465,
        secure: true,
        auth: { user: 'me@example.com', pass: 'p:ss' },
        timeout: 10_000,
      },
    );
    const plain = mailOf({
      ...production,
      mail: { smtp: { url: 'smtp://[::1]:2525', timeout: 500 } },
    }).smtp;
    assert.deepEqual(plain, {
      host: '::1',
      port: 2525,
      secure: false,
      auth: undefined,
      timeout: 500,
    });
  });

  it('takes the parts one by one', () => {
    const mail = mailOf({
      ...production,
      mail: {
        backend: 'smtp',
        from: 'Polls <polls@example.com>',
        smtp: { host: 'smtp.example.com', port: 465, auth: { user: 'u', pass: 'p' } },
      },
    });
    assert.equal(mail.from, 'Polls <polls@example.com>');
    assert.deepEqual(mail.smtp, {
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      auth: { user: 'u', pass: 'p' },
      timeout: 10_000,
    });
    assert.equal(mailOf({ ...production, mail: { smtp: { port: 587 } } }).smtp.secure, false);
  });

  it('resolves the file folder and accepts a backend object', () => {
    assert.equal(
      mailOf({ ...production, mail: { backend: 'file', fileDir: 'tmp/mail' } }).fileDir,
      resolve('tmp/mail'),
    );
    const backend = new MemoryBackend();
    assert.equal(mailOf({ ...production, mail: { backend } }).backend, backend);
  });

  it('reports each mistake with the setting and the fix', () => {
    const bad = (mail: unknown) => () => mailOf({ ...production, mail } as CarafeConfig);
    assertConfigError(
      bad({ backend: 'smpt' }),
      'CARAFE_CONFIG',
      "mail.backend must be one of 'console', 'file', 'memory', 'smtp' (got \"smpt\"). Did you mean 'smtp'?",
    );
    assertConfigError(
      bad({ backend: {} }),
      'CARAFE_CONFIG',
      'mail.backend is an object without a send(messages) method',
    );
    assertConfigError(
      bad({ backend: 'file' }),
      'CARAFE_CONFIG',
      "mail.fileDir is missing while mail.backend is 'file'",
    );
    assertConfigError(
      bad({ form: 'a@example.com' }),
      'CARAFE_CONFIG',
      'mail.form is not a setting Carafe knows. Did you mean mail.from?',
    );
    assertConfigError(
      bad({ from: 'nobody' }),
      'CARAFE_CONFIG',
      'mail.from is not a usable sender',
      'it has no "@"',
    );
    assertConfigError(
      bad({ from: 'a@example.com\r\nBcc: b@example.com' }),
      'CARAFE_CONFIG',
      'mail.from is not a usable sender',
      'line break',
    );
    assertConfigError(
      bad({ smtp: { url: 'http://smtp.example.com' } }),
      'CARAFE_CONFIG',
      'mail.smtp.url must start with smtp:// or smtps://',
    );
    assertConfigError(
      bad({ smtp: { url: 'smtp://h/path?x=1' } }),
      'CARAFE_CONFIG',
      'mail.smtp.url has a path or query string',
    );
    assertConfigError(
      bad({ smtp: { url: 'smtp://h', host: 'h' } }),
      'CARAFE_CONFIG',
      'mail.smtp has both url and host',
    );
    assertConfigError(
      bad({ smtp: { port: 70_000 } }),
      'CARAFE_CONFIG',
      'mail.smtp.port must be a port number from 1 to 65535 (got 70000)',
    );
    assertConfigError(
      bad({ smtp: { auth: { user: 'u' } } }),
      'CARAFE_CONFIG',
      'mail.smtp.auth.pass must be a string',
    );
    assertConfigError(
      bad({ smtp: { secure: 'yes' } }),
      'CARAFE_CONFIG',
      'mail.smtp.secure must be true or false',
    );
  });

  it('never repeats an SMTP password in its errors', () => {
    assert.throws(
      () => mailOf({ ...production, mail: { smtp: { url: 'ftp://user:hunter2@h' } } }),
      (error: unknown) => error instanceof CarafeError && !error.message.includes('hunter2'),
    );
  });

  it('is checked the same way by configureMail, with its own error code', () => {
    assertConfigError(
      () => configureMail({ backend: 'file' }),
      'CARAFE_MAIL_CONFIG',
      "configureMail(): mail.fileDir is missing while mail.backend is 'file'",
    );
  });
});
