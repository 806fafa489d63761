// What the database suites (`db`, `fortunes`, `tfb`) share: per database, a freshly filled
// fixture, servers started with its URL and checked before timing, interleaved rounds on each
// endpoint; and, for the two-server suites, the candidate's per-round ratio to its baseline,
// with the table and goals.
import { createFixture } from './db-fixture.mjs';
import { placement, SERVER_CPU, startServer, WRK_CPU } from './processes.mjs';
import { table } from './report.mjs';
import { spread } from './stats.mjs';
import { MIN_SERVER_CPU, measure, rotate } from './throughput.mjs';
import { get } from './verify.mjs';
import { runWrk } from './wrk.mjs';

export const DATABASE_LABELS = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * @typedef {object} Endpoint
 * @property {string} path
 * @property {string} [script]        wrk script (default: the JSON report alone)
 * @property {string[]} [scriptArgs]  its arguments, after `--`
 * @property {boolean} [needsDatabase] false: measured on the first database of the run only
 * @property {{ path: string, requests: number }} [prime]  requested first on each server, two
 *   at a time (to fill a cache), before any round
 */

/**
 * @typedef {object} Comparison
 * @property {string} stage          suite name, in failures and goals
 * @property {{ name: string, label: string, launch?: (where: object) => object }[]} servers
 *   the first is the candidate, the second the baseline of a two-server comparison; `launch`
 *   replaces the runtime's (a non-Node server)
 * @property {number} basePort       the first server's port; the others take the next ones
 * @property {Record<string, string | Endpoint>} endpoints   name → path (or more) timed
 * @property {(port: number, fixture: object) => Promise<string[]>} verify   problems found
 * @property {(port: number, fixture: object, stop: () => Promise<string>) => Promise<string[]>}
 *   [countQueries]  with PostgreSQL, run first on a start of each server of its own, which it
 *   stops (`stop`) once its requests are sent, so that PostgreSQL reports the table counters
 */

/** `{ path, script?, scriptArgs?, needsDatabase }` of an endpoint given as a path or more. */
export function endpointOf(value) {
  return typeof value === 'string'
    ? { path: value, needsDatabase: true }
    : { needsDatabase: true, ...value };
}

function launchOf(runtime, server, where) {
  return server.launch ? server.launch(where) : runtime.launch(server.name, where);
}

async function start(options, runtime, comparison, index, fixture) {
  const server = comparison.servers[index];
  const launch = launchOf(runtime, server, placement(options, SERVER_CPU));
  return startServer({
    name: server.name,
    port: comparison.basePort + index,
    ...launch,
    args: [...launch.args, '--db-url', fixture.url],
  });
}

/** The problems `comparison.countQueries` finds on a start of the server of its own. */
async function countQueries(options, runtime, comparison, index, fixture) {
  let handle;
  try {
    handle = await start(options, runtime, comparison, index, fixture);
  } catch (error) {
    return [error.message];
  }
  try {
    return await comparison.countQueries(handle.port, fixture, () => handle.stop());
  } finally {
    await handle.stop();
  }
}

async function startServers(options, runtime, comparison, database, fixture, failures) {
  const failed = (name, problems) =>
    failures.push({ server: name, stage: comparison.stage, database, problems });
  const counted = new Set();
  if (comparison.countQueries && fixture.tableStatistics) {
    // All counts first, each on a server of its own stopped at once: a server left running
    // would report its later queries to PostgreSQL's counters in the middle of the next count.
    for (const [index, { name }] of comparison.servers.entries()) {
      const problems = await countQueries(options, runtime, comparison, index, fixture);
      if (problems.length > 0) failed(name, ['wrong query counts, not timed', ...problems]);
      else counted.add(name);
    }
  }
  const running = [];
  for (const [index, { name }] of comparison.servers.entries()) {
    if (failures.some((f) => f.server === name && f.database === database)) continue;
    let handle;
    try {
      handle = await start(options, runtime, comparison, index, fixture);
    } catch (error) {
      failed(name, [error.message]);
      continue;
    }
    const problems = [...new Set(await comparison.verify(handle.port, fixture))].slice(0, 10);
    if (problems.length === 0) running.push({ name, handle, queriesCounted: counted.has(name) });
    else {
      await handle.stop();
      failed(name, ['wrong answers, not timed', ...problems]);
    }
  }
  return running;
}

/** Sends `requests` GETs of `path`, two at a time; resolves to a problem, or undefined. */
async function primeServer(port, { path, requests }) {
  let sent = 0;
  const worker = async () => {
    while (sent < requests) {
      sent++;
      const response = await get(port, path);
      if (response.status !== 200) throw new Error(`${path}: status ${response.status}`);
    }
  };
  try {
    await Promise.all([worker(), worker()]);
    return undefined;
  } catch (error) {
    return `priming: ${error.message}`;
  }
}

