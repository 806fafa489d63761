// The polls app: its models, routes, templates, static files and migrations, found from this
// module's own folder so the project runs from any working directory.
import { fileURLToPath } from 'node:url';
import { defineApp } from 'carafe';
import './admin.js';
import { Choice, Question } from './models.js';
import { routes } from './routes.js';

export const polls = defineApp({
  name: 'polls',
  models: [Question, Choice],
  routes,
  migrations: new URL('./migrations/', import.meta.url),
  templates: fileURLToPath(new URL('./templates/', import.meta.url)),
  static: fileURLToPath(new URL('./static/', import.meta.url)),
});
