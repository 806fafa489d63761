import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachDatabase } from '../../../../test/support/databases.js';
import { database, f } from '../../index.js';
import { indexSummary, OperationRunner, tableShape } from '../../test-support/schema-runner.js';
import { op } from './index.js';

const names = async () =>
  (await database().raw<{ name: string }>('SELECT name FROM oi_city ORDER BY id')).map(
    (row) => row.name,
  );

forEachDatabase(
  'addIndex / removeIndex / addConstraint / removeConstraint / alterUniqueTogether',
  () => {
    const runner = new OperationRunner();

    before(async () => {
      await runner.forwards(
        op.createModel('oi.City', {
          table: 'oi_city',
          fields: {
            id: f.bigAuto(),
            name: f.string({ max: 20 }),
            country: f.string({ max: 2 }),
            people: f.integer(),
          },
        }),
      );
      await database().raw(
        "INSERT INTO oi_city (name, country, people) VALUES ('Lyon', 'FR', 500), ('Gent', 'BE', 260), ('Nice', 'FR', 340)",
      );
    });

    it('adds and removes named indexes (descending columns, unique)', async () => {
      await runner.forwards(
        op.addIndex('oi.City', { name: 'oi_city_country_people', fields: ['country', '-people'] }),
        op.addIndex('oi.City', { name: 'oi_city_name_uniq', fields: ['name'], unique: true }),
      );
      const shape = await tableShape('oi_city');
      assert.deepEqual(
        shape.indexes.map((index) => index.name),
        ['oi_city_country_people', 'oi_city_name_uniq'],
      );
      assert.deepEqual(indexSummary(shape), ['country,people', 'unique name']);
      await assert.rejects(() =>
        database().raw("INSERT INTO oi_city (name, country, people) VALUES ('Lyon', 'US', 1)"),
      );
      await runner.forwards(op.removeIndex('oi.City', 'oi_city_name_uniq'));
      assert.deepEqual(indexSummary(await tableShape('oi_city')), ['country,people']);
      await runner.backwards();
      assert.deepEqual(indexSummary(await tableShape('oi_city')), [
        'country,people',
        'unique name',
      ]);
      await runner.backwards(2);
      assert.deepEqual(indexSummary(await tableShape('oi_city')), []);
      assert.deepEqual(await names(), ['Lyon', 'Gent', 'Nice']);
    });

    it('adds check and unique constraints that hold from then on; removes them', async () => {
      await runner.forwards(
        op.addConstraint('oi.City', {
          name: 'oi_city_people_positive',
          check: { people: { gt: 0 } },
        }),
        op.addConstraint('oi.City', {
          name: 'oi_city_country_upper',
          check: 'country = upper(country)',
        }),
        op.addConstraint('oi.City', { name: 'oi_city_name_country', unique: ['name', 'country'] }),
      );
      const shape = await tableShape('oi_city');
      assert.deepEqual(shape.checks, ['oi_city_country_upper', 'oi_city_people_positive']);
      assert.deepEqual(indexSummary(shape), ['unique name,country']);
      await assert.rejects(() =>
        database().raw("UPDATE oi_city SET people = 0 WHERE name = 'Gent'"),
      );
      await assert.rejects(() =>
        database().raw("UPDATE oi_city SET country = 'fr' WHERE name = 'Gent'"),
      );
      await assert.rejects(() =>
        database().raw("INSERT INTO oi_city (name, country, people) VALUES ('Lyon', 'FR', 1)"),
      );
      await runner.forwards(op.removeConstraint('oi.City', 'oi_city_people_positive'));
      await database().raw("UPDATE oi_city SET people = 0 WHERE name = 'Gent'");
      await assert.rejects(() => runner.backwards(), 'a row breaks the check being restored');
      assert.deepEqual(
        (await tableShape('oi_city')).checks,
        ['oi_city_country_upper'],
        'nothing changed',
      );
      await database().raw("UPDATE oi_city SET people = 260 WHERE name = 'Gent'");
      await runner.backwards();
      assert.deepEqual((await tableShape('oi_city')).checks, [
        'oi_city_country_upper',
        'oi_city_people_positive',
      ]);
      await runner.backwards(3);
      const back = await tableShape('oi_city');
      assert.deepEqual([back.checks, indexSummary(back)], [[], []]);
      assert.deepEqual(await names(), ['Lyon', 'Gent', 'Nice']);
    });

    it('alters unique together groups', async () => {
      await runner.forwards(op.alterUniqueTogether('oi.City', [['name', 'country'], ['people']]));
      assert.deepEqual(indexSummary(await tableShape('oi_city')), [
        'unique name,country',
        'unique people',
      ]);
      await runner.forwards(op.alterUniqueTogether('oi.City', [['country', 'people']]));
      assert.deepEqual(indexSummary(await tableShape('oi_city')), ['unique country,people']);
      await runner.backwards();
      assert.deepEqual(indexSummary(await tableShape('oi_city')), [
        'unique name,country',
        'unique people',
      ]);
      await runner.backwards();
      assert.deepEqual(indexSummary(await tableShape('oi_city')), []);
      assert.deepEqual(await names(), ['Lyon', 'Gent', 'Nice']);
    });

    it('refuses names already taken and names that do not exist', () => {
      const state = runner.state.clone();
      op.addIndex('oi.City', { name: 'taken', fields: ['name'] }).stateForwards(state);
      assert.throws(
        () => op.addConstraint('oi.City', { name: 'taken', unique: ['name'] }).stateForwards(state),
        {
          code: 'CARAFE_MIGRATION_DUPLICATE_NAME',
        },
      );
      assert.throws(() => op.removeConstraint('oi.City', 'nope').stateForwards(state), {
        code: 'CARAFE_MIGRATION_UNKNOWN_NAME',
      });
      assert.throws(
        () => op.addIndex('oi.City', { name: 'x', fields: ['nope'] }).stateForwards(state),
        {
          code: 'CARAFE_MIGRATION_UNKNOWN_FIELD',
        },
      );
    });
  },
);
