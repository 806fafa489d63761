// Started by db-paths.mjs: one Carafe app serving `/db` three ways over the same SQLite file, so
// the cost of each layer shows against the limit — the ORM in an async handler (as the
// TechEmpower server), the bare better-sqlite3 statement in an async handler, and the bare
// statement in a synchronous one. CARAFE_BUILD is the compiled build's root.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Sqlite from 'better-sqlite3';

const build = process.env.CARAFE_BUILD;
const { Carafe } = await import(pathToFileURL(join(build, 'src', 'index.js')).href);
const { configureDatabases, f, model } = await import(
  pathToFileURL(join(build, 'src', 'db', 'index.js')).href
);
const url = process.argv[process.argv.indexOf('--db-url') + 1];
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);

configureDatabases(url);
const World = model(
  'micro.World',
  { randomNumber: f.integer({ column: 'randomnumber' }) },
  { table: 'world' },
);
const select = new Sqlite(url.slice('sqlite://'.length)).prepare(
  'SELECT id, randomnumber FROM world WHERE id = ?',
);
const randomId = () => 1 + Math.floor(Math.random() * 10_000);

const app = new Carafe({
  debug: false,
  secretKey: 'x'.repeat(48),
  allowedHosts: ['127.0.0.1'],
  log: { level: 'silent' },
});
app.get(
  '/db',
  async () => {
    const world = await World.objects.get({ id: randomId() });
    return { id: world.id, randomNumber: world.randomNumber };
  },
  { name: 'orm' },
);
app.get(
  '/db-statement',
  async () => {
    const row = await Promise.resolve(select.get(randomId()));
    return { id: row.id, randomNumber: row.randomnumber };
  },
  { name: 'statement' },
);
app.get(
  '/db-statement-sync',
  () => {
    const row = select.get(randomId());
    return { id: row.id, randomNumber: row.randomnumber };
  },
  { name: 'statement-sync' },
);
await app.listen({ port, handleSignals: true });
console.log('listening');
