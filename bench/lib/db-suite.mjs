// The `db` suite: Carafe's ORM against the raw driver with prepared statements, on the
// TechEmpower-style `/db` and `/queries?queries=20`, per database. Both servers read the
// same freshly filled `world` table; their answers are checked against it before timing.
import { createWorld } from './db-fixture.mjs';
import { DB_ENDPOINTS, DB_SERVERS } from './options.mjs';
import { placement, SERVER_CPU, startServer, WRK_CPU } from './processes.mjs';
import { table } from './report.mjs';
import { spread } from './stats.mjs';
import { measure, rotate } from './throughput.mjs';
import { get } from './verify.mjs';
import { runWrk } from './wrk.mjs';

export const DB_GOAL = 0.85;
const CANDIDATE = 'db-carafe';
const BASELINE = 'db-raw';
const LABELS = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** `queries` values and the row count each must produce: the clamping rules included. */
const QUERY_CHECKS = [
  ['/queries?queries=20', 20],
  ['/queries?queries=0', 1],
  ['/queries?queries=abc', 1],
  ['/queries?queries=1000', 500],
  ['/queries', 1],
];

function checkWorld(problems, path, world, rows) {
  const keys = world !== null && typeof world === 'object' ? Object.keys(world).sort() : [];
  if (keys.join(',') !== 'id,randomNumber') {
    problems.push(`${path}: ${JSON.stringify(world)} is not { id, randomNumber }`);
  } else if (!rows.has(world.id) || rows.get(world.id) !== world.randomNumber) {
    problems.push(`${path}: ${JSON.stringify(world)} is not a row of the world table`);
  }
}

async function fetchJson(problems, port, path) {
  let response;
  try {
    response = await get(port, path);
  } catch (error) {
    problems.push(`${path}: ${error.message}`);
    return undefined;
  }
  if (response.status !== 200) {
    problems.push(`${path}: status ${response.status} ${response.body.slice(0, 200)}`);
    return undefined;
  }
  if (!String(response.headers['content-type']).startsWith('application/json')) {
    problems.push(`${path}: Content-Type is ${response.headers['content-type']}`);
  }
  try {
    return JSON.parse(response.body);
  } catch {
    problems.push(`${path}: body is not JSON: ${response.body.slice(0, 200)}`);
    return undefined;
  }
}

async function verifyDbServer(port, rows) {
  const problems = [];
  const world = await fetchJson(problems, port, '/db');
  if (world !== undefined) checkWorld(problems, '/db', world, rows);
  for (const [path, count] of QUERY_CHECKS) {
    const worlds = await fetchJson(problems, port, path);
    if (worlds === undefined) continue;
    if (!Array.isArray(worlds) || worlds.length !== count) {
      problems.push(`${path}: expected an array of ${count}, got ${Array.isArray(worlds) ? worlds.length : typeof worlds}`);
      continue;
    }
    for (const item of worlds) checkWorld(problems, path, item, rows);
  }
  return [...new Set(problems)].slice(0, 10);
}

async function startDbServers(options, runtime, database, world, failures) {
  const running = [];
  for (const [index, { name }] of DB_SERVERS.entries()) {
    const port = options.dbBasePort + index;
    const launch = runtime.launch(name, placement(options, SERVER_CPU));
    let handle;
    try {
      handle = await startServer({ name, port, ...launch, args: [...launch.args, '--db-url', world.url] });
    } catch (error) {
      failures.push({ server: name, stage: 'db', database, problems: [error.message] });
      continue;
    }
    const problems = await verifyDbServer(port, world.rows);
    if (problems.length === 0) running.push({ name, handle });
    else {
      await handle.stop();
      failures.push({
        server: name,
        stage: 'db',
        database,
        problems: ['wrong answers, not timed', ...problems],
      });
    }
  }
  return running;
}

async function measureDbRounds(options, database, running, failures, log) {
  // The database shares the two cores with server and wrk, so a server below 90% of a
  // core is expected here, not a sign of a busy machine: no retakes.
  const once = { ...options, retries: 0 };
  const samples = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const [endpoint, path] of Object.entries(DB_ENDPOINTS)) {
      for (const { name, handle } of rotate(running, round - 1)) {
        if (failures.some((f) => f.server === name && f.database === database)) continue;
        const load = {
          port: handle.port,
          path,
          connections: options.connections,
          threads: options.threads,
          where: placement(options, WRK_CPU),
        };
        try {
          if (options.warmup > 0) await runWrk({ ...load, seconds: options.warmup });
          const result = await measure(once, handle, load, () => {});
          samples.push({ database, round, endpoint, server: name, ...result });
          log(
            `  ${database.padEnd(8)} round ${round}/${options.rounds}  ${endpoint.padEnd(7)} ${name.padEnd(9)} ` +
              `${Math.round(result.rps).toLocaleString('en-US').padStart(7)} req/s  ` +
              `p99 ${result.latencyMs.p99.toFixed(2)} ms  server CPU ${(result.serverCpu * 100).toFixed(0)}%` +
              (result.failed ? `  (${result.failed} failed requests)` : ''),
          );
        } catch (error) {
          failures.push({ server: name, stage: 'db', database, problems: [error.message] });
          log(`  ${name} dropped: ${error.message.split('\n')[0]}`);
        }
      }
    }
  }
  return samples;
}

