// Carafe's performance goals and the tables printed at the end of a run.
import { MIN_SERVER_CPU } from './throughput.mjs';

export const GOALS = {
  /** Carafe's req/s over bare node:http's, per endpoint. */
  minRatio: 0.9,
  /** RSS after both memory phases. */
  maxMemoryMb: 60,
  /** RSS growth over the second phase still counted as "not growing" (GC noise). */
  maxGrowthMb: 3,
  /** Median `ready-ms`: framework import + 100 routes + listen. */
  maxStartupMs: 150,
};

/** Ratios to node:http measured for the peers on a 2-core machine like this one. */
const PEER_REFERENCE = { fastify: 0.85, hono: 0.82, express: 0.14 };
const CANDIDATE = 'carafe';

const mark = (ok) => (ok ? '✓' : '✗');
const int = (n) => Math.round(n).toLocaleString('en-US');
const fixed = (digits) => (n) => n.toFixed(digits);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((cell, i) =>
        i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]),
      )
      .join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function ratioGoalCell(row) {
  if (row.server === CANDIDATE)
    return row.ratio
      ? `${mark(row.ratio.median >= GOALS.minRatio)} ≥ ${GOALS.minRatio.toFixed(2)}×`
      : '–';
  const reference = PEER_REFERENCE[row.server];
  return reference ? `(ref ~${reference.toFixed(2)}×)` : '';
}

export function throughputTables(result, options) {
  return result.endpoints.map(({ path, rows }) => {
    if (rows.length === 0) return `GET ${path}: no server measured`;
    const title =
      `GET ${path} — median of ${options.rounds} round(s) of wrk -t${options.threads} ` +
      `-c${options.connections} -d${options.duration}s after ${options.warmup} s warm-up`;
    const body = rows.map((row) => [
      row.label,
      int(row.rps.median),
      int(row.rps.min),
      int(row.rps.max),
      row.ratio ? `${row.ratio.median.toFixed(2)}×` : 'n/a',
      row.ratio ? `${row.ratio.min.toFixed(2)}–${row.ratio.max.toFixed(2)}` : '',
      `${row.p99Ms.median.toFixed(2)} ms`,
      row.failedRequests ? int(row.failedRequests) : '0',
      `${(row.minServerCpu * 100).toFixed(0)}%`,
      ratioGoalCell(row),
    ]);
    const headers = [
      'server',
      'req/s',
      'min',
      'max',
      '× node:http',
      'range',
      'p99',
      'failed',
      'server CPU',
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
    `warning: ${starved.length} of ${result.samples.length} samples ran while the server had less ` +
    `than ${MIN_SERVER_CPU * 100}% of a core, even after retries: other work was competing. ` +
    'Rerun on a quiet machine before trusting these figures.'
  );
}

export function memoryTable(result, options) {
  const n = int(options.memoryRequests);
  const signed = (mb) => `${mb >= 0 ? '+' : ''}${mb.toFixed(1)}`;
  // What the framework adds on top of Node's own footprint under the same load.
  const baseline = result.rows.find((row) => row.server === 'raw-node');
  const body = result.rows.map((row) => [
    row.label,
    fixed(1)(row.idleMb),
    fixed(1)(row.afterFirstMb),
    fixed(1)(row.afterSecondMb),
    signed(row.growthMb),
    baseline ? signed(row.afterSecondMb - baseline.afterSecondMb) : 'n/a',
    row.failedRequests ? int(row.failedRequests) : '0',
    row.server === CANDIDATE ? memoryGoalCell(row) : '',
  ]);
  const headers = [
    'server',
    'idle',
    `after ${n}+`,
    `after ${n}+ more`,
    'growth',
    'over node:http',
    'failed',
    'goal',
  ];
  return `RSS in MB (VmRSS), fresh server, mixed endpoints, 64 connections\n${table(headers, body)}`;
}

function memoryGoalCell(row) {
  return `${mark(row.afterSecondMb <= GOALS.maxMemoryMb)} ≤ ${GOALS.maxMemoryMb}  ${mark(row.growthMb <= GOALS.maxGrowthMb)} flat`;
}

export function startupTable(result, options) {
  const body = result.rows.map((row) => [
    row.label,
    fixed(1)(row.readyMs.median),
    fixed(1)(row.readyMs.min),
    fixed(1)(row.readyMs.max),
    fixed(0)(row.wallMs.median),
    row.server === CANDIDATE
      ? `${mark(row.readyMs.median <= GOALS.maxStartupMs)} ≤ ${GOALS.maxStartupMs} ms`
      : '',
  ]);
  return `ready-ms over ${options.startupRuns} starts (import + 100 routes + listen; spawn→listening for context)\n${table(
    ['server', 'ready-ms', 'min', 'max', 'spawn→listening ms', 'goal'],
    body,
  )}`;
}

/** Every Carafe goal with its verdict: 'pass', 'fail' or 'not measured'. */
export function evaluateGoals(results, options) {
  const goals = [];
  const verdict = (measured, ok) =>
    measured === undefined ? 'not measured' : ok ? 'pass' : 'fail';
  if (results.throughput) {
    for (const { endpoint, rows } of results.throughput.endpoints) {
      const ratio = rows.find((r) => r.server === CANDIDATE)?.ratio?.median;
      goals.push({
        goal: `${endpoint}: ≥ ${GOALS.minRatio.toFixed(2)}× node:http req/s`,
        measured: ratio === undefined ? undefined : `${ratio.toFixed(2)}×`,
        verdict: verdict(ratio, ratio >= GOALS.minRatio),
      });
    }
  }
  if (results.memory) {
    const row = results.memory.rows.find((r) => r.server === CANDIDATE);
    goals.push({
      goal: `memory: RSS ≤ ${GOALS.maxMemoryMb} MB after ${int(2 * options.memoryRequests)} requests`,
      measured: row && `${row.afterSecondMb.toFixed(1)} MB`,
      verdict: verdict(row, row?.afterSecondMb <= GOALS.maxMemoryMb),
    });
    goals.push({
      goal: `memory: not growing (≤ +${GOALS.maxGrowthMb} MB over the second ${int(options.memoryRequests)})`,
      measured: row && `${row.growthMb >= 0 ? '+' : ''}${row.growthMb.toFixed(1)} MB`,
      verdict: verdict(row, row?.growthMb <= GOALS.maxGrowthMb),
    });
  }
  if (results.startup) {
    const row = results.startup.rows.find((r) => r.server === CANDIDATE);
    goals.push({
      goal: `startup: median ready-ms ≤ ${GOALS.maxStartupMs} ms`,
      measured: row && `${row.readyMs.median.toFixed(1)} ms`,
      verdict: verdict(row, row?.readyMs.median <= GOALS.maxStartupMs),
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
