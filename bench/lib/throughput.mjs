// Requests per second of every server on every endpoint, in interleaved rounds, and the
// ratio of each to bare node:http measured in the same round.
import { BASELINE, ENDPOINTS, SERVERS } from './options.mjs';
import { placement, WRK_CPU } from './processes.mjs';
import { watchServerCpu } from './server-cpu.mjs';
import { spread } from './stats.mjs';
import { startVerified } from './verify.mjs';
import { runWrk } from './wrk.mjs';

/** Below this share of a core, the server was held back by something else: retake. */
export const MIN_SERVER_CPU = 0.9;

/**
 * One timed wrk run. A run during which the server used less than 90% of a core is
 * retaken (up to `retries` times) and the run where it had the most CPU is kept.
 */
export async function measure(options, handle, load, log) {
  let best;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    const serverCpuSince = watchServerCpu(handle.pid);
    const result = await runWrk({ ...load, seconds: options.duration });
    if (handle.crash) throw new Error(handle.crash);
    const { cpuSeconds, share } = serverCpuSince();
    const sample = {
      ...result,
      serverCpu: share,
      requestsPerCpuSecond: cpuSeconds > 0 ? result.requests / cpuSeconds : 0,
    };
    if (!best || share > best.serverCpu) best = sample;
    if (share >= MIN_SERVER_CPU) break;
    log(
      `    the server had only ${(share * 100).toFixed(0)}% of a core (machine busy?); measuring again`,
    );
  }
  return best;
}

export function rotate(list, by) {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

async function measureRounds(options, running, failures, log) {
  const samples = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const endpoint of options.endpoints) {
      // A different order each round, so no server always follows the same neighbour.
      for (const { name, handle } of rotate(running, round - 1)) {
        if (failures.some((f) => f.server === name && f.stage === 'throughput')) continue;
        const load = {
          port: handle.port,
          path: ENDPOINTS[endpoint],
          connections: options.connections,
          threads: options.threads,
          where: placement(options, WRK_CPU),
        };
        try {
          if (options.warmup > 0) await runWrk({ ...load, seconds: options.warmup });
          const result = await measure(options, handle, load, log);
          samples.push({ round, endpoint, server: name, ...result });
          log(
            `  round ${round}/${options.rounds}  ${endpoint.padEnd(9)} ${name.padEnd(8)} ` +
              `${Math.round(result.rps).toLocaleString('en-US').padStart(8)} req/s  ` +
              `p99 ${result.latencyMs.p99.toFixed(2)} ms` +
              `  server CPU ${(result.serverCpu * 100).toFixed(0)}%` +
              (result.failed ? `  (${result.failed} failed requests)` : ''),
          );
        } catch (error) {
          failures.push({ server: name, stage: 'throughput', problems: [error.message] });
          log(`  ${name} dropped: ${error.message.split('\n')[0]}`);
        }
      }
    }
  }
  return samples;
}

/** Per-round ratios of `metric` to node:http's on the same endpoint in the same round. */
function ratiosToBaseline(samples, mine, metric) {
  return mine.flatMap((sample) => {
    const base = samples.find(
      (s) => s.endpoint === sample.endpoint && s.round === sample.round && s.server === BASELINE,
    );
    return base ? [metric(sample) / metric(base)] : [];
  });
}

function summarize(options, servers, samples) {
  const rps = (s) => s.rps;
  const perCpuSecond = (s) => s.requestsPerCpuSecond;
  return options.endpoints.map((endpoint) => ({
    endpoint,
    path: ENDPOINTS[endpoint],
    rows: servers
      .map((server) => {
        const mine = samples.filter((s) => s.endpoint === endpoint && s.server === server.name);
        return {
          server: server.name,
          label: server.label,
          rounds: mine.length,
          rps: spread(mine.map(rps)),
          ratio: spread(ratiosToBaseline(samples, mine, rps)),
          requestsPerCpuSecond: spread(mine.map(perCpuSecond)),
          cpuRatio: spread(ratiosToBaseline(samples, mine, perCpuSecond)),
          p99Ms: spread(mine.map((s) => s.latencyMs.p99)),
          failedRequests: mine.reduce((sum, s) => sum + s.failed, 0),
          minServerCpu: Math.min(...mine.map((s) => s.serverCpu)),
        };
      })
      .filter((row) => row.rounds > 0),
  }));
}

/** Runs the throughput suite; node:http is always included as the baseline. */
export async function runThroughput(options, runtime, log) {
  const servers = options.servers.some((s) => s.name === BASELINE)
    ? options.servers
    : [SERVERS.find((s) => s.name === BASELINE), ...options.servers];
  const failures = [];
  const running = [];
  for (const server of servers) {
    const started = await startVerified(options, runtime, server.name, 'throughput');
    if (started.handle) running.push({ name: server.name, handle: started.handle });
    else failures.push(started.failure);
  }
  log(`  verified: ${running.map((r) => r.name).join(', ') || 'none'}`);
  let samples = [];
  try {
    if (running.length > 0) samples = await measureRounds(options, running, failures, log);
  } finally {
    for (const { name, handle } of running) {
      const problem = await handle.stop();
      if (problem) failures.push({ server: name, stage: 'stop', problems: [problem] });
    }
  }
  return { samples, endpoints: summarize(options, servers, samples), failures };
}
