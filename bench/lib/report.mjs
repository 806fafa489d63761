// Carafe's performance goals and the tables printed at the end of a run.
import { BASELINE } from './options.mjs';
import { MIN_SERVER_CPU } from './throughput.mjs';

export const GOALS = {
  /** Carafe's req/s over bare node:http's, per endpoint. */
  minRatio: 0.9,
  /** RSS after both memory phases. */
  maxMemoryMb: 60,
  /**
   * Growth of the live heap (after a full GC) over the second phase still counted as "not
   * growing": 1 MB over 100,000 requests is 10 bytes a request.
   */
  maxHeapGrowthMb: 1,
  /** Median `ready-ms`: framework import + 100 routes + listen. */
  maxStartupMs: 150,
};

/** ready-ms above this multiple of its CPU time means the start waited for the machine. */
const STARTUP_BUSY_FACTOR = 1.5;

/** Ratios to node:http measured for the peers on a 2-core machine like this one. */
const PEER_REFERENCE = { fastify: 0.85, hono: 0.82, express: 0.14 };
const CANDIDATE = 'carafe';

const mark = (ok) => (ok ? '✓' : '✗');
const int = (n) => Math.round(n).toLocaleString('en-US');
const fixed = (digits) => (n) => n.toFixed(digits);

export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((cell, i) =>
        i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]),
      )
      .join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * The ratio a goal is judged on: wall-clock req/s when both the server and node:http had
 * their core in every round; otherwise requests per CPU-second, because req/s then
 * measure whatever else was running.
 */
function judgedRatio(row, baseline) {
  const clean =
    baseline !== undefined &&
    row.minServerCpu >= MIN_SERVER_CPU &&
    baseline.minServerCpu >= MIN_SERVER_CPU;
  return clean ? { basis: 'req/s', ratio: row.ratio } : { basis: 'per CPU-s', ratio: row.cpuRatio };
}

