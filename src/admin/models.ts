// The admin's record of what staff did: one row per addition, change or deletion made through
// the admin (Django's LogEntry). It names the object by model label and key, not by a foreign
// key, so the history outlives the object and covers every model. Who did it is a foreign key
// to the project's user model (`userModel`: `auth.User` or what `auth({ userModel })` names).
import { userModel } from '../auth/index.js';
import { f, model } from '../db/index.js';

export const logActions = ['add', 'change', 'delete'] as const;
export type LogAction = (typeof logActions)[number];

export const LogEntry = model(
  'admin.LogEntry',
  {
    actionTime: f.datetime({ default: () => new Date(), label: 'action time' }),
    user: f.foreignKey(userModel, { onDelete: 'cascade', relatedName: '+' }),
    /** The model's label in lower case, as permissions name it: `polls.question`. */
    model: f.string({ max: 100 }),
    objectId: f.string({ max: 255, label: 'object id' }),
    /** What the object was called at the time (`String(object)`), cut to 200 characters. */
    objectRepr: f.string({ max: 200, label: 'object repr' }),
    action: f.choice(logActions),
    /** Plain text: `Changed text and votes.` */
    changeMessage: f.text({ blank: true, default: '', label: 'change message' }),
  },
  {
    ordering: ['-actionTime'],
    indexes: [{ fields: ['model', 'objectId'] }],
    verboseName: 'log entry',
    verboseNamePlural: 'log entries',
    display: (entry) => `${entry.action} ${entry.model} “${entry.objectRepr}”`,
  },
);

declare module '../db/index.js' {
  interface RegisteredModels {
    admin: typeof import('./models.js');
  }
}
