import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDatabase } from '../../../test/support/databases.js';
import { CarafeError } from '../../index.js';
import type { Database } from '../connection/index.js';
import type { ModelClass } from '../model.js';
import { f } from '../fields/builders.js';
import { Now } from '../query/expressions.js';
import {
  applied,
  callText,
  type Definition,
  liveModels,
  normalized,
  stateOf,
} from '../test-support/model-states.js';
import { type AppChanges, detectChanges } from './autodetector.js';
import type { Operation } from './operations/operation.js';
import { type NonInteractiveOptions, nonInteractiveQuestioner } from './questioner.js';
import { createSchemaEditor } from './schema-editor/index.js';
import { ProjectState } from './state.js';

interface Case {
  readonly name: string;
  readonly from: Definition[];
  readonly to: Definition[];
  /** The flags of a non-interactive run. */
  readonly flags?: NonInteractiveOptions;
  readonly apps?: string[];
  /** Operations by app, as the calls a migration file holds. */
  readonly expected?: Record<string, string[]>;
  readonly dependsOn?: Record<string, string[]>;
  /** Or: the error code and phrases its message must contain. */
  readonly error?: readonly [code: string, ...phrases: string[]];
}

const question = (fields = {}): Definition => [
  'polls.Question',
  { text: f.string({ max: 200 }), ...fields },
];
const choice = (fields = {}): Definition => [
  'polls.Choice',
  { question: f.foreignKey('polls.Question', { onDelete: 'cascade' }), ...fields },
];

