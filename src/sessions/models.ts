// The table the database backend keeps sessions in (`sessions_session`). Defined whatever the
// backend, like Django's: the sessions app's migration creates it, and it stays empty unless
// `databaseSessions()` is used. Named SessionModel because `Session` is already `req.session`.
import { f, model } from '../db/index.js';

export const SessionModel = model(
  'sessions.Session',
  {
    /** The id the cookie carries: 32 url-safe characters, 192 random bits. */
    key: f.string({ max: 40, primaryKey: true }),
    /** The session as JSON, in the envelope every store uses: `{ data, expiry? }`. */
    data: f.text(),
    /** The row is ignored from this instant on, and `clearExpiredSessions()` deletes it. */
    expiresAt: f.datetime({ index: true }),
  },
  { verboseName: 'session' },
);
