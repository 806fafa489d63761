// What the database suites (`db`, `fortunes`) share: per database, a freshly filled fixture,
// two servers started with its URL and checked before timing, interleaved rounds on each
// endpoint, and the candidate's per-round ratio to its baseline, with the table and goals.
import { createFixture } from './db-fixture.mjs';
import { placement, SERVER_CPU, startServer, WRK_CPU } from './processes.mjs';
import { table } from './report.mjs';
import { spread } from './stats.mjs';
import { MIN_SERVER_CPU, measure, rotate } from './throughput.mjs';
import { runWrk } from './wrk.mjs';

export const DATABASE_LABELS = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * @typedef {object} Comparison
 * @property {string} stage          suite name, in failures and goals
 * @property {{ name: string, label: string }[]} servers   [candidate, baseline]
 * @property {number} basePort       the first server's port; the other takes the next
 * @property {Record<string, string>} endpoints   name → path timed
 * @property {(port: number, fixture: object) => Promise<string[]>} verify   problems found
 */

async function startServers(options, runtime, comparison, database, fixture, failures) {
  const running = [];
  for (const [index, { name }] of comparison.servers.entries()) {
    const port = comparison.basePort + index;
    const launch = runtime.launch(name, placement(options, SERVER_CPU));
    const failed = (problems) =>
      failures.push({ server: name, stage: comparison.stage, database, problems });
    let handle;
    try {
      handle = await startServer({
        name,
        port,
        ...launch,
        args: [...launch.args, '--db-url', fixture.url],
      });
    } catch (error) {
      failed([error.message]);
      continue;
    }
    const problems = [...new Set(await comparison.verify(port, fixture))].slice(0, 10);
    if (problems.length === 0) running.push({ name, handle });
    else {
      await handle.stop();
      failed(['wrong answers, not timed', ...problems]);
    }
  }
  return running;
}

async function measureRounds(options, comparison, database, running, failures, log) {
  // SQLite runs inside the server process, which should then keep its core busy; a
  // PostgreSQL server shares the two cores with it and wrk, so there a server below 90% of
  // a core is expected, not a sign of a busy machine: no retakes.
  const once = database === 'sqlite' ? options : { ...options, retries: 0 };
  const endpointWidth = Math.max(...Object.keys(comparison.endpoints).map((e) => e.length));
  const nameWidth = Math.max(...comparison.servers.map((s) => s.name.length));
  const samples = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const [endpoint, path] of Object.entries(comparison.endpoints)) {
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

function summarize(comparison, database, samples) {
  const [candidate, baseline] = comparison.servers.map((s) => s.name);
  return Object.entries(comparison.endpoints).map(([endpoint, path]) => {
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
        of(candidate).flatMap((sample) => {
          const base = of(baseline).find((s) => s.round === sample.round);
          return base ? [metric(sample) / metric(base)] : [];
        }),
      );
    const mine = row(candidate);
    const theirs = row(baseline);
    const rpsRatio = ratios((s) => s.rps);
    const cpuRatio = ratios((s) => s.requestsPerCpuSecond);
    // As in the core suite: wall-clock req/s only count when neither server was starved of
    // its core (SQLite) — otherwise, and always with PostgreSQL (which shares the cores),
    // requests per CPU-second of the server measure the server's own cost.
    const clean =
      database === 'sqlite' &&
      mine !== undefined &&
      theirs !== undefined &&
      Math.min(mine.minServerCpu, theirs.minServerCpu) >= MIN_SERVER_CPU;
    const judged = clean
      ? { basis: 'req/s', ratio: rpsRatio }
      : { basis: 'per CPU-s', ratio: cpuRatio };
    return {
      database,
      endpoint,
      path,
      candidate: mine,
      baseline: theirs,
      ratio: rpsRatio,
      cpuRatio,
      judged,
    };
  });
}

/** Runs a comparison on each database of `--db`; a PostgreSQL that is down is skipped. */
export async function runSideBySide(options, runtime, comparison, log) {
  const failures = [];
  const endpoints = [];
  const samples = [];
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
      const measured =
        running.length > 0
          ? await measureRounds(options, comparison, database, running, failures, log)
          : [];
      samples.push(...measured);
      endpoints.push(...summarize(comparison, database, measured));
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
