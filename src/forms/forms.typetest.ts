// The cleaned data's type follows from the fields, with no annotations and no casts.
import { type Equal, expectTrue, expectType } from '../../test/support/type-assert.js';
import type { UploadedFile } from '../index.js';
import { type CleanedData, type CleanedValue, ff, form, formset } from './index.js';

const ContactForm = form(
  {
    name: ff.text({ max: 100 }),
    email: ff.email(),
    age: ff.integer({ min: 0, required: false }),
    score: ff.float(),
    topic: ff.choice(['bug', 'idea'] as const),
    labelled: ff.choice(
      [
        ['s', 'Small'],
        ['l', 'Large'],
      ],
      { required: false },
    ),
    level: ff.choice([1, 2, 3]),
    tags: ff.multipleChoice(['a', 'b', 'c'] as const),
    agree: ff.boolean(),
    when: ff.date(),
    at: ff.datetime({ required: false }),
    price: ff.decimal({ maxDigits: 6, decimalPlaces: 2 }),
    site: ff.url({ required: false }),
    attachment: ff.file({ required: false }),
    photo: ff.file(),
    password: ff.password(),
    next: ff.hidden(),
    id: ff.uuid({ required: false }),
  },
  {
    clean(data) {
      expectTrue<Equal<typeof data.age, number | null>>();
      if (data.topic === 'bug' && data.age === null)
        return { age: 'Tell us your age for bug reports.' };
      return undefined;
    },
  },
);

type Contact = CleanedData<typeof ContactForm.fields>;
expectTrue<
  Equal<
    Contact,
    {
      name: string;
      email: string;
      age: number | null;
      score: number;
      topic: 'bug' | 'idea';
      labelled: 's' | 'l' | null;
      level: 1 | 2 | 3;
      tags: ('a' | 'b' | 'c')[];
      agree: boolean;
      when: string;
      at: Date | null;
      price: string;
      site: string;
      attachment: UploadedFile | null;
      photo: UploadedFile;
      password: string;
      next: string;
      id: string | null;
    }
  >
>();

export async function view(data: Record<string, string>) {
  const bound = await ContactForm.bind(data);
  // Before the check, the data may be missing.
  expectTrue<Equal<typeof bound.cleanedData, Contact | undefined>>();
  if (bound.isValid()) {
    expectTrue<Equal<typeof bound.cleanedData, Contact>>();
    expectType<number | null>(bound.cleanedData.age);
  } else {
    expectType<readonly string[] | undefined>(bound.errors.email);
    expectType<readonly string[] | undefined>(bound.errors.__all__);
    // @ts-expect-error no such field
    void bound.errors.nope;
  }
  bound.field('email');
  // @ts-expect-error no such field
  bound.field('nope');
  ContactForm.unbound({ initial: { name: 'x', tags: ['a'], age: null } });
  // @ts-expect-error initial values have the field's type
  ContactForm.unbound({ initial: { age: '3' } });
  // @ts-expect-error not a choice
  ContactForm.unbound({ initial: { topic: 'other' } });
}

// `required` decides nullability; other options leave the value type alone.
declare const sometimes: boolean;
expectTrue<Equal<CleanedValue<ReturnType<typeof ff.integer<{ min: 0 }>>>, number>>();
expectTrue<
  Equal<CleanedValue<ReturnType<typeof ff.decimal<{ maxDigits: 4; decimalPlaces: 1 }>>>, string>
>();
const maybe = ff.integer({ required: sometimes });
expectTrue<Equal<CleanedValue<typeof maybe>, number | null>>();
const plain = ff.date();
expectTrue<Equal<CleanedValue<typeof plain>, string>>();

// Options are checked against the field kind.
// @ts-expect-error a text field is not shown as a checkbox
ff.text({ widget: 'checkbox' });
// @ts-expect-error validators take the field's value type
ff.integer({ validators: [(value: string) => (value ? undefined : 'x')] });
ff.integer({ validators: [(value) => (value % 2 === 0 ? undefined : 'Even numbers only.')] });
ff.choice(['a', 'b'], { validators: [(value) => (value === 'a' ? undefined : 'Only a.')] });
ff.multipleChoice(['a', 'b'] as const, {
  validators: [(values) => (values.length > 1 ? undefined : 'Pick two.')],
});

export async function formsets(data: Record<string, string>) {
  const Choices = formset(form({ text: ff.text(), votes: ff.integer({ required: false }) }), {
    extra: 2,
  });
  const set = await Choices.bind(data);
  if (set.isValid())
    expectTrue<Equal<typeof set.cleanedData, { text: string; votes: number | null }[]>>();
}
