// Every TechEmpower test type on Hono through @hono/node-server's `serve`, with the raw
// driver and the shared Nunjucks template.
import {
  announceListening,
  closeOnSigterm,
  exitOnStartupError,
  HELLO,
  serverPort,
  startClock,
} from './common.js';
import { databaseUrl, queryCount, randomWorldId } from './db-common.js';
import { fortunesPage } from './tfb-nunjucks.js';
import {
  openStore,
  randomWorlds,
  sortedFortunes,
  updateRandomWorlds,
  worldCache,
} from './tfb-store.js';

const startedAt = startClock();
const port = serverPort();
const url = databaseUrl();
const { Hono } = await import('hono');
const { serve } = await import('@hono/node-server');

const store = await openStore(url);
const renderFortunes = await fortunesPage();
const cachedWorlds = worldCache(store);

const app = new Hono();
app.get('/plaintext', (c) => c.text(HELLO));
app.get('/json', (c) => c.json({ message: HELLO }));
app.get('/db', async (c) => c.json(await store.world(randomWorldId())));
app.get('/queries', async (c) =>
  c.json(await randomWorlds(store, queryCount(c.req.query('queries') ?? null))),
);
app.get('/fortunes', async (c) => c.html(renderFortunes(await sortedFortunes(store))));
app.get('/updates', async (c) =>
  c.json(await updateRandomWorlds(store, queryCount(c.req.query('queries') ?? null))),
);
app.get('/cached-queries', async (c) =>
  c.json(await cachedWorlds(queryCount(c.req.query('count') ?? null))),
);

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () =>
  announceListening(port, startedAt),
);
server.once('error', (error) => exitOnStartupError(error, port));
closeOnSigterm(async () => {
  await new Promise((resolve) => {
    server.close(resolve);
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
  await store.close();
});