const cases: Case[] = [
  {
    name: 'a new model',
    from: [],
    to: [question({ pubDate: f.datetime({ dbDefault: Now() }) })],
    expected: {
      polls: [
        "createModel('polls.Question', { table: 'polls_question', fields: { id: f.bigAuto(), text: f.string({ max: 200 }), pubDate: f.datetime({ dbDefault: Now() }) } })",
      ],
    },
  },
  {
    name: 'a deleted model',
    from: [question()],
    to: [],
    expected: { polls: ["deleteModel('polls.Question')"] },
  },
  {
    name: 'a renamed model, confirmed by --rename',
    from: [question(), choice()],
    to: [
      ['polls.Query', { text: f.string({ max: 200 }) }],
      ['polls.Choice', { question: f.foreignKey('polls.Query', { onDelete: 'cascade' }) }],
    ],
    flags: { renames: ['polls.Question=polls.Query'] },
    expected: { polls: ["renameModel('polls.Question', 'polls.Query', { table: 'polls_query' })"] },
  },
  {
    name: 'a possibly renamed model without a flag',
    from: [question()],
    to: [['polls.Query', { text: f.string({ max: 200 }) }]],
    error: [
      'CARAFE_MIGRATION_RENAME_AMBIGUOUS',
      '--rename polls.Question=polls.Query',
      '--no-rename polls.Question',
    ],
  },
  {
    name: 'a model declared not renamed',
    from: [question()],
    to: [['polls.Query', { text: f.string({ max: 200 }) }]],
    flags: { noRenames: ['polls.Question'] },
    expected: {
      polls: [
        "createModel('polls.Query', { table: 'polls_query', fields: { id: f.bigAuto(), text: f.string({ max: 200 }) } })",
        "deleteModel('polls.Question')",
      ],
    },
  },
  {
    name: 'a nullable field added',
    from: [question()],
    to: [question({ pubDate: f.datetime({ nullable: true }) })],
    expected: { polls: ["addField('polls.Question', 'pubDate', f.datetime({ nullable: true }))"] },
  },
  {
    name: 'a field removed',
    from: [question({ votes: f.integer() })],
    to: [question()],
    expected: { polls: ["removeField('polls.Question', 'votes')"] },
  },
  {
    name: 'a renamed field, confirmed by --rename',
    from: [question()],
    to: [['polls.Question', { questionText: f.string({ max: 200 }) }]],
    flags: { renames: ['polls.Question.text=questionText'] },
    expected: { polls: ["renameField('polls.Question', 'text', 'questionText')"] },
  },
  {
    name: 'a possibly renamed field without a flag',
    from: [question()],
    to: [['polls.Question', { questionText: f.string({ max: 200 }) }]],
    error: [
      'CARAFE_MIGRATION_RENAME_AMBIGUOUS',
      'polls.Question.text may have been renamed to questionText (a string)',
      '--rename polls.Question.text=questionText',
      '--no-rename polls.Question.text',
    ],
  },
  {
    name: 'a field declared not renamed',
    from: [question()],
    to: [['polls.Question', { questionText: f.string({ max: 200 }) }]],
    flags: {
      noRenames: ['polls.Question.text'],
      defaults: { 'polls.Question.questionText': 'unknown' },
    },
    expected: {
      polls: [
        "removeField('polls.Question', 'text')",
        "addField('polls.Question', 'questionText', f.string({ max: 200 }), { fill: 'unknown' })",
      ],
    },
  },
  {
    name: 'a renamed field that keeps its column',
    from: [question()],
    to: [['polls.Question', { questionText: f.string({ max: 200, column: 'text' }) }]],
    flags: { renames: ['polls.Question.text=questionText'] },
    expected: {
      polls: [
        "renameField('polls.Question', 'text', 'questionText')",
        "alterField('polls.Question', 'questionText', f.string({ max: 200, column: 'text' }))",
      ],
    },
  },
  {
    name: 'a non-nullable field added without a default or flag',
    from: [question()],
    to: [question({ pubDate: f.datetime() })],
    error: [
      'CARAFE_MIGRATION_NEEDS_DEFAULT',
      'polls.Question.pubDate (a date-time) is added as non-nullable',
      '--default polls.Question.pubDate=<value>',
    ],
  },
  {
    name: 'a non-nullable field added with --default',
    from: [question()],
    to: [question({ pubDate: f.datetime(), votes: f.integer() })],
    flags: {
      defaults: { 'polls.Question.pubDate': '2026-01-31T12:00:00Z', 'polls.Question.votes': '0' },
    },
    expected: {
      polls: [
        "addField('polls.Question', 'pubDate', f.datetime(), { fill: new Date('2026-01-31T12:00:00.000Z') })",
        "addField('polls.Question', 'votes', f.integer(), { fill: 0 })",
      ],
    },
  },
  {
    name: 'a non-nullable field added with a literal default of its own',
    from: [question()],
    to: [
      question({
        status: f.string({ max: 10, default: 'draft' }),
        stamp: f.datetime({ default: () => new Date() }),
      }),
    ],
    flags: { defaults: { 'polls.Question.stamp': '2026-01-31T00:00:00Z' } },
    expected: {
      polls: [
        "addField('polls.Question', 'status', f.string({ max: 10 }), { fill: 'draft' })",
        "addField('polls.Question', 'stamp', f.datetime(), { fill: new Date('2026-01-31T00:00:00.000Z') })",
      ],
    },
  },
  {
    name: 'a non-nullable field with a database default needs no value',
    from: [question()],
    to: [question({ votes: f.integer({ dbDefault: 0 }) })],
    expected: { polls: ["addField('polls.Question', 'votes', f.integer({ dbDefault: 0 }))"] },
  },
  {
    name: 'a field type altered',
    from: [question()],
    to: [['polls.Question', { text: f.text() }]],
    expected: { polls: ["alterField('polls.Question', 'text', f.text())"] },
  },
  {
    name: 'a field made nullable',
    from: [question()],
    to: [['polls.Question', { text: f.string({ max: 200, nullable: true }) }]],
    expected: {
      polls: ["alterField('polls.Question', 'text', f.string({ max: 200, nullable: true }))"],
    },
  },
  {
    name: 'a field made non-nullable without a value for NULL rows',
    from: [['polls.Question', { text: f.string({ max: 200, nullable: true }) }]],
    to: [question()],
    error: [
      'CARAFE_MIGRATION_NEEDS_DEFAULT',
      'polls.Question.text (a string) becomes non-nullable',
      '--default polls.Question.text=<value>',
    ],
  },
  {
    name: 'a field made non-nullable with --default',
    from: [['polls.Question', { text: f.string({ max: 200, nullable: true }) }]],
    to: [question()],
    flags: { defaults: { 'polls.Question.text': '"(none)"' } },
    expected: {
      polls: ["alterField('polls.Question', 'text', f.string({ max: 200 }), { fill: '(none)' })"],
    },
  },
  {
    name: 'a field made non-nullable with a database default: NULL rows get that value',
    from: [question({ votes: f.integer({ nullable: true }) })],
    to: [question({ votes: f.integer({ dbDefault: 0 }) })],
    expected: {
      polls: ["alterField('polls.Question', 'votes', f.integer({ dbDefault: 0 }), { fill: 0 })"],
    },
  },
  {
    name: 'a database default, unique and index altered',
    from: [question({ votes: f.integer(), slug: f.slug() })],
    to: [
      question({ votes: f.integer({ dbDefault: 0, index: true }), slug: f.slug({ unique: true }) }),
    ],
    expected: {
      polls: [
        "alterField('polls.Question', 'votes', f.integer({ index: true, dbDefault: 0 }))",
        "alterField('polls.Question', 'slug', f.slug({ unique: true }))",
      ],
    },
  },
  {
    name: 'JS-only changes write nothing',
    from: [question()],
    to: [
      [
        'polls.Question',
        { text: f.string({ max: 200, default: 'x', label: 'Text', helpText: 'The question' }) },
      ],
    ],
    expected: {},
  },
  {
    name: 'a foreign key added, to an existing model',
    from: [question(), ['polls.Choice', { label: f.string({ max: 50 }) }]],
    to: [question(), choice({ label: f.string({ max: 50 }) })],
    flags: { defaults: { 'polls.Choice.question': '1' } },
    expected: {
      polls: [
        "addField('polls.Choice', 'question', f.foreignKey('polls.Question', { onDelete: 'cascade' }), { fill: 1 })",
      ],
    },
  },
  {
    name: "a foreign key's target and onDelete changed",
    from: [question(), ['polls.Poll', {}], choice()],
    to: [
      question(),
      ['polls.Poll', {}],
      [
        'polls.Choice',
        { question: f.foreignKey('polls.Poll', { onDelete: 'setNull', nullable: true }) },
      ],
    ],
    expected: {
      polls: [
        "alterField('polls.Choice', 'question', f.foreignKey('polls.Poll', { onDelete: 'setNull', nullable: true }))",
      ],
    },
  },
  {
    name: 'a many-to-many added and one removed',
    from: [question({ similar: f.manyToMany('self') }), ['polls.Tag', {}]],
    to: [
      question({ tags: f.manyToMany('polls.Tag', { relatedName: 'questions' }) }),
      ['polls.Tag', {}],
    ],
    expected: {
      polls: [
        "removeField('polls.Question', 'similar')",
        "addField('polls.Question', 'tags', f.manyToMany('polls.Tag', { relatedName: 'questions' }))",
      ],
    },
  },
  {
    name: 'a field turned into a many-to-many is replaced',
    from: [
      question({ tag: f.foreignKey('polls.Tag', { onDelete: 'cascade', nullable: true }) }),
      ['polls.Tag', {}],
    ],
    to: [question({ tag: f.manyToMany('polls.Tag') }), ['polls.Tag', {}]],
    expected: {
      polls: [
        "removeField('polls.Question', 'tag')",
        "addField('polls.Question', 'tag', f.manyToMany('polls.Tag'))",
      ],
    },
  },
  {
    name: 'indexes and constraints added and removed',
    from: [
      [
        'polls.Question',
        { text: f.string({ max: 200 }), votes: f.integer() },
        {
          indexes: [{ name: 'q_text', fields: ['text'] }],
          constraints: [{ name: 'q_votes', check: { votes: { gte: 0 } } }],
        },
      ],
    ],
    to: [
      [
        'polls.Question',
        { text: f.string({ max: 200 }), votes: f.integer() },
        {
          indexes: [{ name: 'q_votes_text', fields: ['-votes', 'text'], unique: true }],
          constraints: [
            { name: 'q_text_votes', unique: ['text', 'votes'] },
            { name: 'q_votes_sql', check: 'votes >= 0' },
          ],
        },
      ],
    ],
    expected: {
      polls: [
        "removeIndex('polls.Question', 'q_text')",
        "removeConstraint('polls.Question', 'q_votes')",
        "addIndex('polls.Question', { name: 'q_votes_text', fields: ['-votes', 'text'], unique: true })",
        "addConstraint('polls.Question', { name: 'q_text_votes', unique: ['text', 'votes'] })",
        "addConstraint('polls.Question', { name: 'q_votes_sql', check: 'votes >= 0' })",
      ],
    },
  },
  {
    name: 'unique together: a group naming a removed field goes first, one naming a new field last',
    from: [
      [
        'polls.Question',
        { a: f.integer(), b: f.integer(), c: f.integer() },
        {
          uniqueTogether: [
            ['a', 'b'],
            ['b', 'c'],
          ],
        },
      ],
    ],
    to: [
      [
        'polls.Question',
        { a: f.integer(), b: f.integer(), d: f.integer({ nullable: true }) },
        {
          uniqueTogether: [
            ['a', 'b'],
            ['b', 'd'],
          ],
        },
      ],
    ],
    expected: {
      polls: [
        "alterUniqueTogether('polls.Question', [['a', 'b']])",
        "removeField('polls.Question', 'c')",
        "addField('polls.Question', 'd', f.integer({ nullable: true }))",
        "alterUniqueTogether('polls.Question', [['a', 'b'], ['b', 'd']])",
      ],
    },
  },
  {
    name: 'a table renamed',
    from: [question()],
    to: [['polls.Question', { text: f.string({ max: 200 }) }, { table: 'questions' }]],
    expected: { polls: ["alterModelTable('polls.Question', 'questions')"] },
  },
  {
    name: 'new models in one app: the target of a foreign key comes first',
    from: [],
    to: [question(), choice()],
    expected: {
      polls: [
        "createModel('polls.Question', { table: 'polls_question', fields: { id: f.bigAuto(), text: f.string({ max: 200 }) } })",
        "createModel('polls.Choice', { table: 'polls_choice', fields: { id: f.bigAuto(), question: f.foreignKey('polls.Question', { onDelete: 'cascade' }) } })",
      ],
    },
  },
  {
    name: 'new models pointing at each other: one relation is added after both',
    from: [],
    to: [
      [
        'polls.Author',
        { favourite: f.foreignKey('polls.Book', { onDelete: 'setNull', nullable: true }) },
        { indexes: [{ name: 'author_fav', fields: ['favourite'] }] },
      ],
      ['polls.Book', { author: f.foreignKey('polls.Author', { onDelete: 'cascade' }) }],
    ],
    expected: {
      polls: [
        "createModel('polls.Author', { table: 'polls_author', fields: { id: f.bigAuto() } })",
        "createModel('polls.Book', { table: 'polls_book', fields: { id: f.bigAuto(), author: f.foreignKey('polls.Author', { onDelete: 'cascade' }) } })",
        "addField('polls.Author', 'favourite', f.foreignKey('polls.Book', { onDelete: 'setNull', nullable: true }))",
        "addIndex('polls.Author', { name: 'author_fav', fields: ['favourite'] })",
      ],
    },
  },
  {
    name: 'a many-to-many through a new join model is added after it',
    from: [],
    to: [
      [
        'people.Group',
        { members: f.manyToMany('people.Person', { through: 'people.Membership' }) },
      ],
      [
        'people.Membership',
        {
          group: f.foreignKey('people.Group', { onDelete: 'cascade' }),
          person: f.foreignKey('people.Person', { onDelete: 'cascade' }),
        },
      ],
      ['people.Person', { name: f.string({ max: 100 }) }],
    ],
    expected: {
      people: [
        "createModel('people.Group', { table: 'people_group', fields: { id: f.bigAuto() } })",
        "createModel('people.Person', { table: 'people_person', fields: { id: f.bigAuto(), name: f.string({ max: 100 }) } })",
        "createModel('people.Membership', { table: 'people_membership', fields: { id: f.bigAuto(), group: f.foreignKey('people.Group', { onDelete: 'cascade' }), person: f.foreignKey('people.Person', { onDelete: 'cascade' }) } })",
        "addField('people.Group', 'members', f.manyToMany('people.Person', { through: 'people.Membership' }))",
      ],
    },
  },
  {
    name: 'deleted models: the one pointing at the other goes first',
    from: [
      ['polls.Answer', { choice: f.foreignKey('polls.Choice', { onDelete: 'cascade' }) }],
      question(),
      choice(),
      ['polls.Keep', {}],
    ],
    to: [['polls.Keep', {}]],
    expected: {
      polls: [
        "deleteModel('polls.Answer')",
        "deleteModel('polls.Choice')",
        "deleteModel('polls.Question')",
      ],
    },
  },
  {
    name: 'a deleted model pointed at by a kept one waits for that field to go',
    from: [
      question(),
      [
        'polls.Vote',
        { question: f.foreignKey('polls.Question', { onDelete: 'cascade' }), weight: f.integer() },
      ],
    ],
    to: [['polls.Vote', { weight: f.integer() }]],
    expected: { polls: ["removeField('polls.Vote', 'question')", "deleteModel('polls.Question')"] },
  },
  {
    name: 'deleted models pointing at each other: one relation goes first',
    from: [
      [
        'polls.Author',
        { favourite: f.foreignKey('polls.Book', { onDelete: 'setNull', nullable: true }) },
      ],
      ['polls.Book', { author: f.foreignKey('polls.Author', { onDelete: 'cascade' }) }],
    ],
    to: [],
    expected: {
      polls: [
        "removeField('polls.Book', 'author')",
        "deleteModel('polls.Author')",
        "deleteModel('polls.Book')",
      ],
    },
  },
  {
    name: 'deleted models joined by a many-to-many through one of them',
    from: [
      [
        'people.Group',
        { members: f.manyToMany('people.Person', { through: 'people.Membership' }) },
      ],
      [
        'people.Membership',
        {
          group: f.foreignKey('people.Group', { onDelete: 'cascade' }),
          person: f.foreignKey('people.Person', { onDelete: 'cascade' }),
        },
      ],
      ['people.Person', {}],
    ],
    to: [],
    expected: {
      people: [
        "removeField('people.Group', 'members')",
        "deleteModel('people.Membership')",
        "deleteModel('people.Group')",
        "deleteModel('people.Person')",
      ],
    },
  },
  {
    name: 'a renamed model, and a renamed field pointing at it',
    from: [question(), choice({ votes: f.integer() })],
    to: [
      ['polls.Query', { text: f.string({ max: 200 }) }, { table: 'polls_question' }],
      [
        'polls.Choice',
        { query: f.foreignKey('polls.Query', { onDelete: 'cascade' }), count: f.integer() },
      ],
    ],
    flags: {
      renames: ['polls.Question=Query', 'polls.Choice.question=query', 'polls.Choice.votes=count'],
    },
    expected: {
      polls: [
        "renameModel('polls.Question', 'polls.Query')",
        "renameField('polls.Choice', 'question', 'query')",
        "renameField('polls.Choice', 'votes', 'count')",
      ],
    },
  },
  {
    name: 'every undecided question is named at once',
    from: [question()],
    to: [['polls.Question', { title: f.string({ max: 200 }), pubDate: f.datetime() }]],
    error: [
      'CARAFE_MIGRATION_RENAME_AMBIGUOUS',
      '- polls.Question.text may have been renamed to title (a string). Pass --rename polls.Question.text=title if it was, or --no-rename polls.Question.text --default polls.Question.title=<value> to remove text and add title',
      '- polls.Question.pubDate (a date-time) is added as non-nullable',
    ],
  },
  {
    name: 'cross-app: a new model pointing at another app depends on it',
    from: [['auth.User', { name: f.string({ max: 50 }) }]],
    to: [
      ['auth.User', { name: f.string({ max: 50 }) }],
      ['auth.Group', { name: f.string({ max: 50 }) }],
      [
        'blog.Post',
        {
          author: f.foreignKey('auth.User', { onDelete: 'cascade' }),
          group: f.foreignKey('auth.Group', { onDelete: 'protect' }),
        },
      ],
    ],
    expected: {
      auth: [
        "createModel('auth.Group', { table: 'auth_group', fields: { id: f.bigAuto(), name: f.string({ max: 50 }) } })",
      ],
      blog: [
        "createModel('blog.Post', { table: 'blog_post', fields: { id: f.bigAuto(), author: f.foreignKey('auth.User', { onDelete: 'cascade' }), group: f.foreignKey('auth.Group', { onDelete: 'protect' }) } })",
      ],
    },
    dependsOn: { auth: [], blog: ['auth'] },
  },
  {
    name: 'cross-app: deleting a model waits for the other app to drop its foreign key',
    from: [
      ['auth.Team', {}],
      ['blog.Post', { team: f.foreignKey('auth.Team', { onDelete: 'cascade' }) }],
    ],
    to: [['blog.Post', {}]],
    expected: { auth: ["deleteModel('auth.Team')"], blog: ["removeField('blog.Post', 'team')"] },
    dependsOn: { auth: ['blog'], blog: [] },
  },
  {
    name: 'cross-app: new models pointing at each other across apps cannot be split',
    from: [],
    to: [
      ['alpha.A', { b: f.foreignKey('beta.B', { onDelete: 'cascade' }) }],
      ['beta.B', { a: f.foreignKey('alpha.A', { onDelete: 'cascade' }) }],
    ],
    error: ['CARAFE_MIGRATION_CIRCULAR_DEPENDENCY', 'alpha → beta → alpha'],
  },
  {
    name: 'only the apps asked for',
    from: [question()],
    to: [question({ votes: f.integer({ nullable: true }) }), ['blog.Post', {}]],
    apps: ['polls'],
    expected: { polls: ["addField('polls.Question', 'votes', f.integer({ nullable: true }))"] },
  },
  {
    name: 'an app asked for pulls in the app whose new model it needs',
    from: [question()],
    to: [
      question({ post: f.foreignKey('blog.Post', { onDelete: 'cascade', nullable: true }) }),
      ['blog.Post', {}],
      ['shop.Item', {}],
    ],
    apps: ['polls'],
    expected: {
      blog: ["createModel('blog.Post', { table: 'blog_post', fields: { id: f.bigAuto() } })"],
      polls: [
        "addField('polls.Question', 'post', f.foreignKey('blog.Post', { onDelete: 'cascade', nullable: true }))",
      ],
    },
    dependsOn: { blog: [], polls: ['blog'] },
  },
];

