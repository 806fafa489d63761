import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UploadedFile } from '../index.js';
import { type FormField, ff, form } from './index.js';

/** Binds one field named `x` and returns its cleaned value or its errors. */
async function check(
  field: FormField,
  sent: string | string[] | undefined,
  files?: UploadedFile[],
) {
  const bound = await form({ x: field }).bind(
    sent === undefined ? {} : { x: sent },
    files ? { files: { x: files } } : {},
  );
  return bound.isValid() ? { value: bound.cleanedData.x } : { errors: bound.errors.x };
}

const required = { errors: ['This field is required.'] };

function upload(content: string, filename = 'a.txt', contentType = 'text/plain'): UploadedFile {
  const bytes = Buffer.from(content);
  return {
    fieldName: 'x',
    filename,
    contentType,
    size: bytes.length,
    path: undefined,
    bytes: async () => bytes,
    text: async () => content,
    stream: () => {
      throw new Error('not used');
    },
    saveTo: async () => {},
  };
}

describe('text fields', () => {
  it('trims, requires a value by default and cleans an optional empty one to ""', async () => {
    assert.deepEqual(await check(ff.text(), '  Ada  '), { value: 'Ada' });
    assert.deepEqual(await check(ff.text(), '   '), required);
    assert.deepEqual(await check(ff.text(), undefined), required);
    assert.deepEqual(await check(ff.text({ required: false }), ''), { value: '' });
    assert.deepEqual(await check(ff.text({ strip: false }), ' a '), { value: ' a ' });
  });

  it('checks max and min lengths with the model layer’s messages', async () => {
    assert.deepEqual(await check(ff.text({ max: 3 }), 'abcd'), {
      errors: ['Ensure this value has at most 3 characters (it has 4).'],
    });
    assert.deepEqual(await check(ff.text({ min: 3 }), 'ab'), {
      errors: ['Ensure this value has at least 3 characters (it has 2).'],
    });
    assert.deepEqual(await check(ff.text({ max: 100 }), 'x'.repeat(100_000)), {
      errors: ['Ensure this value has at most 100 characters (it has 100000).'],
    });
  });

  it('takes the last value when a single-value field is sent twice', async () => {
    assert.deepEqual(await check(ff.text(), ['first', 'last']), { value: 'last' });
  });

  it('validates emails, URLs and slugs', async () => {
    assert.deepEqual(await check(ff.email(), 'ada@example.com'), { value: 'ada@example.com' });
    assert.deepEqual(await check(ff.email(), 'ada@'), { errors: ['Enter a valid email address.'] });
    assert.deepEqual(await check(ff.url(), 'example.com/a'), { value: 'https://example.com/a' });
    assert.deepEqual(await check(ff.url(), 'http://example.com'), { value: 'http://example.com' });
    assert.deepEqual(await check(ff.url(), 'javascript:alert(1)'), {
      errors: ['Enter a valid URL.'],
    });
    assert.deepEqual(await check(ff.slug(), 'a-b_c'), { value: 'a-b_c' });
    assert.deepEqual((await check(ff.slug(), 'a b')).errors?.length, 1);
  });

  it('keeps passwords exactly as typed', async () => {
    assert.deepEqual(await check(ff.password(), ' secret '), { value: ' secret ' });
  });

  it('normalizes UUIDs and rejects others', async () => {
    assert.deepEqual(await check(ff.uuid(), 'A0EEBC999C0B4EF8BB6D6BB9BD380A11'), {
      value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    assert.deepEqual(await check(ff.uuid(), 'nope'), { errors: ['Enter a valid UUID.'] });
    assert.deepEqual(await check(ff.uuid({ required: false }), ''), { value: null });
  });

  it('runs user validators after conversion, only on non-empty values', async () => {
    const noBob = (value: string) => (value === 'bob' ? 'Not Bob.' : undefined);
    assert.deepEqual(await check(ff.text({ validators: [noBob] }), 'bob'), {
      errors: ['Not Bob.'],
    });
    assert.deepEqual(await check(ff.text({ validators: [noBob], required: false }), ''), {
      value: '',
    });
  });
});

describe('number fields', () => {
  it('converts whole numbers and explains what is wrong', async () => {
    assert.deepEqual(await check(ff.integer(), ' 42 '), { value: 42 });
    assert.deepEqual(await check(ff.integer(), '-0'), { value: 0 });
    for (const bad of ['4.5', '1e3', 'abc', '0x10', '12abc']) {
      assert.deepEqual(await check(ff.integer(), bad), { errors: ['Enter a whole number.'] }, bad);
    }
    assert.deepEqual(await check(ff.integer(), '9'.repeat(400)), {
      errors: [`Ensure this value is less than or equal to ${Number.MAX_SAFE_INTEGER}.`],
    });
    assert.deepEqual(await check(ff.integer({ required: false }), ''), { value: null });
  });

  it('applies min and max', async () => {
    assert.deepEqual(await check(ff.integer({ min: 0 }), '-1'), {
      errors: ['Ensure this value is greater than or equal to 0.'],
    });
    assert.deepEqual(await check(ff.integer({ max: 10 }), '11'), {
      errors: ['Ensure this value is less than or equal to 10.'],
    });
  });

  it('converts floats, refusing infinities', async () => {
    assert.deepEqual(await check(ff.float(), '1.5e2'), { value: 150 });
    assert.deepEqual(await check(ff.float(), '.5'), { value: 0.5 });
    assert.deepEqual(await check(ff.float(), '1e400'), { errors: ['Enter a number.'] });
    assert.deepEqual(await check(ff.float(), 'NaN'), { errors: ['Enter a number.'] });
  });

  it('keeps decimals exact, as normalized strings, and checks their digits', async () => {
    const price = ff.decimal({ maxDigits: 6, decimalPlaces: 2 });
    assert.deepEqual(await check(price, '+0012.50'), { value: '12.50' });
    assert.deepEqual(await check(price, '.5'), { value: '0.5' });
    assert.deepEqual(await check(price, '-0.00'), { value: '0.00' });
    assert.deepEqual(await check(price, '1.234'), {
      errors: ['Ensure that there are no more than 2 decimal places.'],
    });
    assert.deepEqual(await check(price, '12345.6'), {
      errors: ['Ensure that there are no more than 4 digits before the decimal point.'],
    });
    assert.deepEqual(await check(price, '1,5'), { errors: ['Enter a number.'] });
    assert.deepEqual(await check(price, '.'), { errors: ['Enter a number.'] });
    assert.deepEqual(await check(ff.decimal({ min: 0 }), '-1.5'), {
      errors: ['Ensure this value is greater than or equal to 0.'],
    });
  });
});

describe('choice fields', () => {
  it('accepts listed values and names the one it refuses', async () => {
    const topic = ff.choice(['bug', ['idea', 'An idea']]);
    assert.deepEqual(await check(topic, 'idea'), { value: 'idea' });
    assert.deepEqual(await check(topic, 'other'), {
      errors: ['Select a valid choice. other is not one of the available choices.'],
    });
    assert.deepEqual(await check(topic, ''), required);
    assert.deepEqual(await check(ff.choice(['a'], { required: false }), ''), { value: null });
  });

  it('returns numeric choices as numbers', async () => {
    assert.deepEqual(await check(ff.choice([1, 2, 3]), '2'), { value: 2 });
  });

  it('shortens a huge refused value in the message', async () => {
    const result = await check(ff.choice(['a']), 'z'.repeat(5000));
    assert.equal(
      result.errors?.[0],
      `Select a valid choice. ${'z'.repeat(100)}… is not one of the available choices.`,
    );
  });

  it('cleans multiple choices to a list without duplicates and rejects a bad item', async () => {
    const tags = ff.multipleChoice(['a', 'b', 'c']);
    assert.deepEqual(await check(tags, ['c', 'a', 'c']), { value: ['c', 'a'] });
    assert.deepEqual(await check(tags, ['a', 'x']), {
      errors: ['Select a valid choice. x is not one of the available choices.'],
    });
    assert.deepEqual(await check(tags, undefined), required);
    assert.deepEqual(await check(ff.multipleChoice(['a'], { required: false }), undefined), {
      value: [],
    });
  });

  it('reads checkboxes as browsers and hidden fallbacks send them', async () => {
    const optional = ff.boolean({ required: false });
    assert.deepEqual(await check(optional, 'on'), { value: true });
    assert.deepEqual(await check(optional, undefined), { value: false });
    for (const off of ['false', '0', 'off', ''])
      assert.deepEqual(await check(optional, off), { value: false });
    assert.deepEqual(await check(optional, ['0', '1']), { value: true });
    assert.deepEqual(await check(ff.boolean(), undefined), required);
  });
});

describe('date and time fields', () => {
  it('accepts real days only', async () => {
    assert.deepEqual(await check(ff.date(), '2024-02-29'), { value: '2024-02-29' });
    for (const bad of ['2023-02-29', '2024-13-01', '24-1-1', 'tomorrow']) {
      assert.deepEqual(await check(ff.date(), bad), { errors: ['Enter a valid date.'] }, bad);
    }
    assert.deepEqual(await check(ff.date({ min: '2024-01-01' }), '2023-12-31'), {
      errors: ['Ensure this value is greater than or equal to 2024-01-01.'],
    });
  });

  it('normalizes times', async () => {
    assert.deepEqual(await check(ff.time(), '09:05'), { value: '09:05:00' });
    assert.deepEqual(await check(ff.time(), '23:59:59.500'), { value: '23:59:59.5' });
    assert.deepEqual(await check(ff.time(), '24:00'), { errors: ['Enter a valid time.'] });
  });

  it('reads datetime-local input in the field’s zone, and explicit offsets as given', async () => {
    assert.deepEqual(await check(ff.datetime(), '2024-05-01T13:45'), {
      value: new Date('2024-05-01T13:45:00Z'),
    });
    const paris = ff.datetime({ timeZone: 'Europe/Paris' });
    assert.deepEqual(await check(paris, '2024-05-01T13:45'), {
      value: new Date('2024-05-01T11:45:00Z'),
    });
    assert.deepEqual(await check(paris, '2024-05-01T13:45:00+05:30'), {
      value: new Date('2024-05-01T08:15:00Z'),
    });
    assert.deepEqual(await check(paris, '2024-05-01 13:45:00Z'), {
      value: new Date('2024-05-01T13:45:00Z'),
    });
    // Clocks went back at 03:00 CEST: 02:30 happened twice; the earlier one is taken.
    assert.deepEqual(await check(paris, '2024-10-27T02:30'), {
      value: new Date('2024-10-27T00:30:00Z'),
    });
    // Clocks jumped from 02:00 to 03:00: 02:30 never happened; it is read as 03:30.
    assert.deepEqual(await check(paris, '2024-03-31T02:30'), {
      value: new Date('2024-03-31T01:30:00Z'),
    });
    for (const bad of ['2024-02-30T10:00', '2024-05-01T25:00', '2024-05-01', 'now']) {
      assert.deepEqual(await check(paris, bad), { errors: ['Enter a valid date/time.'] }, bad);
    }
  });

  it('refuses an unknown time zone when the field is defined', () => {
    assert.throws(() => ff.datetime({ timeZone: 'Mars/Olympus' }), {
      code: 'CARAFE_FORMS_DEFINITION',
    });
  });
});

describe('file fields', () => {
  it('cleans to the uploaded file', async () => {
    const file = upload('hello');
    assert.deepEqual(await check(ff.file(), undefined, [file]), { value: file });
    assert.deepEqual(await check(ff.file(), undefined), required);
    assert.deepEqual(await check(ff.file({ required: false }), undefined), { value: null });
  });

  it('explains a text value where a file was expected (a form without multipart encoding)', async () => {
    assert.deepEqual(await check(ff.file({ required: false }), 'report.pdf'), {
      errors: ['No file was submitted. Check the encoding type on the form.'],
    });
  });

  it('refuses empty, oversized and unaccepted files', async () => {
    assert.deepEqual(await check(ff.file(), undefined, [upload('')]), {
      errors: ['The submitted file is empty.'],
    });
    assert.deepEqual(await check(ff.file({ maxSize: 3 }), undefined, [upload('hello')]), {
      errors: ['Ensure this file is at most 3 bytes (it is 5).'],
    });
    const images = ff.file({ accept: ['image/*', '.pdf'] });
    assert.deepEqual(await check(images, undefined, [upload('x', 'a.txt')]), {
      errors: ['This type of file is not accepted. Upload one of: image/*, .pdf.'],
    });
    assert.equal(
      (await check(images, undefined, [upload('x', 'a.png', 'image/png')])).errors,
      undefined,
    );
    assert.equal(
      (await check(images, undefined, [upload('x', 'A.PDF', 'application/octet-stream')])).errors,
      undefined,
    );
  });
});

describe('field definitions', () => {
  it('refuses a widget the field cannot use, bad options and bad attribute names', () => {
    // @ts-expect-error a choice is not shown as a textarea
    assert.throws(() => ff.choice(['a'], { widget: 'textarea' }), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /select, radio, hidden/,
    });
    assert.throws(() => ff.text({ max: 0 }), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /max must be a whole number ≥ 1/,
    });
    assert.throws(() => ff.integer({ min: 5, max: 1 }), { code: 'CARAFE_FORMS_DEFINITION' });
    assert.throws(() => ff.decimal({ maxDigits: 5 }), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /both maxDigits and decimalPlaces/,
    });
    assert.throws(() => ff.choice([]), { code: 'CARAFE_FORMS_DEFINITION' });
    assert.throws(() => ff.choice(['a', 'a']), {
      code: 'CARAFE_FORMS_DEFINITION',
      message: /listed twice/,
    });
    assert.throws(() => ff.text({ attrs: { 'onclick="x"': 'y' } }), {
      code: 'CARAFE_FORMS_DEFINITION',
    });
    assert.throws(() => ff.file({ accept: ['"><x'] }), { code: 'CARAFE_FORMS_DEFINITION' });
  });
});
