// Models for relation tests: self references, one-to-one, and a many-to-many with its own join model.
import { f, model } from '../index.js';

export const Person = model('people.Person', {
  name: f.string({ max: 50 }),
  mentor: f.foreignKey('self', { onDelete: 'setNull', nullable: true, relatedName: 'mentees' }),
  friends: f.manyToMany('self', { relatedName: 'friendOf' }),
});

export const Profile = model('people.Profile', {
  person: f.oneToOne(() => Person, { onDelete: 'cascade', relatedName: 'profile' }),
  bio: f.text({ default: '' }),
});

export const Club = model('people.Club', {
  name: f.string({ max: 50 }),
  members: f.manyToMany(() => Person, { through: 'people.Membership', relatedName: 'clubs' }),
});

export const Membership = model('people.Membership', {
  club: f.foreignKey('people.Club', { onDelete: 'cascade', relatedName: 'memberships' }),
  person: f.foreignKey(() => Person, { onDelete: 'cascade', relatedName: 'memberships' }),
  role: f.string({ max: 20, default: 'member' }),
});

export const peopleModels = [Person, Profile, Club, Membership];

declare module '../index.js' {
  interface RegisteredModels {
    people: typeof import('./people.js');
  }
}
