// The polls models in the admin: questions with their choices edited on the same page.
import { admin, inline } from 'carafe/admin';
import { Choice, Question, wasPublishedRecently } from './models.js';

admin.register(Question, {
  listDisplay: [
    'text',
    'pubDate',
    {
      label: 'Published recently?',
      value: (question) => wasPublishedRecently(question),
      boolean: true,
      orderBy: 'pubDate',
    },
  ],
  listFilter: ['pubDate'],
  searchFields: ['text'],
  fieldsets: [{ fields: ['text'] }, { title: 'Date information', fields: ['pubDate'] }],
  inlines: [inline(Choice, { fields: ['text', 'votes'], extra: 3 })],
});

admin.register(Choice, {
  listDisplay: ['text', 'question', 'votes'],
  searchFields: ['text', 'question.text'],
});
