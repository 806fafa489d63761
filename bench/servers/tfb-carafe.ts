// Every TechEmpower test type in Carafe, written the way its guides teach: models read through
// `Model.objects`, `bulkUpdate` for the updates, `render` from carafe/templates for the
// fortunes, and carafe/cache's in-memory cache (through the `cache` setting) for the cached
// queries; handlers return plain objects.
import { randomBytes } from 'node:crypto';
import { announceListening, exitOnStartupError, HELLO, serverPort, startClock } from './common.js';
import {
  ADDITIONAL_FORTUNE,
  byMessage,
  databaseUrl,
  queryCount,
  randomWorldId,
  TEMPLATES_DIR,
  WORLD_ROWS,
  type World as WorldJson,
} from './db-common.js';

const startedAt = startClock();
const port = serverPort();
const url = databaseUrl();
const { Carafe, text } = await import('../../src/index.js');
const { configureDatabases, f, model } = await import('../../src/db/index.js');
// Imported before the app is created: they register the `templates` and `cache` settings.
const { render } = await import('../../src/templates/index.js');
const { cache, caching } = await import('../../src/cache/index.js');

configureDatabases(url);

// The TechEmpower schema names the column `randomnumber`; the property stays camelCase.
const World = model(
  'bench.World',
  { randomNumber: f.integer({ column: 'randomnumber' }) },
  { table: 'world' },
);
const Fortune = model('bench.Fortune', { message: f.string({ max: 2048 }) }, { table: 'fortune' });

type WorldRow = Awaited<ReturnType<typeof World.objects.get>>;
const asJson = (world: WorldRow): WorldJson => ({ id: world.id, randomNumber: world.randomNumber });

async function randomWorlds(count: number): Promise<WorldRow[]> {
  const worlds = [];
  // One query after another, as the benchmark prescribes (no IN, no batching).
  for (let i = 0; i < count; i++) worlds.push(await World.objects.get({ id: randomWorldId() }));
  return worlds;
}

async function cachedWorlds(count: number): Promise<WorldJson[]> {
  const keys = Array.from({ length: count }, () => `world:${randomWorldId()}`);
  const found = await cache.getMany<WorldJson>(keys);
  const worlds: WorldJson[] = [];
  for (const key of keys) {
    let world = found.get(key);
    if (world === undefined) {
      world = asJson(await World.objects.get({ id: Number(key.slice('world:'.length)) }));
      await cache.set(key, world);
    }
    worlds.push(world);
  }
  return worlds;
}

const app = new Carafe({
  debug: false,
  secretKey: randomBytes(24).toString('hex'),
  allowedHosts: ['127.0.0.1', 'localhost'],
  apps: [caching()],
  templates: { dirs: [TEMPLATES_DIR] },
  // Room for every row, kept an hour.
  cache: { default: { backend: 'memory', maxEntries: WORLD_ROWS, ttl: 3600 } },
});

app.get('/plaintext', () => text(HELLO), { name: 'plaintext' });
app.get('/json', () => ({ message: HELLO }), { name: 'json' });
app.get('/db', async () => asJson(await World.objects.get({ id: randomWorldId() })), {
  name: 'db',
});
app.get(
  '/queries',
  async (req) => (await randomWorlds(queryCount(req.query.get('queries')))).map(asJson),
  { name: 'queries' },
);
app.get(
  '/fortunes',
  async (req) => {
    const fortunes = [...(await Fortune.objects.all()), ADDITIONAL_FORTUNE];
    fortunes.sort(byMessage);
    return render(req, 'fortunes.html', { fortunes });
  },
  { name: 'fortunes' },
);
app.get(
  '/updates',
  async (req) => {
    const worlds = await randomWorlds(queryCount(req.query.get('queries')));
    for (const world of worlds) world.randomNumber = randomWorldId();
    await World.objects.bulkUpdate(worlds, ['randomNumber']);
    return worlds.map(asJson);
  },
  { name: 'updates' },
);
app.get('/cached-queries', (req) => cachedWorlds(queryCount(req.query.get('count'))), {
  name: 'cached-queries',
});

try {
  // Carafe closes the server and exits 0 on SIGTERM by itself (`handleSignals`, on by default).
  await app.listen({ host: '127.0.0.1', port });
  announceListening(port, startedAt);
} catch (error) {
  exitOnStartupError(error, port);
}
