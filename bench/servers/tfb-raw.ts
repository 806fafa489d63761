// The limit: bare node:http and the database driver with prepared statements, serving every
// TechEmpower test type with one writeHead + end per response (node:http adds `Date`).
import type { ServerResponse } from 'node:http';
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
const { createServer } = await import('node:http');

const store = await openStore(url);
const renderFortunes = await fortunesPage();
const cachedWorlds = worldCache(store);

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const sendJson = (res: ServerResponse, value: unknown) =>
  send(res, 'application/json', JSON.stringify(value));

function sendStatus(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': message.length });
  res.end(message);
}

const server = createServer(async (req, res) => {
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const param = (name: string) =>
    new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1)).get(name);
  try {
    switch (path) {
      case '/plaintext':
        return send(res, 'text/plain', HELLO);
      case '/json':
        return sendJson(res, { message: HELLO });
      case '/db':
        return sendJson(res, await store.world(randomWorldId()));
      case '/queries':
        return sendJson(res, await randomWorlds(store, queryCount(param('queries'))));
      case '/fortunes':
        return send(res, 'text/html; charset=utf-8', renderFortunes(await sortedFortunes(store)));
      case '/updates':
        return sendJson(res, await updateRandomWorlds(store, queryCount(param('queries'))));
      case '/cached-queries':
        return sendJson(res, await cachedWorlds(queryCount(param('count'))));
      default:
        return sendStatus(res, 404, 'Not Found');
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    sendStatus(res, 500, 'Internal Server Error');
  }
});

server.once('error', (error) => exitOnStartupError(error, port));
server.listen(port, '127.0.0.1', () => announceListening(port, startedAt));
closeOnSigterm(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
});
