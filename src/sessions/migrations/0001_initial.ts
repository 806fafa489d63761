// Written by hand in the format makemigrations generates; creates the table of databaseSessions().
import { f } from '../../db/index.js';
import { migration, op } from '../../db/migrations/index.js';

export default migration({
  initial: true,
  operations: [
    op.createModel('sessions.Session', {
      table: 'sessions_session',
      fields: {
        key: f.string({ max: 40, primaryKey: true }),
        data: f.text(),
        expiresAt: f.datetime({ index: true }),
      },
    }),
  ],
});
