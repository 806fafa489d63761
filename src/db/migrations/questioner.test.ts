import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { CarafeError } from '../../index.js';
import { f } from '../fields/builders.js';
import { callText, liveModels, stateOf } from '../test-support/model-states.js';
import { detectChanges } from './autodetector.js';
import type { FieldDescription } from './field-description.js';
import { interactiveQuestioner } from './interactive-questioner.js';
import { parseOneOffValue } from './one-off-value.js';
import { nonInteractiveQuestioner } from './questioner.js';
import { ProjectState } from './state.js';

const text: FieldDescription = { kind: 'string', max: 200 };

function carafeError(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('nonInteractiveQuestioner', () => {
  it('answers renames from --rename and --no-rename, in either spelling', async () => {
    const questioner = nonInteractiveQuestioner({
      renames: [
        'polls.Question.text=questionText',
        'polls.Question=Query',
        'polls.Choice.a=polls.Choice.b',
      ],
      noRenames: ['polls.Choice.c'],
    });
    assert.equal(
      await questioner.askRenameField('polls.Question', 'text', 'questionText', text),
      true,
    );
    assert.equal(await questioner.askRenameField('polls.Question', 'text', 'title', text), false);
    assert.equal(await questioner.askRenameModel('polls.Question', 'polls.Query'), true);
    assert.equal(await questioner.askRenameField('polls.Choice', 'a', 'b', text), true);
    assert.equal(await questioner.askRenameField('polls.Choice', 'c', 'd', text), false);
    // Another field cannot be renamed onto a name a flag gave to someone else.
    assert.equal(
      await questioner.askRenameField('polls.Question', 'other', 'questionText', text),
      false,
    );
    questioner.finish?.();
    assert.deepEqual(questioner.unused(), []);
  });

  it('lists the flags no question needed', async () => {
    const questioner = nonInteractiveQuestioner({
      renames: ['polls.Question.txt=questionText'],
      noRenames: ['polls.Question'],
      defaults: { 'polls.Question.pubDate': 'now' },
    });
    assert.deepEqual(questioner.unused(), [
      '--rename polls.Question.txt=questionText',
      '--no-rename polls.Question',
      '--default polls.Question.pubDate=…',
    ]);
  });

  it('refuses malformed flags', () => {
    assert.throws(
      () => nonInteractiveQuestioner({ renames: ['polls.Question.text'] }),
      carafeError('CARAFE_MIGRATION_BAD_FLAG', /--rename polls\.Question\.text: write it as/),
    );
    assert.throws(
      () => nonInteractiveQuestioner({ renames: ['polls.Question.text=polls.Choice.text'] }),
      carafeError('CARAFE_MIGRATION_BAD_FLAG', /a field name of polls\.Question/),
    );
    assert.throws(
      () => nonInteractiveQuestioner({ noRenames: ['Question'] }),
      carafeError('CARAFE_MIGRATION_BAD_FLAG', /--no-rename Question/),
    );
    assert.throws(
      () => nonInteractiveQuestioner({ defaults: { pubDate: '1' } }),
      carafeError('CARAFE_MIGRATION_BAD_FLAG', /app\.Model\.field=<value>/),
    );
  });

  it('reads --default values for the field kind and refuses values that do not fit', async () => {
    const questioner = nonInteractiveQuestioner({ defaults: { 'polls.Question.votes': 'many' } });
    await assert.rejects(
      questioner.askFill('polls.Question', 'votes', { kind: 'integer' }, 'add'),
      carafeError(
        'CARAFE_MIGRATION_BAD_DEFAULT',
        /"many" is not a value for polls\.Question\.votes \(an integer\): expected a whole number/,
      ),
    );
  });
});

describe('one-off values', () => {
  const cases: [FieldDescription, string, unknown][] = [
    [{ kind: 'integer' }, '42', 42],
    [{ kind: 'float' }, '-1.5', -1.5],
    [{ kind: 'bigInteger' }, '9007199254740993', 9007199254740993n],
    [{ kind: 'decimal', maxDigits: 5, decimalPlaces: 2 }, '12.50', '12.50'],
    [{ kind: 'boolean' }, 'false', false],
    [{ kind: 'datetime' }, '2026-01-31T12:00:00Z', new Date('2026-01-31T12:00:00Z')],
    [{ kind: 'date' }, '2026-01-31', '2026-01-31'],
    [{ kind: 'time' }, '09:30', '09:30'],
    [
      { kind: 'uuid' },
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    ],
    [{ kind: 'json' }, '{"tags": []}', { tags: [] }],
    [{ kind: 'json' }, 'plain words', 'plain words'],
    [{ kind: 'string', max: 10 }, '123', '123'],
    [{ kind: 'string', max: 10 }, '"quoted "', 'quoted '],
    [{ kind: 'foreignKey', to: 'polls.Question', onDelete: 'cascade' }, '7', 7],
    [{ kind: 'binary' }, 'ab', new Uint8Array([97, 98])],
  ];
  for (const [description, input, expected] of cases) {
    it(`${description.kind} ← ${input}`, () => {
      assert.deepEqual(parseOneOffValue('a.B.c', description, input), expected);
    });
  }
  it('refuses text that is not of the kind', () => {
    for (const [kind, input] of [
      ['boolean', 'yes'],
      ['date', '31/01/2026'],
      ['datetime', 'soon'],
      ['decimal', '1e3'],
      ['uuid', '123'],
    ] as const) {
      assert.throws(
        () => parseOneOffValue('a.B.c', { kind }, input),
        carafeError('CARAFE_MIGRATION_BAD_DEFAULT', /expected/),
      );
    }
  });
});

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString();
  });
  return { input, output, written: () => written };
}

