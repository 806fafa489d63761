// CPU per request's worth of ORM work on SQLite against the bare better-sqlite3 statements the
// TechEmpower limit uses: twenty `World.objects.get({ id })`, and `bulkUpdate` of twenty rows
// against twenty prepared UPDATEs in one transaction. In-process and measured with
// process.cpuUsage over interleaved batches (median of 11), so a busy or throttled host moves
// both sides alike. Run `npm run build` first: it measures dist/, as an app would run it.
//
//   node bench/micro/orm-sqlite.mjs
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { median } from '../lib/stats.mjs';

if (!existsSync(new URL('../../dist/db/index.js', import.meta.url))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}

const ROWS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'carafe-micro-'));
const file = join(dir, 'world.sqlite3');
const setup = new Sqlite(file);
setup.pragma('journal_mode = WAL');
setup.exec('CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer NOT NULL)');
const insert = setup.prepare('INSERT INTO world (id, randomnumber) VALUES (?, ?)');
setup.transaction(() => {
  for (let id = 1; id <= ROWS; id++) insert.run(id, id);
})();
setup.close();

const { configureDatabases, closeDatabases, f, model } = await import('../../dist/db/index.js');
configureDatabases(`sqlite://${file}`);
const World = model(
  'micro.World',
  { randomNumber: f.integer({ column: 'randomnumber' }) },
  { table: 'world' },
);

const raw = new Sqlite(file);
raw.pragma('journal_mode = WAL');
const select = raw.prepare('SELECT id, randomnumber FROM world WHERE id = ?');
const update = raw.prepare('UPDATE world SET randomnumber = ? WHERE id = ?');
const updateAll = raw.transaction((worlds) => {
  for (const world of worlds) update.run(world.randomNumber, world.id);
});

const randomId = () => 1 + Math.floor(Math.random() * ROWS);
const ids = Array.from({ length: 20 }, randomId);
const plain = ids.map((id) => ({ id, randomNumber: 0 }));
const instances = await Promise.all(ids.map((id) => World.objects.get({ id })));

const cases = {
  'twenty reads': {
    async limit() {
      const worlds = [];
      for (let i = 0; i < 20; i++) {
        const row = select.get(randomId());
        worlds.push({ id: row.id, randomNumber: row.randomnumber });
      }
      return worlds;
    },
    async carafe() {
      const worlds = [];
      for (let i = 0; i < 20; i++) worlds.push(await World.objects.get({ id: randomId() }));
      return worlds;
    },
  },
  'twenty-row update': {
    async limit() {
      for (const world of plain) world.randomNumber = randomId();
      updateAll(plain);
    },
    async carafe() {
      for (const world of instances) world.randomNumber = randomId();
      await World.objects.bulkUpdate(instances, ['randomNumber']);
    },
  },
};

async function cpuPerCall(fn, calls) {
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) await fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
}


console.log('case               limit µs  Carafe µs  limit/Carafe');
for (const [name, { limit, carafe }] of Object.entries(cases)) {
  for (let i = 0; i < 1000; i++) {
    await limit();
    await carafe();
  }
  const limits = [];
  const carafes = [];
  for (let round = 0; round < 11; round++) {
    limits.push(await cpuPerCall(limit, 1500));
    carafes.push(await cpuPerCall(carafe, 1500));
  }
  const [l, c] = [median(limits), median(carafes)];
  console.log(
    `${name.padEnd(18)} ${l.toFixed(1).padStart(8)}  ${c.toFixed(1).padStart(9)}  ${(l / c).toFixed(2).padStart(12)}`,
  );
}
raw.close();
await closeDatabases();
rmSync(dir, { recursive: true, force: true });
