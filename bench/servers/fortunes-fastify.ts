// TechEmpower's `/fortunes` on Fastify: the driver itself with a prepared statement
// (better-sqlite3, or a named pg statement on a pool as large as carafe/db's), and the same
// Nunjucks template through an Environment set up as Carafe's is (autoescape, no watching,
// compiled templates cached).
import {
  announceListening,
  closeOnSigterm,
  exitOnStartupError,
  serverPort,
  startClock,
} from './common.js';
import {
  ADDITIONAL_FORTUNE,
  byMessage,
  databaseUrl,
  type Fortune,
  postgresPoolConfig,
  TEMPLATES_DIR,
} from './db-common.js';

const startedAt = startClock();
const port = serverPort();
const url = databaseUrl();
const { default: Fastify } = await import('fastify');
const { default: nunjucks } = await import('nunjucks');

const FORTUNES_SQL = 'SELECT id, message FROM fortune';

async function openSqlite(location: string) {
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(location);
  db.pragma('journal_mode = WAL');
  const select = db.prepare<[], Fortune>(FORTUNES_SQL);
  return { fortunes: async (): Promise<Fortune[]> => select.all(), close: async () => db.close() };
}

async function openPostgres(location: string) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool(postgresPoolConfig(location));
  return {
    async fortunes(): Promise<Fortune[]> {
      const { rows } = await pool.query<Fortune>({ name: 'fortunes', text: FORTUNES_SQL });
      return rows;
    },
    close: () => pool.end(),
  };
}

const store = url.startsWith('sqlite://')
  ? await openSqlite(url.slice('sqlite://'.length))
  : await openPostgres(url);

const templates = new nunjucks.Environment(
  new nunjucks.FileSystemLoader(TEMPLATES_DIR, { watch: false, noCache: false }),
  { autoescape: true },
);

const app = Fastify({ logger: false });
app.get('/fortunes', async (_request, reply) => {
  const fortunes = [...(await store.fortunes()), ADDITIONAL_FORTUNE];
  fortunes.sort(byMessage);
  reply.type('text/html; charset=utf-8');
  return templates.render('fortunes.html', { fortunes });
});

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