/** Every app's operations, an app after the apps it depends on. */
function inDependencyOrder(changes: Map<string, AppChanges>): Operation[] {
  const done = new Set<string>();
  const operations: Operation[] = [];
  while (done.size < changes.size) {
    for (const [app, change] of changes) {
      if (
        done.has(app) ||
        [...change.dependsOn].some((other) => changes.has(other) && !done.has(other))
      )
        continue;
      done.add(app);
      operations.push(...change.operations);
    }
  }
  return operations;
}

/** Runs `operations` from `state` on `db` (or undoes them), as a migration would. */
async function run(
  db: Database,
  state: ProjectState,
  operations: readonly Operation[],
  backwards = false,
): Promise<void> {
  const states = [state];
  for (const operation of operations) {
    const next = states.at(-1)!.clone();
    operation.stateForwards(next);
    states.push(next);
  }
  const editor = createSchemaEditor(db);
  await editor.run(async () => {
    const order = operations.map((_, index) => index);
    for (const index of backwards ? order.reverse() : order) {
      const operation = operations[index]!;
      if (backwards) await operation.databaseBackwards(editor, states[index + 1]!, states[index]!);
      else await operation.databaseForwards(editor, states[index]!, states[index + 1]!);
    }
  });
}

async function detect(testCase: Case) {
  const from = stateOf(...testCase.from);
  const live = liveModels(...testCase.to);
  const to = ProjectState.fromModels(live);
  const questioner = nonInteractiveQuestioner(testCase.flags);
  const changes = await detectChanges(from, to, {
    questioner,
    models: live,
    ...(testCase.apps && { apps: testCase.apps }),
  });
  return { from, to, changes, questioner };
}

