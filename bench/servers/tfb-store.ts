// The database side of the raw-driver servers (node:http, Fastify, Hono, Express): the driver
// itself with prepared statements — better-sqlite3's `prepare()`, or pg's named statements,
// which each pooled connection parses once — and the TechEmpower rules on top of it, so the
// four differ only in their HTTP framework.
import {
  ADDITIONAL_FORTUNE,
  byMessage,
  type Fortune,
  postgresPoolConfig,
  randomWorldId,
  type World,
} from './db-common.js';

export interface Store {
  world(id: number): Promise<World>;
  fortunes(): Promise<Fortune[]>;
  /** Writes each world's randomNumber, in one transaction or statement. */
  updateWorlds(worlds: readonly World[]): Promise<void>;
  close(): Promise<void>;
}

const SELECT_WORLD = 'SELECT id, randomnumber FROM world WHERE id = ';
const SELECT_FORTUNES = 'SELECT id, message FROM fortune';

interface WorldRow {
  id: number;
  randomnumber: number;
}

function toWorld(row: WorldRow | undefined, id: number): World {
  if (row === undefined) throw new Error(`no world ${id}`);
  return { id: row.id, randomNumber: row.randomnumber };
}

async function openSqlite(location: string): Promise<Store> {
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(location);
  db.pragma('journal_mode = WAL');
  const select = db.prepare<[number], WorldRow>(`${SELECT_WORLD}?`);
  const fortunes = db.prepare<[], Fortune>(SELECT_FORTUNES);
  const update = db.prepare<[number, number]>('UPDATE world SET randomnumber = ? WHERE id = ?');
  const updateAll = db.transaction((worlds: readonly World[]) => {
    for (const world of worlds) update.run(world.randomNumber, world.id);
  });
  return {
    world: async (id) => toWorld(select.get(id), id),
    fortunes: async () => fortunes.all(),
    updateWorlds: async (worlds) => {
      updateAll(worlds);
    },
    close: async () => {
      db.close();
    },
  };
}

/**
 * `UPDATE … SET randomnumber = CASE id WHEN $1 THEN $2 … END WHERE id IN ($1, …)` for n rows
 * (the parameters typed: PostgreSQL would take a CASE of bare parameters for text).
 */
function bulkUpdateSql(n: number): string {
  const cases: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    cases.push(`WHEN $${2 * i + 1}::integer THEN $${2 * i + 2}::integer`);
    ids.push(`$${2 * i + 1}`);
  }
  return `UPDATE world SET randomnumber = CASE id ${cases.join(' ')} END WHERE id IN (${ids.join(', ')})`;
}

async function openPostgres(location: string): Promise<Store> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool(postgresPoolConfig(location));
  const updateSql = new Map<number, string>();
  return {
    async world(id) {
      const { rows } = await pool.query<WorldRow>({
        name: 'world',
        text: `${SELECT_WORLD}$1`,
        values: [id],
      });
      return toWorld(rows[0], id);
    },
    async fortunes() {
      const { rows } = await pool.query<Fortune>({ name: 'fortunes', text: SELECT_FORTUNES });
      return rows;
    },
    async updateWorlds(worlds) {
      let text = updateSql.get(worlds.length);
      if (text === undefined) {
        text = bulkUpdateSql(worlds.length);
        updateSql.set(worlds.length, text);
      }
      // Rows locked in id order by every request, so concurrent updates cannot deadlock.
      const sorted = [...worlds].sort((a, b) => a.id - b.id);
      await pool.query({
        name: `update-${worlds.length}`,
        text,
        values: sorted.flatMap((world) => [world.id, world.randomNumber]),
      });
    },
    close: () => pool.end(),
  };
}

export function openStore(url: string): Promise<Store> {
  return url.startsWith('sqlite://')
    ? openSqlite(url.slice('sqlite://'.length))
    : openPostgres(url);
}

/** `/queries`: `count` rows, one query each, one after the other. */
export async function randomWorlds(store: Store, count: number): Promise<World[]> {
  const worlds: World[] = [];
  for (let i = 0; i < count; i++) worlds.push(await store.world(randomWorldId()));
  return worlds;
}

/** `/updates`: read each row, give it a new random number, write them all back. */
export async function updateRandomWorlds(store: Store, count: number): Promise<World[]> {
  const worlds = await randomWorlds(store, count);
  for (const world of worlds) world.randomNumber = randomWorldId();
  await store.updateWorlds(worlds);
  return worlds;
}

/** `/fortunes`: the table's rows and one added at request time, sorted by message. */
export async function sortedFortunes(store: Store): Promise<Fortune[]> {
  const fortunes = [...(await store.fortunes()), ADDITIONAL_FORTUNE];
  return fortunes.sort(byMessage);
}

/** `/cached-queries`: rows from a Map filled on first use, as a hand-written server would. */
export function worldCache(store: Store): (count: number) => Promise<World[]> {
  const cached = new Map<number, World>();
  return async (count) => {
    const worlds: World[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomWorldId();
      let world = cached.get(id);
      if (world === undefined) {
        world = await store.world(id);
        cached.set(id, world);
      }
      worlds.push(world);
    }
    return worlds;
  };
}
