// The `db` suite: Carafe's ORM against the raw driver with prepared statements, on the
// TechEmpower-style `/db` and `/queries?queries=20`, per database. Both servers read the
// same freshly filled `world` table; their answers are checked against it before timing.
import { createWorld } from './db-fixture.mjs';
import { DB_ENDPOINTS, DB_SERVERS } from './options.mjs';
import { placement, SERVER_CPU, startServer, WRK_CPU } from './processes.mjs';
import { table } from './report.mjs';
import { spread } from './stats.mjs';
import { MIN_SERVER_CPU, measure, rotate } from './throughput.mjs';
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
  // SQLite runs inside the server process, which should then keep its core busy; a
  // PostgreSQL server shares the two cores with it and wrk, so there a server below 90% of
  // a core is expected, not a sign of a busy machine: no retakes.
  const once = database === 'sqlite' ? options : { ...options, retries: 0 };
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
    const ratios = (metric) =>
      spread(
        of(CANDIDATE).flatMap((sample) => {
          const base = of(BASELINE).find((s) => s.round === sample.round);
          return base ? [metric(sample) / metric(base)] : [];
        }),
      );
    const orm = row(CANDIDATE);
    const raw = row(BASELINE);
    const rpsRatio = ratios((s) => s.rps);
    const cpuRatio = ratios((s) => s.requestsPerCpuSecond);
    // As in the core suite: wall-clock req/s only count when neither server was starved of
    // its core (SQLite) — otherwise, and always with PostgreSQL (which shares the cores),
    // requests per CPU-second of the server measure the ORM's own cost.
    const clean =
      database === 'sqlite' &&
      orm !== undefined &&
      raw !== undefined &&
      Math.min(orm.minServerCpu, raw.minServerCpu) >= MIN_SERVER_CPU;
    const judged = clean ? { basis: 'req/s', ratio: rpsRatio } : { basis: 'per CPU-s', ratio: cpuRatio };
    return { database, endpoint, path, orm, raw, ratio: rpsRatio, cpuRatio, judged };
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
const ratioCell = (ratio) =>
  ratio ? `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : 'n/a';

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
    ratioCell(e.ratio),
    ratioCell(e.cpuRatio),
    e.orm && e.raw ? `${e.orm.p99Ms.median.toFixed(1)} / ${e.raw.p99Ms.median.toFixed(1)} ms` : 'n/a',
    e.orm && e.raw
      ? `${(e.orm.minServerCpu * 100).toFixed(0)}% / ${(e.raw.minServerCpu * 100).toFixed(0)}%`
      : 'n/a',
    e.orm && e.raw ? int(e.orm.failedRequests + e.raw.failedRequests) : 'n/a',
    e.judged.ratio
      ? `${e.judged.ratio.median >= DB_GOAL ? '✓' : '✗'} ≥ ${DB_GOAL.toFixed(2)}× ${e.judged.basis}`
      : '–',
  ]);
  const headers = ['database', 'endpoint', 'ORM req/s', 'raw req/s', 'ORM/raw req/s', 'ORM/raw per CPU-s', 'p99 ORM / raw', 'min server CPU', 'failed', 'goal'];
  const skippedLines = result.skipped.map((s) => `\n${s.reason}`).join('');
  return `${title}\n${table(headers, body)}${skippedLines}`;
}

/** One goal per database × endpoint: the ORM's req/s ≥ 0.85× the raw driver's. */
export function dbGoals(result) {
  return result.endpoints.map(({ database, endpoint, judged }) => ({
    goal: `db ${database} ${endpoint}: ORM ≥ ${DB_GOAL.toFixed(2)}× raw driver`,
    measured: judged.ratio && `${judged.ratio.median.toFixed(2)}× (${judged.basis})`,
    verdict:
      judged.ratio === undefined ? 'not measured' : judged.ratio.median >= DB_GOAL ? 'pass' : 'fail',
  }));
}
