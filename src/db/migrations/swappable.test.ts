// Relations to a swappable model (Django's AUTH_USER_MODEL): migration files name the swappable
// model, the migration state follows the project's replacement, and the written code stays
// swappable. Each test file has its own process, so the swap made here stays here; the labels
// are this file's own all the same.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { f, model, type RelationField, swapModel, swappableModel, swappedModel } from '../index.js';
import {
  detectChanges,
  migration,
  migrationSource,
  nonInteractiveQuestioner,
  op,
  ProjectState,
  swappable,
  swappableDependency,
} from './index.js';

const Owner = model('swp.Owner', { name: f.string({ max: 50 }) });
const Keeper = model('swpk.Keeper', { name: f.string({ max: 50 }) });
const Other = model('swpo.Other', { name: f.string({ max: 50 }) });
const owner = swappableModel('swp.Owner', () => Owner);
const Pet = model('swpp.Pet', {
  owner: f.foreignKey(owner, { onDelete: 'cascade', relatedName: 'pets' }),
});

const petMigration = migration({
  initial: true,
  dependencies: [swappableDependency('swp.Owner')],
  operations: [
    op.createModel('swpp.Pet', {
      table: 'swpp_pet',
      fields: {
        id: f.bigAuto(),
        owner: f.foreignKey(swappable('swp.Owner'), { onDelete: 'cascade', relatedName: 'pets' }),
      },
    }),
  ],
});

function migratedState(): ProjectState {
  const state = new ProjectState();
  for (const operation of petMigration.operations) operation.stateForwards(state);
  return state;
}

describe('swappable models', () => {
  it('point the migration state at the replacement, and keep the files naming the swappable model', async () => {
    assert.equal(migratedState().model('swpp.Pet').fields.get('owner')?.to, 'swp.Owner');

    swapModel('swp.Owner', Keeper);
    assert.deepEqual(migratedState().model('swpp.Pet').fields.get('owner'), {
      kind: 'foreignKey',
      to: 'swpk.Keeper',
      onDelete: 'cascade',
      relatedName: 'pets',
      swappable: 'swp.Owner',
    });

    // The live model follows too, and agrees with the migrations: nothing to migrate.
    const relation = Pet.meta.fieldByName.get('owner') as RelationField;
    assert.equal(relation.resolve(), true);
    assert.equal(relation.target, Keeper.meta);
    assert.equal(swappedModel('swp.Owner'), Keeper);
    const live = ProjectState.fromModels([Pet.meta]);
    const changes = await detectChanges(migratedState(), live, {
      questioner: nonInteractiveQuestioner(),
    });
    assert.equal(changes.size, 0);

    const source = migrationSource(
      {
        initial: true,
        dependencies: petMigration.dependencies,
        operations: petMigration.operations,
      },
      { now: new Date('2026-01-01T00:00:00Z') },
    );
    assert.match(
      source,
      /import \{ migration, op, swappable, swappableDependency \} from 'carafe\/db\/migrations';/,
    );
    assert.match(source, /dependencies: \[swappableDependency\('swp\.Owner'\)\],/);
    assert.match(
      source,
      /owner: f\.foreignKey\(swappable\('swp\.Owner'\), \{ onDelete: 'cascade', relatedName: 'pets' \}\)/,
    );
    assert.doesNotMatch(source, /swpk/);
  });

  it('stays with the model relations resolved to, once they have', () => {
    swapModel('swp.Owner', Other);
    assert.equal(swappedModel('swp.Owner'), Keeper);
    assert.equal(migratedState().model('swpp.Pet').fields.get('owner')?.to, 'swpk.Keeper');
  });

  it('checks swappable dependencies like other dependencies', () => {
    assert.throws(
      () =>
        migration({
          dependencies: [swappableDependency('swp.Owner'), ['swp']] as never,
          operations: [],
        }),
      {
        code: 'CARAFE_MIGRATION_DEFINITION',
        message: /dependencies\[1\] must be an \[app, name\] pair/,
      },
    );
  });
});