async function measureRounds(options, comparison, database, first, running, failures, log) {
  // SQLite runs inside the server process, which should then keep its core busy; a
  // PostgreSQL server shares the two cores with it and wrk, so there a server below 90% of
  // a core is expected, not a sign of a busy machine: no retakes.
  const once = database === 'sqlite' ? options : { ...options, retries: 0 };
  const endpoints = Object.entries(comparison.endpoints)
    .map(([name, value]) => [name, endpointOf(value)])
    .filter(([, endpoint]) => endpoint.needsDatabase || first);
  for (const [endpoint, { prime }] of endpoints) {
    if (prime === undefined) continue;
    for (const { name, handle } of running) {
      const problem = await primeServer(handle.port, prime);
      if (problem) {
        failures.push({ server: name, stage: comparison.stage, database, problems: [problem] });
      }
    }
    log(`  ${database}: ${endpoint} primed with ${prime.requests} × ${prime.path}`);
  }
  const endpointWidth = Math.max(...endpoints.map(([name]) => name.length));
  const nameWidth = Math.max(...comparison.servers.map((s) => s.name.length));
  const samples = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const [endpoint, { path, script, scriptArgs }] of endpoints) {
      for (const { name, handle } of rotate(running, round - 1)) {
        if (failures.some((f) => f.server === name && f.database === database)) continue;
        const load = {
          port: handle.port,
          path,
          connections: options.connections,
          threads: options.threads,
          where: placement(options, WRK_CPU),
          ...(script ? { script, scriptArgs } : {}),
        };
        try {
          if (options.warmup > 0) await runWrk({ ...load, seconds: options.warmup });
          const result = await measure(once, handle, load, () => {});
          samples.push({ database, round, endpoint, server: name, ...result });
          log(
            `  ${database.padEnd(8)} round ${round}/${options.rounds}  ${endpoint.padEnd(endpointWidth)} ` +
              `${name.padEnd(nameWidth)} ${Math.round(result.rps).toLocaleString('en-US').padStart(7)} req/s  ` +
              `p99 ${result.latencyMs.p99.toFixed(2)} ms  server CPU ${(result.serverCpu * 100).toFixed(0)}%` +
              (result.failed ? `  (${result.failed} failed requests)` : ''),
          );
        } catch (error) {
          failures.push({
            server: name,
            stage: comparison.stage,
            database,
            problems: [error.message],
          });
          log(`  ${name} dropped: ${error.message.split('\n')[0]}`);
        }
      }
    }
  }
  return samples;
}

/** req/s, req/CPU-s and p99 (median, min, max), failures and the lowest CPU share of samples. */
export function serverRow(server, samples) {
  if (samples.length === 0) return undefined;
  return {
    server,
    rps: spread(samples.map((s) => s.rps)),
    requestsPerCpuSecond: spread(samples.map((s) => s.requestsPerCpuSecond)),
    p99Ms: spread(samples.map((s) => s.latencyMs.p99)),
    failedRequests: samples.reduce((sum, s) => sum + s.failed, 0),
    minServerCpu: Math.min(...samples.map((s) => s.serverCpu)),
  };
}

/**
 * One server against another on one endpoint of one database: their rows, the per-round
 * ratios of req/s and of req/CPU-s, and the one a goal is judged on. As in the core suite,
 * wall-clock req/s only count when neither server was starved of its core and no database
 * server shared the cores (SQLite, or an endpoint without queries); otherwise, and always with
 * PostgreSQL, requests per CPU-second of the server measure the server's own cost.
 */
export function comparePair(mine, theirs, { sharesCores }) {
  const ratios = (metric) =>
    spread(
      mine.flatMap((sample) => {
        const base = theirs.find((s) => s.round === sample.round);
        return base ? [metric(sample) / metric(base)] : [];
      }),
    );
  const candidate = serverRow(mine[0]?.server, mine);
  const baseline = serverRow(theirs[0]?.server, theirs);
  const ratio = ratios((s) => s.rps);
  const cpuRatio = ratios((s) => s.requestsPerCpuSecond);
  const clean =
    !sharesCores &&
    candidate !== undefined &&
    baseline !== undefined &&
    Math.min(candidate.minServerCpu, baseline.minServerCpu) >= MIN_SERVER_CPU;
  const judged = clean ? { basis: 'req/s', ratio } : { basis: 'per CPU-s', ratio: cpuRatio };
  return { candidate, baseline, ratio, cpuRatio, judged };
}

function summarize(comparison, database, samples) {
  const [candidate, baseline] = comparison.servers.map((s) => s.name);
  return Object.entries(comparison.endpoints).map(([endpoint, value]) => {
    const of = (server) => samples.filter((s) => s.endpoint === endpoint && s.server === server);
    return {
      database,
      endpoint,
      path: endpointOf(value).path,
      ...comparePair(of(candidate), of(baseline), { sharesCores: database !== 'sqlite' }),
    };
  });
}

