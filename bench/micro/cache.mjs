// CPU of the cached-queries test's cache work, in-process: 100 random rows out of 10,000
// through `cache.getMany` of carafe/cache's memory backend (then read back from the Map it
// returns, as the TechEmpower handler does), against the `Map<number, World>` the hand-written
// servers index. Interleaved batches measured with process.cpuUsage (median of 11), so a busy
// host moves both sides alike. Run `npm run build` first: it measures dist/.
//
//   node bench/micro/cache.mjs
import { existsSync } from 'node:fs';
import { median } from '../lib/stats.mjs';

if (!existsSync(new URL('../../dist/cache/index.js', import.meta.url))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}

const { cache, closeCaches, configureCaches } = await import('../../dist/cache/index.js');

const ROWS = 10_000;
const COUNT = 100;
const BATCH = 2_000;
const BATCHES = 11;

const randomId = () => 1 + Math.floor(Math.random() * ROWS);
const worlds = new Map();
for (let id = 1; id <= ROWS; id++) worlds.set(id, { id, randomNumber: randomId() });

await configureCaches({ default: { backend: 'memory', maxEntries: ROWS, ttl: 3600 } });
for (const [id, world] of worlds) await cache.set(`world:${id}`, world);

async function throughCache() {
  const keys = [];
  for (let i = 0; i < COUNT; i++) keys.push(`world:${randomId()}`);
  const found = await cache.getMany(keys);
  const rows = [];
  for (const key of keys) rows.push(found.get(key));
  return rows;
}

async function throughMap() {
  const rows = [];
  for (let i = 0; i < COUNT; i++) rows.push(worlds.get(randomId()));
  return rows;
}

/** CPU microseconds per call, over one batch. */
async function batch(fn) {
  const start = process.cpuUsage();
  for (let i = 0; i < BATCH; i++) {
    const rows = await fn();
    if (rows.length !== COUNT || rows.includes(undefined)) throw new Error('a row is missing');
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / BATCH;
}

const samples = { cache: [], map: [] };
for (let round = 0; round < BATCHES + 1; round++) {
  const cacheUs = await batch(throughCache);
  const mapUs = await batch(throughMap);
  // The first round warms the JIT up.
  if (round === 0) continue;
  samples.cache.push(cacheUs);
  samples.map.push(mapUs);
}
await closeCaches();

console.log(`${COUNT} random rows of ${ROWS}, CPU µs per request (median of ${BATCHES} batches):`);
console.log(`  cache.getMany (memory backend)  ${median(samples.cache).toFixed(1)}`);
console.log(`  Map<number, World>              ${median(samples.map).toFixed(1)}`);
