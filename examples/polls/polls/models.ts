// The tutorial's two models. Everything else — the tables, the migration, the admin's forms,
// the types of the rows — is read from these definitions.
import { f, type InstanceOf, model } from 'carafe/db';

export const Question = model(
  'polls.Question',
  {
    text: f.string({ max: 200 }),
    pubDate: f.datetime({ label: 'date published', default: () => new Date() }),
  },
  { ordering: ['-pubDate'], display: (question) => question.text },
);

export const Choice = model(
  'polls.Choice',
  {
    question: f.foreignKey(() => Question, { onDelete: 'cascade', relatedName: 'choices' }),
    text: f.string({ max: 200 }),
    votes: f.integer({ default: 0 }),
  },
  { ordering: ['id'], display: (choice) => choice.text },
);

export type Question = InstanceOf<typeof Question>;
export type Choice = InstanceOf<typeof Choice>;

// Tells TypeScript that questions have `choices`, so prefetch('choices') and filters through it
// type-check. (The examples are type-checked as their own program, apart from the repository's
// tests, whose models use the same labels.)
declare module 'carafe/db' {
  interface RegisteredModels {
    polls: typeof import('./models.js');
  }
}

const day = 24 * 60 * 60 * 1000;

/**
 * Published within the last day — and not in the future (the bug the tutorial's part 5 finds with
 * its first test).
 */
export function wasPublishedRecently(
  question: Pick<Question, 'pubDate'>,
  now = new Date(),
): boolean {
  const age = now.getTime() - question.pubDate.getTime();
  return age >= 0 && age <= day;
}
