import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../../index.js';
import { forEachDatabase } from '../../testing/databases.js';
import {
  atomic,
  createTables,
  database,
  F,
  f,
  model,
  ProtectedError,
  postDelete,
  preDelete,
} from '../index.js';

const Owner = model('writes.Owner', {
  name: f.string({ max: 50, unique: true }),
  visits: f.integer({ default: 0 }),
});
const Pet = model('writes.Pet', {
  owner: f.foreignKey(() => Owner, { onDelete: 'cascade', relatedName: 'pets' }),
  name: f.string({ max: 50 }),
});
const Toy = model('writes.Toy', {
  pet: f.foreignKey(() => Pet, { onDelete: 'cascade', relatedName: 'toys' }),
});
const License = model('writes.License', {
  owner: f.foreignKey(() => Owner, { onDelete: 'protect', relatedName: 'licenses' }),
});
const Note = model('writes.Note', {
  owner: f.foreignKey(() => Owner, { onDelete: 'setNull', nullable: true, relatedName: 'notes' }),
});
const Badge = model('writes.Badge', {
  owner: f.foreignKey(() => Owner, { onDelete: 'setDefault', default: 1, relatedName: 'badges' }),
});
const Stamp = model('writes.Stamp', {
  owner: f.foreignKey(() => Owner, { onDelete: 'restrict', relatedName: 'stamps' }),
  pet: f.foreignKey(() => Pet, { onDelete: 'cascade', relatedName: 'stamps' }),
});
const models = [Owner, Pet, Toy, License, Note, Badge, Stamp];

async function owner(name: string) {
  return Owner.objects.create({ name });
}

