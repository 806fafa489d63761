// Written by hand in the format makemigrations generates; creates the admin's history table.
import { f } from '../../db/index.js';
import { migration, op } from '../../db/migrations/index.js';

export default migration({
  initial: true,
  dependencies: [['auth', '0001_initial']],
  operations: [
    op.createModel('admin.LogEntry', {
      table: 'admin_log_entry',
      fields: {
        id: f.bigAuto(),
        actionTime: f.datetime(),
        user: f.foreignKey('auth.User', { onDelete: 'cascade', relatedName: '+' }),
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
