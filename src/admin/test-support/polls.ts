// The models the admin tests (and the browser test) work on: questions with a category, tags and
// choices, covering foreign keys, many-to-many, choices, booleans, dates and inline children.
import { f, model } from '../../db/index.js';
import { defineApp } from '../../index.js';

export const Category = model(
  'polls.Category',
  { name: f.string({ max: 100 }) },
  { display: (category) => category.name, verboseNamePlural: 'categories' },
);

export const Tag = model(
  'polls.Tag',
  { name: f.string({ max: 50 }) },
  { display: (tag) => tag.name },
);

export const Question = model(
  'polls.Question',
  {
    text: f.string({ max: 200 }),
    pubDate: f.datetime({ label: 'date published', default: () => new Date() }),
    isOpen: f.boolean({ default: true, label: 'open' }),
    kind: f.choice(['poll', 'quiz'], { default: 'poll' }),
    category: f.foreignKey(() => Category, {
      onDelete: 'setNull',
      nullable: true,
      blank: true,
      relatedName: 'questions',
    }),
    tags: f.manyToMany(() => Tag, { relatedName: 'questions', blank: true }),
  },
  { display: (question) => question.text },
);

export const Choice = model(
  'polls.Choice',
  {
    question: f.foreignKey(() => Question, { onDelete: 'cascade', relatedName: 'choices' }),
    text: f.string({ max: 200 }),
    votes: f.integer({ default: 0 }),
  },
  { display: (choice) => choice.text },
);

/** A note that refuses to let its question go: deleting the question is blocked. */
export const Pin = model(
  'polls.Pin',
  {
    question: f.foreignKey(() => Question, { onDelete: 'protect', relatedName: 'pins' }),
    note: f.string({ max: 100 }),
  },
  { display: (pin) => pin.note },
);

export const polls = defineApp({
  name: 'polls',
  models: [Category, Tag, Question, Choice, Pin],
  migrations: new URL('./migrations/', import.meta.url),
});
