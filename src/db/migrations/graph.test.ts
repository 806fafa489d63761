import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { f } from '../index.js';
import { MigrationGraph, type PlanStep } from './graph.js';
import type { LoadedMigration } from './loader.js';
import { type MigrationDefinition, migration } from './migration.js';
import { op } from './operations/index.js';

function node(
  app: string,
  name: string,
  definition: Partial<MigrationDefinition> = {},
): LoadedMigration {
  return {
    app,
    name,
    key: `${app}.${name}`,
    file: `/virtual/${app}/${name}.ts`,
    migration: migration({ operations: [], ...definition }),
  };
}

const keys = (steps: readonly PlanStep[]) =>
  steps.map((step) => `${step.backwards ? '-' : '+'}${step.migration.key}`);

// polls depends on auth; blog depends on polls.
const history = [
  node('auth', '0001_initial'),
  node('auth', '0002_email', { dependencies: [['auth', '0001_initial']] }),
  node('polls', '0001_initial', { dependencies: [['auth', '0001_initial']] }),
  node('polls', '0002_votes', { dependencies: [['polls', '0001_initial']] }),
  node('polls', '0003_tags', { dependencies: [['polls', '0002_votes']] }),
  node('blog', '0001_initial', { dependencies: [['polls', '0002_votes']] }),
];

