import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../index.js';
import { formatAddress, parseAddress, parseAddressList } from './address.js';

function assertCode(action: () => unknown, code: string, fragment?: string) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, code);
    if (fragment !== undefined) assert.ok(error.message.includes(fragment), error.message);
    return true;
  });
}

describe('parseAddress', () => {
  it('reads the forms people write', () => {
    assert.deepEqual(parseAddress('ada@example.com', 'to'), {
      name: undefined,
      address: 'ada@example.com',
    });
    assert.deepEqual(parseAddress(' Ada Lovelace <ada@example.com> ', 'to'), {
      name: 'Ada Lovelace',
      address: 'ada@example.com',
    });
    assert.deepEqual(parseAddress('"Lovelace, Ada" <ada@example.com>', 'to'), {
      name: 'Lovelace, Ada',
      address: 'ada@example.com',
    });
    assert.deepEqual(parseAddress({ name: 'Zoë', address: 'zoe@exämple.org' }, 'to'), {
      name: 'Zoë',
      address: 'zoe@exämple.org',
    });
    assert.deepEqual(parseAddress('root@localhost', 'to').address, 'root@localhost');
    assert.deepEqual(parseAddress('me+tag@[127.0.0.1]', 'to').address, 'me+tag@[127.0.0.1]');
  });

  it('refuses what is not an address, naming the field and the problem', () => {
    assertCode(
      () => parseAddress('ada.example.com', 'to'),
      'CARAFE_MAIL_ADDRESS',
      'The email to "ada.example.com" is not a valid address: it has no "@"',
    );
    assertCode(
      () => parseAddress('ada@example', 'cc'),
      'CARAFE_MAIL_ADDRESS',
      '"example" is not a domain name',
    );
    assertCode(() => parseAddress('ada@-example.com', 'to'), 'CARAFE_MAIL_ADDRESS');
    assertCode(() => parseAddress('ada@example.123', 'to'), 'CARAFE_MAIL_ADDRESS');
    assertCode(
      () => parseAddress('a..b@example.com', 'to'),
      'CARAFE_MAIL_ADDRESS',
      'is not a valid mailbox name',
    );
    assertCode(
      () => parseAddress('@example.com', 'to'),
      'CARAFE_MAIL_ADDRESS',
      'nothing comes before',
    );
    assertCode(
      () => parseAddress(`${'x'.repeat(65)}@example.com`, 'to'),
      'CARAFE_MAIL_ADDRESS',
      'longer than 64',
    );
    assertCode(
      () => parseAddress('a@example.com, b@example.com', 'to'),
      'CARAFE_MAIL_ADDRESS',
      'pass several addresses as an array',
    );
    assertCode(
      () => parseAddress('Lovelace, Ada <ada@example.com>', 'to'),
      'CARAFE_MAIL_ADDRESS',
      'quote it',
    );
    assertCode(() => parseAddress('Ada <ada@example.com', 'to'), 'CARAFE_MAIL_ADDRESS');
    assertCode(
      () => parseAddress({ name: 'Ada', address: 'nope' }, 'from'),
      'CARAFE_MAIL_ADDRESS',
      'The email from "nope"',
    );
  });

  it('refuses a line break anywhere, since it could start a new header', () => {
    assertCode(
      () => parseAddress('ada@example.com\r\nBcc: all@example.com', 'to'),
      'CARAFE_MAIL_HEADER_INJECTION',
      'The email to contains a line break',
    );
    assertCode(() => parseAddress('Ada\n <ada@example.com>', 'to'), 'CARAFE_MAIL_HEADER_INJECTION');
    assertCode(
      () =>
        parseAddress({ name: 'Ada\rBcc: x@example.com', address: 'ada@example.com' }, 'replyTo'),
      'CARAFE_MAIL_HEADER_INJECTION',
      'replyTo name',
    );
  });

  it('numbers the entries of a list in its errors', () => {
    assert.equal(parseAddressList(['a@example.com', 'b@example.com'], 'to').length, 2);
    assertCode(
      () => parseAddressList(['a@example.com', 'b@'], 'bcc'),
      'CARAFE_MAIL_ADDRESS',
      'The email bcc[1] "b@"',
    );
    assert.deepEqual(parseAddressList(undefined, 'cc'), []);
  });
});

describe('formatAddress', () => {
  it('quotes a name only when it needs quotes', () => {
    assert.equal(formatAddress({ name: undefined, address: 'a@example.com' }), 'a@example.com');
    assert.equal(
      formatAddress({ name: 'Ada Lovelace', address: 'a@example.com' }),
      'Ada Lovelace <a@example.com>',
    );
    assert.equal(
      formatAddress({ name: 'Lovelace, Ada', address: 'a@example.com' }),
      '"Lovelace, Ada" <a@example.com>',
    );
    assert.equal(
      formatAddress({ name: 'The "Countess"', address: 'a@example.com' }),
      '"The \\"Countess\\"" <a@example.com>',
    );
    const round = parseAddress(
      formatAddress({ name: 'The "Countess", Ada', address: 'a@example.com' }),
      'to',
    );
    assert.deepEqual(round, { name: 'The "Countess", Ada', address: 'a@example.com' });
    const angled = formatAddress({ name: 'Ada <admin>', address: 'a@example.com' });
    assert.equal(angled, '"Ada <admin>" <a@example.com>');
    assert.deepEqual(parseAddress(angled, 'to'), { name: 'Ada <admin>', address: 'a@example.com' });
  });
});