/**
 * Starts, checks and times the comparison's servers on each database of `--db`; a PostgreSQL
 * that is down is skipped. Resolves to every sample, the databases measured (with the servers
 * whose query counts were checked) and skipped, and the failures.
 */
export async function measureOnDatabases(options, runtime, comparison, log) {
  const failures = [];
  const samples = [];
  const measured = [];
  const skipped = [];
  for (const database of options.databases) {
    const fixture = await createFixture(database);
    if (fixture.skip) {
      log(`  ${fixture.skip}`);
      skipped.push({ database, reason: fixture.skip });
      continue;
    }
    log(`  ${DATABASE_LABELS[database]}: ${fixture.describe}`);
    let running = [];
    try {
      running = await startServers(options, runtime, comparison, database, fixture, failures);
      log(
        `  verified on ${DATABASE_LABELS[database]}: ${running.map((r) => r.name).join(', ') || 'none'}`,
      );
      const first = measured.length === 0;
      measured.push({
        database,
        queriesCounted: running.filter((r) => r.queriesCounted).map((r) => r.name),
      });
      if (running.length > 0) {
        samples.push(
          ...(await measureRounds(options, comparison, database, first, running, failures, log)),
        );
      }
    } finally {
      for (const { name, handle } of running) {
        const problem = await handle.stop();
        if (problem) {
          failures.push({ server: name, stage: 'stop', database, problems: [problem] });
        }
      }
      await fixture.cleanup();
    }
  }
  return { samples, measured, skipped, failures };
}

/** Runs a two-server comparison on each database of `--db`, with per-round ratios. */
export async function runSideBySide(options, runtime, comparison, log) {
  const { samples, measured, skipped, failures } = await measureOnDatabases(
    options,
    runtime,
    comparison,
    log,
  );
  const endpoints = measured.flatMap(({ database }) =>
    summarize(
      comparison,
      database,
      samples.filter((s) => s.database === database),
    ),
  );
  return { endpoints, samples, skipped, failures };
}

const int = (n) => Math.round(n).toLocaleString('en-US');
const ratioCell = (ratio) =>
  ratio ? `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : 'n/a';

/**
 * The table of a side-by-side run. `names` are the short column names of the candidate and
 * the baseline (`['ORM', 'raw']`); `goal` the minimum ratio.
 */
export function sideBySideTable(result, options, { title, names: [mine, theirs], goal }) {
  const heading =
    `${title} — median of ${options.rounds} round(s) of wrk -t${options.threads} ` +
    `-c${options.connections} -d${options.duration}s`;
  const body = result.endpoints.map((e) => {
    const both = e.candidate !== undefined && e.baseline !== undefined;
    return [
      DATABASE_LABELS[e.database],
      `GET ${e.path}`,
      e.candidate ? int(e.candidate.rps.median) : 'n/a',
      e.baseline ? int(e.baseline.rps.median) : 'n/a',
      ratioCell(e.ratio),
      ratioCell(e.cpuRatio),
      both
        ? `${e.candidate.p99Ms.median.toFixed(1)} / ${e.baseline.p99Ms.median.toFixed(1)} ms`
        : 'n/a',
      both
        ? `${(e.candidate.minServerCpu * 100).toFixed(0)}% / ${(e.baseline.minServerCpu * 100).toFixed(0)}%`
        : 'n/a',
      both ? int(e.candidate.failedRequests + e.baseline.failedRequests) : 'n/a',
      e.judged.ratio
        ? `${e.judged.ratio.median >= goal ? '✓' : '✗'} ≥ ${goal.toFixed(2)}× ${e.judged.basis}`
        : '–',
    ];
  });
  const headers = [
    'database',
    'endpoint',
    `${mine} req/s`,
    `${theirs} req/s`,
    `${mine}/${theirs} req/s`,
    `${mine}/${theirs} per CPU-s`,
    `p99 ${mine} / ${theirs}`,
    'min server CPU',
    'failed',
    'goal',
  ];
  const skippedLines = result.skipped.map((s) => `\n${s.reason}`).join('');
  return `${heading}\n${table(headers, body)}${skippedLines}`;
}

/** One goal per database × endpoint: the candidate's ratio ≥ `goal`, as `claim` words it. */
export function sideBySideGoals(result, { stage, claim, goal }) {
  return result.endpoints.map(({ database, endpoint, judged }) => ({
    goal: `${stage} ${database} ${endpoint}: ${claim}`,
    measured: judged.ratio && `${judged.ratio.median.toFixed(2)}× (${judged.basis})`,
    verdict:
      judged.ratio === undefined ? 'not measured' : judged.ratio.median >= goal ? 'pass' : 'fail',
  }));
}