describe('detectChanges', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      if (testCase.error !== undefined) {
        const [code, ...phrases] = testCase.error;
        await assert.rejects(detect(testCase), (error: unknown) => {
          assert.ok(error instanceof CarafeError);
          assert.equal(error.code, code, error.message);
          for (const phrase of phrases)
            assert.ok(error.message.includes(phrase), `${phrase}\nnot in\n${error.message}`);
          return true;
        });
        return;
      }
      const { from, to, changes, questioner } = await detect(testCase);
      const actual = Object.fromEntries(
        [...changes].map(([app, { operations }]) => [app, operations.map(callText)]),
      );
      assert.deepEqual(actual, testCase.expected);
      if (testCase.dependsOn !== undefined) {
        const dependsOn = Object.fromEntries(
          [...changes].map(([app, change]) => [app, [...change.dependsOn]]),
        );
        assert.deepEqual(dependsOn, testCase.dependsOn);
      }
      assert.deepEqual(questioner.unused(), []);
      // Applying the operations, app by app in dependency order, gives the models' state.
      if (testCase.apps === undefined) {
        assert.deepEqual(normalized(applied(from, inDependencyOrder(changes))), normalized(to));
      }
    });
  }
});

forEachDatabase('detected operations apply and reverse', (context) => {
  it('fills the rows already there with the one-off values', async () => {
    const { database } = context;
    const before = {
      title: f.string({ max: 50, nullable: true }),
      count: f.integer({ nullable: true }),
    };
    const after = {
      title: f.string({ max: 50 }),
      count: f.integer({ dbDefault: 7 }),
      votes: f.integer({ default: 3 }),
      seen: f.datetime(),
    };
    const from = stateOf(['fill.Entry', before]);
    const live = liveModels(['fill.Entry', after]);
    const to = ProjectState.fromModels(live);
    const questioner = nonInteractiveQuestioner({
      defaults: { 'fill.Entry.title': 'untitled', 'fill.Entry.seen': '2026-01-31T12:00:00Z' },
    });
    const operations = inDependencyOrder(
      await detectChanges(from, to, { questioner, models: live }),
    );
    const empty = new ProjectState();
    const setup = inDependencyOrder(
      await detectChanges(empty, from, { questioner: nonInteractiveQuestioner() }),
    );
    await run(database, empty, setup);
    try {
      // Historical models are typed as any model; these have the fields above.
      const Before = from.modelClass('fill.Entry') as ModelClass<'fill.Entry', typeof before>;
      const After = to.modelClass('fill.Entry') as ModelClass<'fill.Entry', typeof after>;
      await Before.objects.create({ title: null, count: null });
      await Before.objects.create({ title: 'kept', count: 1 });
      await run(database, from, operations);
      const rows = await After.objects.orderBy('id').values('title', 'count', 'votes', 'seen');
      assert.deepEqual(rows, [
        { title: 'untitled', count: 7, votes: 3, seen: new Date('2026-01-31T12:00:00Z') },
        { title: 'kept', count: 1, votes: 3, seen: new Date('2026-01-31T12:00:00Z') },
      ]);
      await run(database, from, operations, true);
    } finally {
      await run(database, empty, setup, true);
    }
  });

  for (const testCase of cases) {
    if (testCase.apps !== undefined || testCase.expected === undefined) continue;
    if (Object.keys(testCase.expected).length === 0) continue;
    it(testCase.name, async () => {
      const { database } = context;
      const { from, changes } = await detect(testCase);
      const empty = new ProjectState();
      const setup = inDependencyOrder(
        await detectChanges(empty, from, { questioner: nonInteractiveQuestioner() }),
      );
      const operations = inDependencyOrder(changes);
      await run(database, empty, setup);
      try {
        await run(database, from, operations);
        await run(database, from, operations, true);
      } finally {
        await run(database, empty, setup, true);
      }
    });
  }
});