forEachDatabase('writes', ({ dialect }) => {
  before(async () => {
    await createTables(models);
    await owner('nobody'); // id 1, the default of Badge.owner
  });

  it('creates with defaults and returns the key', async () => {
    const ada = await owner('ada');
    assert.ok(ada.id > 1);
    assert.equal(ada.visits, 0);
    assert.equal(ada.isNew, false);
  });

  it('gets or creates, and updates or creates', async () => {
    const [first, created] = await Owner.objects.getOrCreate({ name: 'bob' }, { visits: 3 });
    assert.equal(created, true);
    assert.equal(first.visits, 3);
    const [again, createdAgain] = await Owner.objects.getOrCreate({ name: 'bob' }, { visits: 9 });
    assert.equal(createdAgain, false);
    assert.equal(again.id, first.id);
    assert.equal(again.visits, 3);
    const [updated, made] = await Owner.objects.updateOrCreate({ name: 'bob' }, { visits: 5 });
    assert.equal(made, false);
    assert.equal((await Owner.objects.get({ id: updated.id })).visits, 5);
    const [fresh, madeFresh] = await Owner.objects.updateOrCreate({ name: 'cid' }, { visits: 1 });
    assert.equal(madeFresh, true);
    assert.equal(fresh.visits, 1);
  });

  it('bulk-creates with keys set and bulk-updates chosen fields', async () => {
    const made = await Owner.objects.bulkCreate(
      [{ name: 'b1' }, { name: 'b2', visits: 2 }, { name: 'b3' }],
      { batchSize: 2 },
    );
    assert.equal(made.length, 3);
    assert.ok(made.every((row) => typeof row.id === 'number'));
    assert.equal(new Set(made.map((row) => row.id)).size, 3);
    const names = await Owner.objects
      .filter({ id: { in: made.map((row) => row.id) } })
      .orderBy('id')
      .valuesList('name', { flat: true });
    assert.deepEqual(names, ['b1', 'b2', 'b3']);
    made[0]!.visits = 10;
    made[1]!.visits = 20;
    made[1]!.name = 'not saved';
    assert.equal(await Owner.objects.bulkUpdate(made, ['visits']), 3);
    const after = await Owner.objects
      .filter({ id: { in: made.map((row) => row.id) } })
      .orderBy('id')
      .valuesList('name', 'visits');
    assert.deepEqual(after, [
      ['b1', 10],
      ['b2', 20],
      ['b3', 0],
    ]);
  });

  it('bulk-updates in batches, reusing the statement, and undoes every batch when one fails', async () => {
    const made = await Owner.objects.bulkCreate(
      ['q1', 'q2', 'q3', 'q4', 'q5'].map((name) => new Owner({ name })),
    );
    const visits = () =>
      Owner.objects
        .filter({ id: { in: made.map((row) => row.id) } })
        .orderBy('id')
        .valuesList('visits', { flat: true });
    for (const [index, row] of made.entries()) row.visits = index + 1;
    assert.equal(await Owner.objects.bulkUpdate(made, ['visits'], { batchSize: 2 }), 5);
    assert.deepEqual(await visits(), [1, 2, 3, 4, 5]);
    // The same shape again, other values: the statement built for the first call serves it.
    for (const row of made) row.visits *= 10;
    made[0]!.name = 'q0';
    assert.equal(await Owner.objects.bulkUpdate(made, ['visits', 'name'], { batchSize: 2 }), 5);
    assert.deepEqual(await visits(), [10, 20, 30, 40, 50]);
    assert.equal((await Owner.objects.get({ id: made[0]!.id })).name, 'q0');
    // The third batch holds a value the field refuses, after two batches have run.
    for (const row of made) row.visits += 1;
    Reflect.set(made[4]!, 'visits', 'many');
    await assert.rejects(
      Owner.objects.bulkUpdate(made, ['visits'], { batchSize: 2 }),
      (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_DB_BAD_VALUE',
    );
    assert.deepEqual(await visits(), [10, 20, 30, 40, 50]);
  });

  it('updates many rows with values and F expressions, counting matches', async () => {
    const dee = await owner('dee');
    const count = await Owner.objects
      .filter({ name: { startsWith: 'd' } })
      .update({ visits: F('visits').add(2) });
    assert.equal(count, 1);
    assert.equal((await Owner.objects.get({ id: dee.id })).visits, 2);
    const same = await Owner.objects.filter({ id: dee.id }).update({ visits: 2 });
    assert.equal(same, 1, 'rows that already hold the value still count');
    const pet = await Pet.objects.create({ owner: dee, name: 'rex' });
    assert.equal(await Pet.objects.filter({ owner: { name: 'dee' } }).update({ name: 'max' }), 1);
    assert.equal((await Pet.objects.get({ id: pet.id })).name, 'max');
  });

  it('cascades deletes through relations and counts per model', async () => {
    const eve = await owner('eve');
    const pet = await Pet.objects.create({ owner: eve, name: 'tom' });
    await Toy.objects.bulkCreate([{ pet }, { pet }]);
    const note = await Note.objects.create({ owner: eve });
    const badge = await Badge.objects.create({ owner: eve });
    const result = await Owner.objects.filter({ name: 'eve' }).delete();
    assert.deepEqual(result.byModel, { 'writes.Toy': 2, 'writes.Pet': 1, 'writes.Owner': 1 });
    assert.equal(result.total, 4);
    assert.equal((await Note.objects.get({ id: note.id })).ownerId, null, 'setNull');
    assert.equal((await Badge.objects.get({ id: badge.id })).ownerId, 1, 'setDefault');
  });

  it('refuses to delete protected rows and leaves everything in place', async () => {
    const fay = await owner('fay');
    await Pet.objects.create({ owner: fay, name: 'kit' });
    await License.objects.create({ owner: fay });
    await assert.rejects(
      () => fay.delete(),
      (error: unknown) =>
        error instanceof ProtectedError &&
        error.code === 'CARAFE_DB_PROTECTED' &&
        error.blockedBy['writes.License'] === 1,
    );
    assert.equal(await Pet.objects.filter({ owner: fay }).count(), 1);
  });

  it('restricts unless the referencing rows go too', async () => {
    const gus = await owner('gus');
    const stranger = await Pet.objects.create({ owner: 1, name: 'stranger' });
    await Stamp.objects.create({ owner: gus, pet: stranger });
    await assert.rejects(
      () => gus.delete(),
      (error: unknown) =>
        error instanceof ProtectedError &&
        error.code === 'CARAFE_DB_RESTRICTED' &&
        error.blockedBy['writes.Stamp'] === 1,
    );
    assert.equal(await Owner.objects.filter({ id: gus.id }).exists(), true);
    const ivy = await owner('ivy');
    const own = await Pet.objects.create({ owner: ivy, name: 'own' });
    await Stamp.objects.create({ owner: ivy, pet: own });
    const result = await ivy.delete();
    assert.equal(
      result.byModel['writes.Stamp'],
      1,
      'the stamp goes with the pet, so the owner may go',
    );
  });

  it('sends delete signals per instance', async () => {
    const hal = await owner('hal');
    await Pet.objects.create({ owner: hal, name: 'a' });
    const seen: string[] = [];
    const offPre = preDelete.connect(({ instance }) => void seen.push(`pre:${String(instance)}`), {
      sender: Pet,
    });
    const offPost = postDelete.connect(
      ({ instance }) => void seen.push(`post:${String(instance)}`),
      { sender: Pet },
    );
    await hal.delete();
    offPre();
    offPost();
    assert.equal(seen.length, 2);
    assert.match(seen[0]!, /^pre:Pet object/);
  });

  it('locks rows with selectForUpdate inside atomic only', async () => {
    await assert.rejects(
      async () => Owner.objects.selectForUpdate().filter({ name: 'ada' }).then(),
      (error: unknown) =>
        error instanceof CarafeError && error.code === 'CARAFE_DB_NOT_IN_TRANSACTION',
    );
    const queries: string[] = [];
    const stop = database().onQuery((event) => queries.push(event.sql));
    const locked = await atomic(
      async () =>
        await Owner.objects
          .selectForUpdate({ skipLocked: dialect !== 'sqlite' })
          .filter({ name: 'ada' }),
    );
    stop();
    assert.equal(locked.length, 1);
    const select = queries.find((text) => /select/i.test(text) && /writes_owner/.test(text))!;
    if (dialect === 'sqlite') assert.doesNotMatch(select, /for update/i);
    else assert.match(select, /for update skip locked/i);
  });

  it('refuses to update or delete a slice', async () => {
    await assert.rejects(() => Owner.objects.limit(1).update({ visits: 1 }), /sliced/);
    await assert.rejects(() => Owner.objects.limit(1).delete(), /sliced/);
  });
});
