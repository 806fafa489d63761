import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormError, ff, form } from './index.js';

const SignupForm = form(
  {
    username: ff.text({ max: 20 }),
    password: ff.password({ min: 8 }),
    confirm: ff.password(),
    age: ff.integer({ min: 13, required: false }),
    topics: ff.multipleChoice(['news', 'offers'] as const, { required: false }),
  },
  {
    clean(data) {
      if (data.password !== data.confirm) return { confirm: 'The two passwords differ.' };
      if (data.username === 'admin') return 'That name is reserved.';
      return undefined;
    },
  },
);

const good = {
  username: 'ada',
  password: 'correct horse',
  confirm: 'correct horse',
  age: '36',
  topics: ['news'],
};

describe('binding and validation', () => {
  it('cleans valid data to typed values', async () => {
    const bound = await SignupForm.bind(good);
    assert.equal(bound.isBound, true);
    assert.equal(bound.isValid(), true);
    assert.deepEqual(bound.errors, {});
    assert.deepEqual(bound.cleanedData, {
      username: 'ada',
      password: 'correct horse',
      confirm: 'correct horse',
      age: 36,
      topics: ['news'],
    });
  });

  it('collects every field’s errors and leaves cleanedData unset', async () => {
    const bound = await SignupForm.bind({
      username: '',
      password: 'short',
      confirm: 'x',
      age: '12',
    });
    assert.equal(bound.isValid(), false);
    assert.equal(bound.cleanedData, undefined);
    assert.deepEqual(bound.errors, {
      username: ['This field is required.'],
      password: ['Ensure this value has at least 8 characters (it has 5).'],
      age: ['Ensure this value is greater than or equal to 13.'],
    });
  });

  it('runs clean() once the fields are valid, for field and form errors', async () => {
    const mismatch = await SignupForm.bind({ ...good, confirm: 'other' });
    assert.deepEqual(mismatch.errors, { confirm: ['The two passwords differ.'] });
    const reserved = await SignupForm.bind({ ...good, username: 'admin' });
    assert.deepEqual(reserved.errors, { __all__: ['That name is reserved.'] });
    assert.deepEqual(reserved.nonFieldErrors(), ['That name is reserved.']);
  });

  it('accepts a thrown FormError from clean() and may adjust the data', async () => {
    const Booking = form(
      { start: ff.date(), end: ff.date(), note: ff.text({ required: false }) },
      {
        async clean(data) {
          if (data.end < data.start)
            throw new FormError({
              end: 'The end is before the start.',
              __all__: 'Check the dates.',
            });
          data.note = data.note.toUpperCase();
        },
      },
    );
    const bad = await Booking.bind({ start: '2024-05-02', end: '2024-05-01' });
    assert.deepEqual(bad.errors, {
      end: ['The end is before the start.'],
      __all__: ['Check the dates.'],
    });
    const fine = await Booking.bind({ start: '2024-05-01', end: '2024-05-02', note: 'late' });
    assert.equal(fine.cleanedData?.note, 'LATE');
  });

  it('lets other errors from clean() through', async () => {
    const Broken = form(
      { a: ff.text() },
      {
        clean: () => {
          throw new TypeError('bug');
        },
      },
    );
    await assert.rejects(Broken.bind({ a: 'x' }), TypeError);
  });

  it('adds errors after validation and becomes invalid', async () => {
    const bound = await SignupForm.bind(good);
    bound.addError('__all__', 'Wrong username or password.');
    bound.addError('username', ['Locked.', 'Try later.']);
    assert.equal(bound.isValid(), false);
    assert.deepEqual(bound.errors, {
      __all__: ['Wrong username or password.'],
      username: ['Locked.', 'Try later.'],
    });
    // @ts-expect-error not a field of the form
    assert.throws(() => bound.addError('nope', 'x'), { code: 'CARAFE_FORMS_UNKNOWN_FIELD' });
  });

  it('is neither bound nor valid when unbound, and shows initial values', () => {
    const empty = SignupForm.unbound({ initial: { username: 'guest', topics: ['offers'] } });
    assert.equal(empty.isBound, false);
    assert.equal(empty.isValid(), false);
    assert.deepEqual(empty.errors, {});
    assert.equal(empty.field('username').value, 'guest');
    assert.deepEqual(empty.field('topics').value, ['offers']);
    assert.equal(empty.field('age').value, '');
  });

  it('reads prefixed names', async () => {
    const bound = await SignupForm.bind(
      {
        'new-username': 'ada',
        'new-password': 'correct horse',
        'new-confirm': 'correct horse',
        username: 'ignored',
      },
      { prefix: 'new' },
    );
    assert.equal(bound.cleanedData?.username, 'ada');
    assert.equal(bound.field('username').htmlName, 'new-username');
    await assert.rejects(SignupForm.bind({}, { prefix: 'a b' }), {
      code: 'CARAFE_FORMS_DEFINITION',
    });
  });

  it('keeps disabled fields at their initial value whatever is sent', async () => {
    const Profile = form({ email: ff.email({ disabled: true }), name: ff.text() });
    const bound = await Profile.bind(
      { email: 'evil@example.com', name: 'Ada' },
      { initial: { email: 'ada@example.com' } },
    );
    assert.deepEqual(bound.cleanedData, { email: 'ada@example.com', name: 'Ada' });
    assert.equal(bound.field('email').value, 'ada@example.com');
  });

  it('reports which fields changed from their initial values', async () => {
    const Settings = form({
      name: ff.text(),
      when: ff.time(),
      alerts: ff.boolean({ required: false }),
    });
    const initial = { name: 'Ada', when: '09:00:00', alerts: false };
    const same = await Settings.bind({ name: ' Ada ', when: '09:00' }, { initial });
    assert.deepEqual(same.changedFields(), []);
    const changed = await Settings.bind({ name: 'Ada', when: '10:00', alerts: 'on' }, { initial });
    assert.deepEqual(changed.changedFields(), ['when', 'alerts']);
    assert.equal(changed.hasChanged(), true);
  });
});

