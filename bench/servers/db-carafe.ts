// Carafe with its ORM, written the way docs/guide/models.md and queries.md teach: a model,
// `Model.objects.get({ id })` per row, handlers returning plain objects.
import { randomBytes } from 'node:crypto';
import { announceListening, exitOnStartupError, serverPort, startClock } from './common.js';
import { databaseUrl, queryCount, randomWorldId } from './db-common.js';

const startedAt = startClock();
const port = serverPort();
const url = databaseUrl();
const { Carafe } = await import('../../src/index.js');
const { configureDatabases, f, model } = await import('../../src/db/index.js');

configureDatabases(url);

// The TechEmpower schema names the column `randomnumber`; the property stays camelCase.
const World = model(
  'bench.World',
  { randomNumber: f.integer({ column: 'randomnumber' }) },
  { table: 'world' },
);

async function randomWorld(): Promise<{ id: number; randomNumber: number }> {
  const world = await World.objects.get({ id: randomWorldId() });
  return { id: world.id, randomNumber: world.randomNumber };
}

const app = new Carafe({
  debug: false,
  secretKey: randomBytes(24).toString('hex'),
  allowedHosts: ['127.0.0.1', 'localhost'],
});
app.get('/db', () => randomWorld(), { name: 'db' });
app.get(
  '/queries',
  async (req) => {
    const worlds = [];
    // One query after another, as the benchmark prescribes (no IN, no batching).
    for (let i = queryCount(req.query.get('queries')); i > 0; i--) worlds.push(await randomWorld());
    return worlds;
  },
  { name: 'queries' },
);

try {
  // Carafe closes the server and exits 0 on SIGTERM by itself (`handleSignals`, on by default).
  await app.listen({ host: '127.0.0.1', port });
  announceListening(port, startedAt);
} catch (error) {
  exitOnStartupError(error, port);
}