describe('MigrationGraph', () => {
  it('plans forwards with dependencies first, across apps', () => {
    const graph = new MigrationGraph(history, new Set());
    const plan = graph.plan([{ app: 'blog', name: '0001_initial' }], new Set());
    assert.deepEqual(keys(plan), [
      '+auth.0001_initial',
      '+polls.0001_initial',
      '+polls.0002_votes',
      '+blog.0001_initial',
    ]);
  });

  it('skips what is applied', () => {
    const graph = new MigrationGraph(history, new Set());
    const applied = new Set(['auth.0001_initial', 'polls.0001_initial']);
    assert.deepEqual(keys(graph.plan([{ app: 'polls', name: '0003_tags' }], applied)), [
      '+polls.0002_votes',
      '+polls.0003_tags',
    ]);
  });

  it('goes back to an applied target by unapplying its successors and their dependents', () => {
    const graph = new MigrationGraph(history, new Set());
    const applied = new Set(history.map((migration) => migration.key));
    const plan = graph.plan([{ app: 'polls', name: '0001_initial' }], applied);
    assert.deepEqual(keys(plan), ['-polls.0003_tags', '-blog.0001_initial', '-polls.0002_votes']);
  });

  it('migrates an app to zero, taking dependents in other apps along, but not its dependencies', () => {
    const graph = new MigrationGraph(history, new Set());
    const applied = new Set(history.map((migration) => migration.key));
    const plan = keys(graph.plan([{ app: 'polls', zero: true }], applied));
    assert.equal(plan.length, 4);
    assert.ok(plan.indexOf('-blog.0001_initial') < plan.indexOf('-polls.0002_votes'));
    assert.equal(plan.at(-1), '-polls.0001_initial');
    assert.ok(!plan.some((step) => step.includes('auth')));
  });

  it('finds leaves, roots and conflicts', () => {
    const split = [
      ...history,
      node('polls', '0003_other', { dependencies: [['polls', '0002_votes']] }),
    ];
    const graph = new MigrationGraph(split, new Set());
    assert.deepEqual(graph.leaves('auth'), ['auth.0002_email']);
    assert.deepEqual(graph.roots('polls'), ['polls.0001_initial']);
    assert.deepEqual([...graph.conflicts()], [['polls', ['polls.0003_other', 'polls.0003_tags']]]);
    assert.equal(new MigrationGraph(history, new Set()).conflicts().size, 0);
  });

  it('reports a dependency on a migration that does not exist', () => {
    const broken = [node('polls', '0001_initial', { dependencies: [['auth', '0009_missing']] })];
    assert.throws(() => new MigrationGraph(broken, new Set()), {
      code: 'CARAFE_MIGRATION_GRAPH',
      message: /polls\.0001_initial depends on auth\.0009_missing, which does not exist/,
    });
  });

  it('reports a dependency cycle with its path', () => {
    const cycle = [
      node('a', '0001_initial', { dependencies: [['b', '0001_initial']] }),
      node('b', '0001_initial', { dependencies: [['a', '0001_initial']] }),
    ];
    assert.throws(() => new MigrationGraph(cycle, new Set()), {
      code: 'CARAFE_MIGRATION_GRAPH',
      message: /in a circle: a\.0001_initial → b\.0001_initial → a\.0001_initial/,
    });
  });

  describe('squashed migrations', () => {
    const squashed = node('polls', '0001_squashed_0002', {
      replaces: [
        ['polls', '0001_initial'],
        ['polls', '0002_votes'],
      ],
      dependencies: [['auth', '0001_initial']],
    });
    const all = [...history, squashed];

    it('stand in for their originals when none are applied', () => {
      const graph = new MigrationGraph(all, new Set());
      assert.ok(!graph.has('polls.0001_initial'));
      assert.deepEqual(keys(graph.plan([{ app: 'blog', name: '0001_initial' }], new Set())), [
        '+auth.0001_initial',
        '+polls.0001_squashed_0002',
        '+blog.0001_initial',
      ]);
      assert.equal(graph.replacementOf('polls.0002_votes'), 'polls.0001_squashed_0002');
    });

    it('count as applied when all their originals are', () => {
      const recorded = new Set(['auth.0001_initial', 'polls.0001_initial', 'polls.0002_votes']);
      const graph = new MigrationGraph(all, recorded);
      assert.ok(graph.appliedNodes(recorded).has('polls.0001_squashed_0002'));
      assert.deepEqual(
        keys(graph.plan([{ app: 'polls', name: '0003_tags' }], graph.appliedNodes(recorded))),
        ['+polls.0003_tags'],
      );
    });

    it('step aside when the originals are half applied', () => {
      const recorded = new Set(['auth.0001_initial', 'polls.0001_initial']);
      const graph = new MigrationGraph(all, recorded);
      assert.ok(!graph.has('polls.0001_squashed_0002'));
      assert.deepEqual(
        keys(graph.plan([{ app: 'polls', name: '0003_tags' }], graph.appliedNodes(recorded))),
        ['+polls.0002_votes', '+polls.0003_tags'],
      );
    });
  });

  it('replays operations into the state at any node', () => {
    const migrations = [
      node('shop', '0001_initial', {
        operations: [
          op.createModel('shop.Item', {
            table: 'shop_item',
            fields: { name: f.string({ max: 20 }) },
          }),
        ],
      }),
      node('shop', '0002_price', {
        dependencies: [['shop', '0001_initial']],
        operations: [op.addField('shop.Item', 'price', f.integer({ nullable: true }))],
      }),
    ];
    const graph = new MigrationGraph(migrations, new Set());
    assert.deepEqual(
      [...graph.stateBefore('shop.0002_price').model('shop.Item').fields.keys()],
      ['id', 'name'],
    );
    assert.deepEqual(
      [...graph.finalState().model('shop.Item').fields.keys()],
      ['id', 'name', 'price'],
    );
    assert.equal(graph.stateBefore('shop.0001_initial').models.size, 0);
  });
});

describe('migration()', () => {
  it('freezes a checked definition with defaults', () => {
    const made = migration({ operations: [op.runSql({ forward: 'SELECT 1' })] });
    assert.equal(made.atomic, true);
    assert.equal(made.initial, false);
    assert.deepEqual(made.dependencies, []);
    assert.ok(Object.isFrozen(made));
  });

  it('names what is wrong with a definition', () => {
    const bad = (definition: unknown) => () => migration(definition as MigrationDefinition);
    assert.throws(bad({}), { code: 'CARAFE_MIGRATION_DEFINITION', message: /operations/ });
    assert.throws(bad({ operations: [{}] }), { message: /operations\[0\] is not an operation/ });
    // A stray comma leaves a hole in the list.
    assert.throws(bad({ operations: new Array(1) }), {
      message: /operations\[0\] is not an operation/,
    });
    assert.throws(bad({ operations: [], dependencies: [['polls']] }), {
      message: /dependencies\[0\] must be an \[app, name\] pair/,
    });
    assert.throws(bad({ operations: [], atomc: false }), { message: /unknown option "atomc"/ });
    assert.throws(bad({ operations: [], atomic: 'no' }), {
      message: /atomic must be true or false/,
    });
  });
});