function summarize(database, samples) {
  return Object.entries(DB_ENDPOINTS).map(([endpoint, path]) => {
    const of = (server) => samples.filter((s) => s.endpoint === endpoint && s.server === server);
    const row = (server) => {
      const mine = of(server);
      if (mine.length === 0) return undefined;
      return {
        server,
        rps: spread(mine.map((s) => s.rps)),
        requestsPerCpuSecond: spread(mine.map((s) => s.requestsPerCpuSecond)),
        p99Ms: spread(mine.map((s) => s.latencyMs.p99)),
        failedRequests: mine.reduce((sum, s) => sum + s.failed, 0),
        minServerCpu: Math.min(...mine.map((s) => s.serverCpu)),
      };
    };
    const ratios = of(CANDIDATE).flatMap((sample) => {
      const base = of(BASELINE).find((s) => s.round === sample.round);
      return base ? [sample.rps / base.rps] : [];
    });
    return { database, endpoint, path, orm: row(CANDIDATE), raw: row(BASELINE), ratio: spread(ratios) };
  });
}

/** Runs the db suite on each database of `--db`; a PostgreSQL that is down is skipped. */
export async function runDb(options, runtime, log) {
  const failures = [];
  const endpoints = [];
  const samples = [];
  const skipped = [];
  for (const database of options.databases) {
    const world = await createWorld(database);
    if (world.skip) {
      log(`  ${world.skip}`);
      skipped.push({ database, reason: world.skip });
      continue;
    }
    log(`  ${LABELS[database]}: ${world.describe}`);
    let running = [];
    try {
      running = await startDbServers(options, runtime, database, world, failures);
      log(`  verified on ${LABELS[database]}: ${running.map((r) => r.name).join(', ') || 'none'}`);
      const measured =
        running.length > 0 ? await measureDbRounds(options, database, running, failures, log) : [];
      samples.push(...measured);
      endpoints.push(...summarize(database, measured));
    } finally {
      for (const { name, handle } of running) {
        const problem = await handle.stop();
        if (problem) failures.push({ server: name, stage: 'stop', database, problems: [problem] });
      }
      await world.cleanup();
    }
  }
  return { endpoints, samples, skipped, failures };
}

const int = (n) => Math.round(n).toLocaleString('en-US');

/** The ORM-vs-raw table of a db run. */
export function dbTable(result, options) {
  const title =
    `ORM (Carafe + carafe/db) vs raw driver with prepared statements — median of ${options.rounds} ` +
    `round(s) of wrk -t${options.threads} -c${options.connections} -d${options.duration}s`;
  const body = result.endpoints.map((e) => [
    LABELS[e.database],
    `GET ${e.path}`,
    e.orm ? int(e.orm.rps.median) : 'n/a',
    e.raw ? int(e.raw.rps.median) : 'n/a',
    e.ratio ? `${e.ratio.median.toFixed(2)}× (${e.ratio.min.toFixed(2)}–${e.ratio.max.toFixed(2)})` : 'n/a',
    e.orm && e.raw
      ? `${(e.orm.requestsPerCpuSecond.median / e.raw.requestsPerCpuSecond.median).toFixed(2)}×`
      : 'n/a',
    e.orm && e.raw ? `${e.orm.p99Ms.median.toFixed(1)} / ${e.raw.p99Ms.median.toFixed(1)} ms` : 'n/a',
    e.orm && e.raw
      ? `${(e.orm.minServerCpu * 100).toFixed(0)}% / ${(e.raw.minServerCpu * 100).toFixed(0)}%`
      : 'n/a',
    e.orm && e.raw ? int(e.orm.failedRequests + e.raw.failedRequests) : 'n/a',
    e.ratio ? `${e.ratio.median >= DB_GOAL ? '✓' : '✗'} ≥ ${DB_GOAL.toFixed(2)}×` : '–',
  ]);
  const headers = ['database', 'endpoint', 'ORM req/s', 'raw req/s', 'ORM/raw', 'per CPU-s', 'p99 ORM / raw', 'min server CPU', 'failed', 'goal'];
  const skippedLines = result.skipped.map((s) => `\n${s.reason}`).join('');
  return `${title}\n${table(headers, body)}${skippedLines}`;
}

/** One goal per database × endpoint: the ORM's req/s ≥ 0.85× the raw driver's. */
export function dbGoals(result) {
  return result.endpoints.map((e) => ({
    goal: `db ${e.database} ${e.endpoint}: ORM ≥ ${DB_GOAL.toFixed(2)}× raw driver`,
    measured: e.ratio && `${e.ratio.median.toFixed(2)}× (req/s)`,
    verdict: e.ratio === undefined ? 'not measured' : e.ratio.median >= DB_GOAL ? 'pass' : 'fail',
  }));
}
