// Written by hand in the format makemigrations generates; creates the users, groups and
// permissions tables with Django's names (auth_user, auth_user_groups, …).
import { f } from '../../db/index.js';
import { migration, op } from '../../db/migrations/index.js';

export default migration({
  initial: true,
  operations: [
    op.createModel('auth.Permission', {
      table: 'auth_permission',
      fields: {
        id: f.bigAuto(),
        name: f.string({ max: 255 }),
        model: f.string({ max: 100 }),
        codename: f.string({ max: 100 }),
      },
      uniqueTogether: [['model', 'codename']],
    }),
    op.createModel('auth.Group', {
      table: 'auth_group',
      fields: {
        id: f.bigAuto(),
        name: f.string({ max: 150, unique: true }),
        permissions: f.manyToMany('auth.Permission', { relatedName: 'groups' }),
      },
    }),
    op.createModel('auth.User', {
      table: 'auth_user',
      fields: {
        id: f.bigAuto(),
        username: f.string({ max: 150, unique: true }),
        password: f.string({ max: 128 }),
        firstName: f.string({ max: 150 }),
        lastName: f.string({ max: 150 }),
        email: f.email(),
        isStaff: f.boolean(),
        isActive: f.boolean(),
        isSuperuser: f.boolean(),
        lastLogin: f.datetime({ nullable: true }),
        dateJoined: f.datetime(),
        groups: f.manyToMany('auth.Group', { relatedName: 'users' }),
        userPermissions: f.manyToMany('auth.Permission', { relatedName: 'users' }),
      },
    }),
  ],
});
