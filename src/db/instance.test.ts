import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { CarafeError } from '../index.js';
import { forEachDatabase } from '../testing/databases.js';
import { createTables, database, f, model, postSave, preSave, ValidationError } from './index.js';

const Shelf = model('inst.Shelf', { label: f.string({ max: 10, unique: true }) });
const Item = model(
  'inst.Item',
  {
    shelf: f.foreignKey(() => Shelf, { onDelete: 'cascade', relatedName: 'items' }),
    name: f.string({ max: 10 }),
    kind: f.string({
      max: 10,
      choices: [
        ['tool', 'Tool'],
        ['toy', 'Toy'],
      ],
      default: 'tool',
    }),
    count: f.integer({
      default: 1,
      validators: [(value) => (value % 2 === 0 ? 'Must be odd.' : undefined)],
    }),
    note: f.string({ max: 20, blank: true, default: '' }),
  },
  { uniqueTogether: [['shelf', 'name']], display: (item) => `${item.name} ×${item.count}` },
);

forEachDatabase('instances', () => {
  before(async () => {
    await createTables([Shelf, Item]);
  });

  it('inserts new instances on save and updates saved ones', async () => {
    const shelf = new Shelf({ label: 'A' });
    assert.equal(shelf.isNew, true);
    await shelf.save();
    assert.equal(shelf.isNew, false);
    assert.equal(typeof shelf.id, 'number');
    shelf.label = 'B';
    await shelf.save();
    assert.equal((await Shelf.objects.get({ id: shelf.id })).label, 'B');
    assert.equal(await Shelf.objects.count(), 1);
  });

  it('saves only the named fields with updateFields', async () => {
    const shelf = await Shelf.objects.get({ label: 'B' });
    const item = await Item.objects.create({ shelf, name: 'saw' });
    item.name = 'hammer';
    item.count = 3;
    const queries: string[] = [];
    const stop = database().onQuery((event) => queries.push(event.sql));
    await item.save({ updateFields: ['count'] });
    stop();
    assert.equal(queries.length, 1);
    assert.doesNotMatch(queries[0]!, /name/);
    const stored = await Item.objects.get({ id: item.id });
    assert.deepEqual([stored.name, stored.count], ['saw', 3]);
    await Item.objects.filter({ id: item.id }).delete();
    await assert.rejects(
      () => stored.save({ updateFields: ['count'] }),
      (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_DB_NOT_SAVED',
    );
    await stored.save();
    assert.equal(
      await Item.objects.filter({ id: item.id }).count(),
      1,
      'a plain save of a vanished row inserts it again',
    );
    await stored.delete();
    assert.equal(stored.isNew, true);
    await stored.save();
    assert.notEqual(stored.id, item.id, 'saving after delete() makes a new row');
  });

  it('refreshes from the database and deletes', async () => {
    const shelf = await Shelf.objects.create({ label: 'C' });
    await Shelf.objects.filter({ id: shelf.id }).update({ label: 'D' });
    assert.equal(shelf.label, 'C');
    await shelf.refresh();
    assert.equal(shelf.label, 'D');
    const copy = await Shelf.objects.get({ id: shelf.id });
    const result = await shelf.delete();
    assert.equal(result.total, 1);
    assert.equal(shelf.isNew, true);
    await assert.rejects(() => copy.refresh(), Shelf.DoesNotExist);
    await assert.rejects(
      () => shelf.refresh(),
      (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_DB_NOT_SAVED',
    );
  });

  it('checks assigned values on save', async () => {
    const shelf = await Shelf.objects.create({ label: 'E' });
    Reflect.set(shelf, 'label', 42);
    await assert.rejects(
      () => shelf.save(),
      (error: unknown) =>
        error instanceof CarafeError &&
        error.code === 'CARAFE_DB_BAD_VALUE' &&
        /inst\.Shelf\.label/.test(error.message),
    );
  });

  it('validates fields, choices, validators and uniqueness into per-field errors', async () => {
    const shelf = await Shelf.objects.create({ label: 'F' });
    await Item.objects.create({ shelf, name: 'drill' });
    const bad = new Item({ shelf, name: 'drill', count: 2 });
    Reflect.set(bad, 'kind', 'weapon');
    Reflect.set(bad, 'name', 'far too long name');
    await assert.rejects(
      () => bad.validate(),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(error.errors, {
          name: ['Ensure this value has at most 10 characters (it has 17).'],
          kind: ['Value "weapon" is not a valid choice.'],
          count: ['Must be odd.'],
        });
        return true;
      },
    );
    const duplicate = new Item({ shelf, name: 'drill' });
    assert.deepEqual(await duplicate.errors(), {
      __all__: ['Item with this shelf and name already exists.'],
    });
    const twin = new Shelf({ label: 'F' });
    assert.deepEqual(await twin.errors(), { label: ['Shelf with this label already exists.'] });
    await shelf.validate();
    assert.deepEqual(await new Item({ shelf, name: '', note: '' }).errors({ unique: false }), {
      name: ['This field cannot be blank.'],
    });
    assert.deepEqual(await new Item({ shelf, name: 'x' }).errors({ exclude: ['name'] }), undefined);
  });

  it('fires preSave and postSave with created', async () => {
    const seen: string[] = [];
    const offPre = preSave.connect(({ created }) => void seen.push(`pre:${created}`), {
      sender: Shelf,
    });
    const offPost = postSave.connect(
      ({ created, instance }) =>
        void seen.push(`post:${created}:${String((instance as { label: string }).label)}`),
      {
        sender: Shelf,
      },
    );
    const shelf = await Shelf.objects.create({ label: 'G' });
    shelf.label = 'H';
    await shelf.save();
    offPre();
    offPost();
    assert.deepEqual(seen, ['pre:true', 'post:true:G', 'pre:false', 'post:false:H']);
  });

  it('serializes to its stored values and shows with display', async () => {
    const shelf = await Shelf.objects.create({ label: 'J' });
    const item = await Item.objects.create({ shelf, name: 'nail', count: 5 });
    assert.deepEqual(JSON.parse(JSON.stringify(item)), {
      id: item.id,
      shelfId: shelf.id,
      name: 'nail',
      kind: 'tool',
      count: 5,
      note: '',
      shelf: { id: shelf.id, label: 'J' },
    });
    const loaded = await Item.objects.get({ id: item.id });
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(loaded))), [
      'id',
      'shelfId',
      'name',
      'kind',
      'count',
      'note',
    ]);
    assert.equal(String(loaded), 'nail ×5');
    assert.deepEqual(
      { ...loaded },
      { id: item.id, shelfId: shelf.id, name: 'nail', kind: 'tool', count: 5, note: '' },
    );
  });

  it('sets a foreign key by instance or by key', async () => {
    const [one, two] = await Shelf.objects.bulkCreate([{ label: 'K' }, { label: 'L' }]);
    const created = await Item.objects.create({ shelf: one!.id, name: 'glue' });
    const item = await Item.objects.select('shelf').get({ id: created.id });
    assert.equal(item.shelf.label, 'K');
    item.shelf = two!;
    assert.equal(item.shelfId, two!.id);
    await item.save();
    assert.equal((await Item.objects.get({ id: item.id })).shelfId, two!.id);
    item.shelfId = one!.id;
    await item.save({ updateFields: ['shelfId'] });
    assert.equal((await Item.objects.get({ id: item.id })).shelfId, one!.id);
    assert.throws(() => Reflect.set(item, 'shelf', { id: 1 }), /takes a inst\.Shelf instance/);
  });
});
