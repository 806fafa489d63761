// Written by hand in the format makemigrations generates; creates the admin's history table,
// which points at the project's user model (`auth.User` or what `auth({ userModel })` names).
import { f } from '../../db/index.js';
import { migration, op, swappable, swappableDependency } from '../../db/migrations/index.js';

export default migration({
  initial: true,
  dependencies: [['auth', '0001_initial'], swappableDependency('auth.User')],
  operations: [
    op.createModel('admin.LogEntry', {
      table: 'admin_log_entry',
      fields: {
        id: f.bigAuto(),
        actionTime: f.datetime(),
        user: f.foreignKey(swappable('auth.User'), { onDelete: 'cascade', relatedName: '+' }),
        model: f.string({ max: 100 }),
        objectId: f.string({ max: 255 }),
        objectRepr: f.string({ max: 200 }),
        action: f.string({ max: 6 }),
        changeMessage: f.text(),
      },
      indexes: [
        { name: 'admin_log_entry_model_object_id_idx_9cdb79a4', fields: ['model', 'objectId'] },
      ],
    }),
  ],
});