describe('interactiveQuestioner', () => {
  it('asks about renames and one-off values, retrying a value that does not fit', async () => {
    const io = terminal();
    const questioner = interactiveQuestioner(io);
    // Answers typed ahead of the prompts are kept for the questions that follow.
    io.input.write('y\nno\n');
    assert.equal(
      await questioner.askRenameField('polls.Question', 'text', 'questionText', text),
      true,
    );
    assert.equal(await questioner.askRenameModel('polls.Question', 'polls.Query'), false);
    const fill = questioner.askFill('polls.Question', 'votes', { kind: 'integer' }, 'add');
    io.input.write('lots\n');
    io.input.write('3\n');
    assert.equal(await fill, 3);
    questioner.finish?.();
    const written = io.written();
    assert.match(
      written,
      /Did you rename polls\.Question\.text to questionText \(a string\)\? \[y\/N\] /,
    );
    assert.match(written, /Did you rename the model polls\.Question to polls\.Query\? \[y\/N\] /);
    assert.match(
      written,
      /polls\.Question\.votes \(an integer\) is added as non-nullable without a default/,
    );
    assert.match(written, /press Enter to stop/);
    assert.match(
      written,
      /"lots" is not a value for polls\.Question\.votes \(an integer\): expected a whole number\. Try again/,
    );
  });

  it('stops on an empty answer, or when the input ends', async () => {
    const io = terminal();
    const questioner = interactiveQuestioner(io);
    io.input.write('\n');
    await assert.rejects(
      questioner.askFill('polls.Question', 'pubDate', { kind: 'datetime' }, 'notNull'),
      carafeError(
        'CARAFE_MIGRATION_ABORTED',
        /give polls\.Question\.pubDate a default, a dbDefault or nullable: true/,
      ),
    );
    assert.match(io.written(), /becomes non-nullable/);
    io.input.end();
    await assert.rejects(
      questioner.askRenameModel('a.B', 'a.C'),
      carafeError('CARAFE_MIGRATION_ABORTED', /the input ended/),
    );
  });

  it('drives detectChanges', async () => {
    const io = terminal();
    io.input.end('y\n2026-01-31\n');
    const from = stateOf(['polls.Question', { text: f.string({ max: 200 }) }]);
    const live = liveModels(['polls.Question', { title: f.string({ max: 200 }), day: f.date() }]);
    const changes = await detectChanges(from, ProjectState.fromModels(live), {
      questioner: interactiveQuestioner(io),
      models: live,
    });
    assert.deepEqual(changes.get('polls')?.operations.map(callText), [
      "renameField('polls.Question', 'text', 'title')",
      "addField('polls.Question', 'day', f.date(), { fill: '2026-01-31' })",
    ]);
  });
});