describe('hostile input', () => {
  it('ignores submitted names that are not fields, __proto__ included', async () => {
    const data = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "constructor": "x", "username": "ada", "password": "correct horse", "confirm": "correct horse"}',
    );
    const bound = await SignupForm.bind(data);
    assert.equal(bound.isValid(), true);
    assert.equal(Object.hasOwn(bound.cleanedData ?? {}, '__proto__'), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses field names that would break objects or HTML', () => {
    const reserved = {};
    Object.defineProperty(reserved, '__proto__', { value: ff.text(), enumerable: true });
    assert.throws(() => form(reserved), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /"__proto__" cannot be a field name/,
    });
    assert.throws(() => form({ __all__: ff.text() }), { code: 'CARAFE_FORMS_DEFINITION' });
    assert.throws(() => form({ 'a-b': ff.text() }), { code: 'CARAFE_FORMS_DEFINITION' });
    assert.throws(() => form({ '"><x': ff.text() }), { code: 'CARAFE_FORMS_DEFINITION' });
    // @ts-expect-error not a form field
    assert.throws(() => form({ name: 'text' }), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /build it with ff/,
    });
  });

  it('treats non-string values in plain data as absent', async () => {
    const Numbers = form({ n: ff.integer() });
    // @ts-expect-error plain data holds strings, as a browser sends them
    const bound = await Numbers.bind({ n: 5 });
    assert.deepEqual(bound.errors, { n: ['This field is required.'] });
  });

  it('binds anything shaped like a request (another copy of the core’s, a test double)', async () => {
    const Search = form({ q: ff.text() });
    const post = {
      method: 'POST',
      query: new URLSearchParams('q=query'),
      form: async () => new URLSearchParams('q=body'),
    };
    assert.equal((await Search.bind(post)).cleanedData?.q, 'body');
    assert.equal((await Search.bind({ ...post, method: 'GET' })).cleanedData?.q, 'query');
  });

  it('binds URLSearchParams (a GET form)', async () => {
    const Search = form({ q: ff.text(), page: ff.integer({ required: false }) });
    const bound = await Search.bind(new URLSearchParams('q=tea&page=2'));
    assert.deepEqual(bound.cleanedData, { q: 'tea', page: 2 });
  });
});
