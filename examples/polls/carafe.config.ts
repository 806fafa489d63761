// The demo project's settings, read by examples/polls/main.ts (`npm start`), by the scripts
// beside it and by the `carafe` command (`carafe --config examples/polls/carafe.config.ts …`).
import { fileURLToPath } from 'node:url';
import { defineConfig, env } from 'carafe';
import { admin } from 'carafe/admin';
import { auth } from 'carafe/auth';
import { security } from 'carafe/security';
import { sessions } from 'carafe/sessions';
import { polls } from './polls/app.js';

// A demo runs in debug mode unless told otherwise (DEBUG=false).
const debug = env.bool('DEBUG', true);
// The database file and the templates folder sit beside this config, whichever folder the demo is
// started from.
const databaseFile = fileURLToPath(new URL('./db.sqlite3', import.meta.url));
const templates = fileURLToPath(new URL('./templates/', import.meta.url));

export default defineConfig({
  debug,
  // A fixed key in debug mode keeps the admin logged in across restarts. It is public, so it is
  // never used outside debug mode: there SECRET_KEY must be set.
  secretKey:
    env('SECRET_KEY') ?? (debug ? 'polls-demo-insecure-key-for-debug-mode-only' : undefined),
  allowedHosts: env.list('ALLOWED_HOSTS', []),
  database: env('DATABASE_URL', `sqlite://${databaseFile}`),
  // The project's own templates, searched before the apps': templates/admin/base_site.html
  // gives the admin's pages the site's name.
  templates: { dirs: [templates] },
  apps: [sessions(), security(), auth(), admin, polls],
});
