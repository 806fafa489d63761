// The SQLite direct read path must keep the guarantees of the normal one: reads wait for a
// transaction held elsewhere, see their own transaction, and are reported to listeners.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  atomic,
  closeDatabases,
  configureDatabases,
  createTables,
  database,
  f,
  model,
} from '../index.js';

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
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writer = atomic(async () => {
      await Note.objects.create({ text: 'pending' });
      inserted();
      await held;
      throw new Error('roll back');
    }).catch((error: unknown) => error);
    await insertedSignal;
    assert.equal(database().readNow('select 1 as one', []), undefined);
    const counting = Note.objects.filter({ text: 'pending' }).count();
    const reading = Note.objects.filter({ text: 'pending' }).first();
    release();
    assert.match(String(await writer), /roll back/);
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