const ratioCell = (ratio) =>
  ratio ? `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : 'n/a';

function ratioGoalCell(row, baseline) {
  if (row.server !== CANDIDATE) {
    const reference = PEER_REFERENCE[row.server];
    return reference ? `(ref ~${reference.toFixed(2)}×)` : '';
  }
  const { basis, ratio } = judgedRatio(row, baseline);
  if (!ratio) return '–';
  return `${mark(ratio.median >= GOALS.minRatio)} ≥ ${GOALS.minRatio.toFixed(2)}× ${basis}`;
}

export function throughputTables(result, options) {
  return result.endpoints.map(({ path, rows }) => {
    if (rows.length === 0) return `GET ${path}: no server measured`;
    const baseline = rows.find((row) => row.server === BASELINE);
    const title =
      `GET ${path} — median of ${options.rounds} round(s) of wrk -t${options.threads} ` +
      `-c${options.connections} -d${options.duration}s after ${options.warmup} s warm-up`;
    const body = rows.map((row) => [
      row.label,
      int(row.rps.median),
      ratioCell(row.ratio),
      int(row.requestsPerCpuSecond.median),
      ratioCell(row.cpuRatio),
      `${row.p99Ms.median.toFixed(2)} ms`,
      `${(row.minServerCpu * 100).toFixed(0)}%`,
      row.failedRequests ? int(row.failedRequests) : '0',
      ratioGoalCell(row, baseline),
    ]);
    const headers = [
      'server',
      'req/s',
      '× node:http',
      'req/CPU-s',
      '× node:http',
      'p99',
      'server CPU',
      'failed',
      'goal',
    ];
    return `${title}\n${table(headers, body)}`;
  });
}

/** A warning when samples were kept although the server did not have its core. */
export function noiseWarning(result) {
  const starved = result.samples.filter((s) => s.serverCpu < MIN_SERVER_CPU);
  if (starved.length === 0) return undefined;
  return (
    `warning: in ${starved.length} of ${result.samples.length} samples the server had less than ` +
    `${MIN_SERVER_CPU * 100}% of a core, even after retries: other work was competing, so req/s ` +
    'there measure the machine, and goals are judged per CPU-second. Rerun on a quiet machine.'
  );
}

export function memoryTable(result, options) {
  const n = int(options.memoryRequests);
  const signed = (digits) => (mb) => `${mb >= 0 ? '+' : ''}${mb.toFixed(digits)}`;
  // What the framework adds on top of Node's own footprint under the same load.
  const baseline = result.rows.find((row) => row.server === 'raw-node');
  const body = result.rows.map((row) => [
    row.label,
    fixed(1)(row.idleMb),
    fixed(1)(row.afterFirstMb),
    fixed(1)(row.afterSecondMb),
    signed(1)(row.growthMb),
    baseline ? signed(1)(row.afterFirstMb - baseline.afterFirstMb) : 'n/a',
    `${fixed(2)(row.heapAfterFirstMb)} → ${fixed(2)(row.heapAfterSecondMb)}`,
    signed(2)(row.heapGrowthMb),
    row.failedRequests ? int(row.failedRequests) : '0',
    row.server === CANDIDATE ? memoryGoalCell(row) : '',
  ]);
  const headers = [
    'server',
    'idle',
    `after ${n}+`,
    `after ${n}+ more`,
    'growth',
    `over node:http at ${n}`,
    'live heap',
    'heap growth',
    'failed',
    'goal',
  ];
  return `Memory in MB: RSS (VmRSS) of a fresh server under mixed load with 64 connections; live heap after a full GC\n${table(headers, body)}`;
}

const isFlat = (row) => row.heapGrowthMb <= GOALS.maxHeapGrowthMb;

function memoryGoalCell(row) {
  return `${mark(row.afterFirstMb <= GOALS.maxMemoryMb)} ≤ ${GOALS.maxMemoryMb}  ${mark(isFlat(row))} flat`;
}

/**
 * The startup figure a goal is judged on: wall-clock `ready-ms`, unless it took more than
 * 1.5× its CPU time — then the process waited for a busy machine, and CPU time is the
 * honest figure.
 */
function judgedStartup(row) {
  const busy = row.readyMs.median > STARTUP_BUSY_FACTOR * row.readyCpuMs.median;
  return busy
    ? { basis: 'CPU ms', ms: row.readyCpuMs.median }
    : { basis: 'ready-ms', ms: row.readyMs.median };
}

export function startupTable(result, options) {
  const body = result.rows.map((row) => {
    const judged = judgedStartup(row);
    return [
      row.label,
      fixed(1)(row.readyMs.median),
      fixed(1)(row.readyMs.min),
      fixed(1)(row.readyMs.max),
      fixed(1)(row.readyCpuMs.median),
      fixed(0)(row.wallMs.median),
      row.server === CANDIDATE
        ? `${mark(judged.ms <= GOALS.maxStartupMs)} ≤ ${GOALS.maxStartupMs} ${judged.basis}`
        : '',
    ];
  });
  const title =
    `Startup over ${options.startupRuns} starts: ready-ms = framework import + 100 routes + ` +
    'listen (median, min, max), its CPU time, and spawn→listening for context';
  const headers = ['server', 'ready-ms', 'min', 'max', 'CPU ms', 'spawn→listening ms', 'goal'];
  return `${title}\n${table(headers, body)}`;
}

/** Every Carafe goal with its verdict: 'pass', 'fail' or 'not measured'. */
export function evaluateGoals(results, options) {
  const goals = [];
  const verdict = (measured, ok) =>
    measured === undefined ? 'not measured' : ok ? 'pass' : 'fail';
  if (results.throughput) {
    for (const { endpoint, rows } of results.throughput.endpoints) {
      const row = rows.find((r) => r.server === CANDIDATE);
      const baseline = rows.find((r) => r.server === BASELINE);
      const judged = row && judgedRatio(row, baseline);
      const ratio = judged?.ratio?.median;
      goals.push({
        goal: `${endpoint}: ≥ ${GOALS.minRatio.toFixed(2)}× node:http`,
        measured: ratio === undefined ? undefined : `${ratio.toFixed(2)}× (${judged.basis})`,
        verdict: verdict(ratio, ratio >= GOALS.minRatio),
      });
    }
  }
  if (results.memory) {
    const row = results.memory.rows.find((r) => r.server === CANDIDATE);
    goals.push({
      // The goal is RSS after 100,000 requests (the first reading); the second phase
      // is there to tell whether memory keeps growing, which the live heap judges.
      goal: `memory: RSS ≤ ${GOALS.maxMemoryMb} MB after ${int(options.memoryRequests)} requests`,
      measured: row && `${row.afterFirstMb.toFixed(1)} MB`,
      verdict: verdict(row, row?.afterFirstMb <= GOALS.maxMemoryMb),
    });
    goals.push({
      goal: `memory: live heap grows ≤ ${GOALS.maxHeapGrowthMb} MB over the second ${int(options.memoryRequests)}`,
      measured: row && `${row.heapGrowthMb >= 0 ? '+' : ''}${row.heapGrowthMb.toFixed(2)} MB`,
      verdict: verdict(row, row && isFlat(row)),
    });
  }
  if (results.startup) {
    const row = results.startup.rows.find((r) => r.server === CANDIDATE);
    const judged = row && judgedStartup(row);
    goals.push({
      goal: `startup: median ready-ms ≤ ${GOALS.maxStartupMs} ms`,
      measured: judged && `${judged.ms.toFixed(1)} ms (${judged.basis})`,
      verdict: verdict(judged, judged?.ms <= GOALS.maxStartupMs),
    });
  }
  return goals;
}

export function goalLines(goals) {
  const symbol = { pass: '✓', fail: '✗', 'not measured': '–' };
  return goals.map(
    (g) => `  ${symbol[g.verdict]} ${g.goal.padEnd(58)} ${g.measured ?? 'not measured'}`,
  );
}
