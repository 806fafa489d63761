// `npm start`: brings the demo's SQLite database up to date, then serves the polls site on
// http://127.0.0.1:8000 (PORT overrides; PORT=0 picks a free port).
import { Carafe, env, redirect } from 'carafe';
import { closeDatabases, configureDatabases } from 'carafe/db';
import { migrate } from 'carafe/db/migrations';
import config from './carafe.config.js';

const app = new Carafe(config);
// The `carafe` command does this from the `database` setting; a script of our own does it here.
if (app.config.database !== undefined) configureDatabases(app.config.database);
app.onShutdown(closeDatabases);

// The project has one app of its own, so the front page leads to it.
app.get('/', (req) => redirect(req.urlFor('polls.index')), { name: 'home' });

const { exitCode } = await migrate({ apps: app.apps });
if (exitCode !== 0) {
  await closeDatabases();
  process.exit(exitCode);
}

const server = await app.listen({ host: '127.0.0.1', port: env.int('PORT', 8000) });
console.log(`
Carafe's polls demo is serving on ${server.url}/ (Ctrl-C to stop)
  polls:  ${server.url}/polls/
  admin:  ${server.url}/admin/
To log in to the admin, create a user first: npm run createsuperuser
`);
