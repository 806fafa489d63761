// Every TechEmpower test type on Fastify as its docs teach it (schema-less routes, async
// handlers returning the payload), with the raw driver and the shared Nunjucks template.
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
const { default: Fastify } = await import('fastify');

const store = await openStore(url);
const renderFortunes = await fortunesPage();
const cachedWorlds = worldCache(store);

type Queries = { Querystring: { queries?: string } };

const app = Fastify({ logger: false });
app.get('/plaintext', async (_request, reply) => {
  reply.type('text/plain');
  return HELLO;
});
app.get('/json', async () => ({ message: HELLO }));
app.get('/db', () => store.world(randomWorldId()));
app.get<Queries>('/queries', (request) =>
  randomWorlds(store, queryCount(request.query.queries ?? null)),
);
app.get('/fortunes', async (_request, reply) => {
  reply.type('text/html; charset=utf-8');
  return renderFortunes(await sortedFortunes(store));
});
app.get<Queries>('/updates', (request) =>
  updateRandomWorlds(store, queryCount(request.query.queries ?? null)),
);
app.get<{ Querystring: { count?: string } }>('/cached-queries', (request) =>
  cachedWorlds(queryCount(request.query.count ?? null)),
);

closeOnSigterm(async () => {
  await app.close();
  await store.close();
});
try {
  await app.listen({ host: '127.0.0.1', port });
} catch (error) {
  exitOnStartupError(error, port);
}
announceListening(port, startedAt);
