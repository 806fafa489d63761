// Every TechEmpower test type on Express 5 with its defaults (ETag, X-Powered-By; a rejected
// async handler goes to its error handler), answering through res.json / res.send / res.render, with the raw driver and Nunjucks set up as
// Nunjucks documents it for Express (`nunjucks.configure(dir, { express: app })`).
import {
  announceListening,
  closeOnSigterm,
  exitOnStartupError,
  HELLO,
  serverPort,
  startClock,
} from './common.js';
import { databaseUrl, queryCount, randomWorldId, TEMPLATES_DIR } from './db-common.js';
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
const { default: express } = await import('express');
const { default: nunjucks } = await import('nunjucks');

const store = await openStore(url);
const cachedWorlds = worldCache(store);

const app = express();
nunjucks.configure(TEMPLATES_DIR, { autoescape: true, express: app, watch: false, noCache: false });

/** The query parameter as text: Express parses `?a=1&a=2` into an array. */
const textParam = (value: unknown) => (typeof value === 'string' ? value : null);

app.get('/plaintext', (_req, res) => {
  res.type('text/plain').send(HELLO);
});
app.get('/json', (_req, res) => {
  res.json({ message: HELLO });
});
app.get('/db', async (_req, res) => {
  res.json(await store.world(randomWorldId()));
});
app.get('/queries', async (req, res) => {
  res.json(await randomWorlds(store, queryCount(textParam(req.query.queries))));
});
app.get('/fortunes', async (_req, res) => {
  res.render('fortunes.html', { fortunes: await sortedFortunes(store) });
});
app.get('/updates', async (req, res) => {
  res.json(await updateRandomWorlds(store, queryCount(textParam(req.query.queries))));
});
app.get('/cached-queries', async (req, res) => {
  res.json(await cachedWorlds(queryCount(textParam(req.query.count))));
});

const server = app.listen(port, '127.0.0.1', (error) => {
  if (error) exitOnStartupError(error, port);
  announceListening(port, startedAt);
});
closeOnSigterm(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await store.close();
});
