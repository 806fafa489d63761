// The ceiling for the database endpoints: bare node:http and the driver itself, with a
// prepared statement — better-sqlite3's `prepare().get()`, or pg's named statement, which
// each pooled connection parses once.
import type { ServerResponse } from 'node:http';
import {
  announceListening,
  closeOnSigterm,
  exitOnStartupError,
  serverPort,
  startClock,
} from './common.js';
import { databaseUrl, postgresPoolConfig, queryCount, randomWorldId } from './db-common.js';

interface World {
  id: number;
  randomNumber: number;
}

const startedAt = startClock();
const port = serverPort();
const url = databaseUrl();
const { createServer } = await import('node:http');

async function openSqlite(location: string) {
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(location);
  db.pragma('journal_mode = WAL');
  const select = db.prepare<[number], { id: number; randomnumber: number }>(
    'SELECT id, randomnumber FROM world WHERE id = ?',
  );
  return {
    async world(id: number): Promise<World> {
      const row = select.get(id);
      if (row === undefined) throw new Error(`no world ${id}`);
      return { id: row.id, randomNumber: row.randomnumber };
    },
    close: async () => db.close(),
  };
}

async function openPostgres(location: string) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool(postgresPoolConfig(location));
  return {
    async world(id: number): Promise<World> {
      const { rows } = await pool.query<{ id: number; randomnumber: number }>({
        name: 'world',
        text: 'SELECT id, randomnumber FROM world WHERE id = $1',
        values: [id],
      });
      const row = rows[0];
      if (row === undefined) throw new Error(`no world ${id}`);
      return { id: row.id, randomNumber: row.randomnumber };
    },
    close: () => pool.end(),
  };
}

const store = url.startsWith('sqlite://')
  ? await openSqlite(url.slice('sqlite://'.length))
  : await openPostgres(url);

function sendJson(res: ServerResponse, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(json),
    Date: new Date().toUTCString(),
  });
  res.end(json);
}

function sendStatus(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(message),
  });
  res.end(message);
}

const server = createServer(async (req, res) => {
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  try {
    if (path === '/db') {
      sendJson(res, await store.world(randomWorldId()));
    } else if (path === '/queries') {
      const params = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
      const worlds: World[] = [];
      for (let i = queryCount(params.get('queries')); i > 0; i--) {
        worlds.push(await store.world(randomWorldId()));
      }
      sendJson(res, worlds);
    } else {
      sendStatus(res, 404, 'Not Found');
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
