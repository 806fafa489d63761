// SQLite runs statements on its one connection at once when nobody holds it. The shortcut must
// keep the normal path's guarantees: reads and writes wait for a transaction held by another
// task instead of joining it, see (and roll back with) their own, errors arrive as rejections,
// and listeners see every statement.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CompiledQuery } from 'kysely';
import {
  atomic,
  closeDatabases,
  configureDatabases,
  createTables,
  database,
  f,
  model,
} from '../index.js';

interface HeldTransaction {
  /** Lets the block finish: it throws "roll back", so everything it wrote is undone. */
  release(): void;
  /** The block's error once released. */
  readonly outcome: Promise<unknown>;
}

/** Runs `work` inside atomic() and keeps the block (and its connection) open until `release()`. */
async function holdTransaction(work: () => Promise<unknown>): Promise<HeldTransaction> {
  let started!: () => void;
  const startedSignal = new Promise<void>((resolve) => {
    started = resolve;
  });
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const outcome = atomic(async () => {
    await work();
    started();
    await held;
    throw new Error('roll back');
  }).catch((error: unknown) => error);
  await startedSignal;
  return { release, outcome };
}

const Note = model('readnow.Note', { text: f.string({ max: 50 }) });

describe('SQLite direct reads', () => {
  before(async () => {
    configureDatabases('sqlite://:memory:');
    await createTables([Note]);
    await Note.objects.create({ text: 'first' });
  });
  after(() => closeDatabases());

  it('reads without the connection hand-off when the connection is idle, and reports the query', async () => {
    const db = database();
    const seen: string[] = [];
    const stop = db.onQuery((event) => seen.push(event.sql));
    try {
      const rows = db.readNow('select count(*) as n from readnow_note', []);
      assert.deepEqual(rows, [{ n: 1 }]);
      assert.equal((await Note.objects.get({ text: 'first' })).text, 'first');
      assert.equal(seen.length, 2);
      assert.match(seen[1]!, /readnow_note/);
    } finally {
      stop();
    }
  });

  it('leaves writes to the usual path', () => {
    const rows = database().readNow("insert into readnow_note (text) values ('x')", []);
    assert.equal(rows, undefined);
  });

  it('waits for a transaction held by another task instead of reading its uncommitted rows', async () => {
    const writer = await holdTransaction(() => Note.objects.create({ text: 'pending' }));
    assert.equal(database().readNow('select 1 as one', []), undefined);
    const counting = Note.objects.filter({ text: 'pending' }).count();
    const reading = Note.objects.filter({ text: 'pending' }).first();
    writer.release();
    assert.match(String(await writer.outcome), /roll back/);
    assert.equal(await counting, 0);
    assert.equal(await reading, null);
  });

  it('sees its own transaction’s rows inside atomic()', async () => {
    await atomic(async () => {
      await Note.objects.create({ text: 'mine' });
      assert.equal((await Note.objects.get({ text: 'mine' })).text, 'mine');
    });
  });
});

const Tag = model('runnow.Tag', { name: f.string({ max: 50, unique: true }) });

const count = (name: string) => Tag.objects.filter({ name }).count();

describe('SQLite direct writes', () => {
  before(async () => {
    configureDatabases('sqlite://:memory:');
    await createTables([Tag]);
  });
  beforeEach(() => Tag.objects.all().delete());
  after(() => closeDatabases());

  it('runs a write before the call returns when the connection is idle, and reports it', async () => {
    const db = database();
    const seen: string[] = [];
    const stop = db.onQuery((event) => seen.push(event.sql));
    try {
      const running = db.run(CompiledQuery.raw('insert into runnow_tag (name) values (?)', ['a']));
      // Nothing awaited yet, and the row is already there.
      assert.deepEqual(db.readNow("select count(*) as n from runnow_tag where name = 'a'", []), [
        { n: 1 },
      ]);
      const result = await running;
      assert.equal(result.numAffectedRows, 1n);
      assert.equal(typeof result.insertId, 'bigint');
      assert.match(seen[0]!, /^insert into runnow_tag/);
    } finally {
      stop();
    }
  });

  it('waits for a transaction held by another task instead of joining it', async () => {
    const other = await holdTransaction(() => Tag.objects.create({ name: 'pending' }));
    const outside = Tag.objects.create({ name: 'outside' });
    other.release();
    assert.match(String(await other.outcome), /roll back/);
    await outside;
    // Had the outside write run inside the other task's transaction, it would be gone too.
    assert.equal(await count('outside'), 1);
    assert.equal(await count('pending'), 0);
  });

  it('rolls back with its own atomic() block', async () => {
    const tag = await Tag.objects.create({ name: 'before' });
    const failed = await atomic(async () => {
      tag.name = 'after';
      await Tag.objects.bulkUpdate([tag], ['name']);
      await Tag.objects.filter({ name: 'after' }).update({ name: 'later' });
      throw new Error('undo');
    }).catch((error: unknown) => error);
    assert.match(String(failed), /undo/);
    assert.equal(await count('before'), 1);
    assert.equal(await count('later'), 0);
  });

  it('turns a failing statement into a rejected promise and keeps the connection usable', async () => {
    const db = database();
    const errors: unknown[] = [];
    const stop = db.onQuery((event) => {
      if (event.error !== undefined) errors.push(event.error);
    });
    try {
      await Tag.objects.create({ name: 'twice' });
      const duplicate = db.run(
        CompiledQuery.raw('insert into runnow_tag (name) values (?)', ['twice']),
      );
      assert.ok(duplicate instanceof Promise);
      await assert.rejects(duplicate, /UNIQUE constraint failed/);
      assert.equal(errors.length, 1);
      await Tag.objects.create({ name: 'once' });
      assert.equal(await count('once'), 1);
    } finally {
      stop();
    }
  });
});
