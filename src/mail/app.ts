// The mail app: listing it makes the `mail` setting the one sendMail uses.
import { type AppDefinition, defineApp } from '../index.js';
import { useMailConfig } from './mailer.js';

/** `apps: [mail()]` with `mail: { backend, from, smtp }` in carafe.config.ts. */
export function mail(): AppDefinition {
  return defineApp({
    name: 'carafe.mail',
    setup(app) {
      useMailConfig(app.config.mail);
    },
  });
}
