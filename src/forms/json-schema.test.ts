import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ff, form } from './index.js';

describe('jsonSchema()', () => {
  it('describes each field’s cleaned value, with required fields listed', () => {
    const ContactForm = form({
      name: ff.text({
        max: 100,
        min: 2,
        label: 'Your name',
        helpText: 'As you like to be called.',
      }),
      email: ff.email(),
      age: ff.integer({ min: 0, max: 150, required: false }),
      topic: ff.choice(['bug', 'idea'], { required: false }),
      level: ff.choice([1, 2]),
      tags: ff.multipleChoice(['a', 'b']),
      agree: ff.boolean(),
      newsletter: ff.boolean({ required: false, initial: true }),
      when: ff.date({ initial: '2024-01-01' }),
      at: ff.datetime({ initial: new Date('2024-01-01T10:00:00Z') }),
      price: ff.decimal({ maxDigits: 6, decimalPlaces: 2 }),
      site: ff.url({ required: false }),
      password: ff.password(),
      country: ff.text({ disabled: true, initial: 'FR' }),
    });
    assert.deepEqual(ContactForm.jsonSchema(), {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        name: {
          type: 'string',
          maxLength: 100,
          minLength: 2,
          title: 'Your name',
          description: 'As you like to be called.',
        },
        email: { type: 'string', format: 'email', maxLength: 254, title: 'Email' },
        age: { type: ['integer', 'null'], minimum: 0, maximum: 150, title: 'Age' },
        topic: { enum: ['bug', 'idea', null], title: 'Topic' },
        level: { enum: [1, 2], title: 'Level' },
        tags: {
          type: 'array',
          items: { enum: ['a', 'b'] },
          uniqueItems: true,
          minItems: 1,
          title: 'Tags',
        },
        agree: { type: 'boolean', const: true, title: 'Agree' },
        newsletter: { type: 'boolean', title: 'Newsletter', default: true },
        when: { type: 'string', format: 'date', title: 'When', default: '2024-01-01' },
        at: {
          type: 'string',
          format: 'date-time',
          title: 'At',
          default: '2024-01-01T10:00:00.000Z',
        },
        price: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', title: 'Price' },
        site: { type: 'string', format: 'uri', maxLength: 200, title: 'Site' },
        password: { type: 'string', title: 'Password', writeOnly: true },
        country: { type: 'string', title: 'Country', default: 'FR', readOnly: true },
      },
      required: ['name', 'email', 'level', 'tags', 'agree', 'when', 'at', 'price', 'password'],
      additionalProperties: false,
    });
  });

  it('is plain JSON', () => {
    const schema = form({ file: ff.file({ required: false }) }).jsonSchema();
    assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
    assert.deepEqual(schema.properties, {
      file: {
        type: ['string', 'null'],
        contentMediaType: 'application/octet-stream',
        title: 'File',
        writeOnly: true,
      },
    });
  });

  it('matches the decimal field’s accepted values with its pattern', async () => {
    const pattern = new RegExp(
      String(
        (form({ p: ff.decimal() }).jsonSchema().properties as Record<string, { pattern: string }>).p
          .pattern,
      ),
    );
    const Price = form({ p: ff.decimal() });
    for (const sent of ['+012.50', '.5', '-3', '7.']) {
      const bound = await Price.bind({ p: sent });
      assert.match(String(bound.cleanedData?.p), pattern, sent);
    }
  });
});
