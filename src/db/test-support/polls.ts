// Models shared by the ORM's tests: the tutorial's polls plus tags (many-to-many).
import { f, model } from '../index.js';

export const Question = model(
  'polls.Question',
  {
    text: f.string({ max: 200 }),
    pubDate: f.datetime({ label: 'date published', default: () => new Date() }),
    tags: f.manyToMany(() => Tag, { relatedName: 'questions' }),
  },
  { ordering: ['-pubDate'], display: (q) => q.text },
);

export const Choice = model('polls.Choice', {
  question: f.foreignKey(() => Question, { onDelete: 'cascade', relatedName: 'choices' }),
  text: f.string({ max: 200 }),
  votes: f.integer({ default: 0 }),
});

export const Tag = model('polls.Tag', {
  name: f.string({ max: 50, unique: true }),
});

export const pollModels = [Question, Choice, Tag];

declare module '../index.js' {
  interface RegisteredModels {
    polls: typeof import('./polls.js');
  }
}
