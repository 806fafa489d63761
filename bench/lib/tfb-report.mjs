// The tfb suite's results: per database and test type, every implementation's req/s, p99 and
// ratio to the limit (node:http and the raw driver), and Carafe's goals with their margins.
import { TFB_BASELINE } from './options.mjs';
import { table } from './report.mjs';
import { comparePair, DATABASE_LABELS } from './side-by-side.mjs';

const CANDIDATE = 'tfb-carafe';
const ALL_TESTS = '*';

/**
 * Carafe's goals: its ratio to `against` on `tests`, judged as in the other suites — except
 * against Django and Flask, always on req/s: their one sync worker waits for each database
 * answer without using its CPU, so requests per CPU-second would credit them for waiting.
 */
export const TFB_GOALS = [
  { tests: ['plaintext', 'json'], against: TFB_BASELINE, min: 0.9 },
  { tests: ['db', 'queries', 'updates'], against: TFB_BASELINE, min: 0.85 },
  { tests: ['fortunes'], against: 'tfb-fastify', min: 0.9 },
  { tests: ALL_TESTS, against: 'tfb-django', min: 15, onRequestsPerSecond: true },
  { tests: ALL_TESTS, against: 'tfb-flask', min: 15, onRequestsPerSecond: true },
];

const int = (n) => Math.round(n).toLocaleString('en-US');
const times = (n) => `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}×`;
const ratioCell = (ratio) =>
  ratio ? `${times(ratio.median)} (${times(ratio.min)}–${times(ratio.max)})` : 'n/a';
// wrk records no latency for a pipelined connection the server closes before the last answer.
const p99Cell = (row) => {
  const p99 = row.candidate.p99Ms.median;
  return p99 > 0 ? `${p99.toFixed(1)} ms` : 'n/a';
};
const where = (group) => (group.database ? DATABASE_LABELS[group.database] : 'no database');

/**
 * Groups the samples by database and test type (a test without queries is measured on the
 * first database only and belongs to none), each with a row per implementation measured.
 */
export function summarizeTfb(result) {
  const groups = [];
  for (const { database } of result.measured) {
    for (const [test, endpoint] of Object.entries(result.tests)) {
      const samples = result.samples.filter((s) => s.database === database && s.endpoint === test);
      if (samples.length === 0) continue;
      const of = (server) => samples.filter((s) => s.server === server);
      const sharesCores = endpoint.needsDatabase && database !== 'sqlite';
      const rows = result.servers
        .map((server) => ({
          label: server.label,
          ...comparePair(of(server.name), of(TFB_BASELINE), { sharesCores }),
        }))
        .filter((row) => row.candidate !== undefined);
      groups.push({
        database: endpoint.needsDatabase ? database : undefined,
        test,
        path: endpoint.path,
        sharesCores,
        of,
        rows,
      });
    }
  }
  return groups;
}

export function tfbTable(groups, options) {
  const heading =
    `TechEmpower test types — median of ${options.rounds} round(s) of wrk -t${options.threads} ` +
    `-c${options.connections} -d${options.duration}s after ${options.warmup} s warm-up ` +
    '(plaintext pipelined 16 deep); ratios to node:http + the raw driver in the same round';
  const body = groups.flatMap((group) =>
    group.rows.map((row) => [
      where(group),
      group.test,
      row.label,
      int(row.candidate.rps.median),
      ratioCell(row.ratio),
      int(row.candidate.requestsPerCpuSecond.median),
      ratioCell(row.cpuRatio),
      p99Cell(row),
      `${(row.candidate.minServerCpu * 100).toFixed(0)}%`,
      int(row.candidate.failedRequests),
    ]),
  );
  const headers = [
    'database',
    'test',
    'server',
    'req/s',
    '× limit',
    'req/CPU-s',
    '× limit per CPU-s',
    'p99',
    'server CPU',
    'failed',
  ];
  return `${heading}\n${table(headers, body)}`;
}

/** The same figures as Markdown, a table per database: req/s, ratio to the limit, p99. */
export function tfbMarkdown(groups, servers) {
  const sections = [];
  for (const place of [...new Set(groups.map(where))]) {
    const mine = groups.filter((group) => where(group) === place);
    const shown = servers.filter((server) =>
      mine.some((group) => group.rows.some((row) => row.label === server.label)),
    );
    const lines = [
      `**${place}** — req/s (× the limit, p99)`,
      '',
      `| test | ${shown.map((s) => s.label).join(' | ')} |`,
      `|---|${shown.map(() => '---|').join('')}`,
    ];
    for (const group of mine) {
      const cells = shown.map((server) => {
        const row = group.rows.find((r) => r.label === server.label);
        return row
          ? `${int(row.candidate.rps.median)} (${row.ratio ? times(row.ratio.median) : 'n/a'}, ${p99Cell(row)})`
          : 'n/a';
      });
      lines.push(`| ${group.test} | ${cells.join(' | ')} |`);
    }
    sections.push(lines.join('\n'));
  }
  return sections.join('\n\n');
}

/** Every Carafe goal that applies to a measured test, with what it missed by. */
export function tfbGoals(groups, servers) {
  const label = (name) => servers.find((s) => s.name === name)?.label ?? name;
  const chosen = new Set(servers.map((s) => s.name));
  const goals = [];
  for (const group of groups) {
    for (const goal of TFB_GOALS) {
      if (goal.tests !== ALL_TESTS && !goal.tests.includes(group.test)) continue;
      if (!chosen.has(goal.against) || !chosen.has(CANDIDATE)) continue;
      const pair = comparePair(group.of(CANDIDATE), group.of(goal.against), {
        sharesCores: group.sharesCores,
      });
      const judged = goal.onRequestsPerSecond ? { basis: 'req/s', ratio: pair.ratio } : pair.judged;
      const ratio = judged.ratio?.median;
      let short =
        ratio !== undefined && ratio < goal.min ? `, short by ${times(goal.min - ratio)}` : '';
      if (short && goal.onRequestsPerSecond) {
        // What the machine allows at all: the limit's own ratio to the same implementation.
        const limit = comparePair(group.of(TFB_BASELINE), group.of(goal.against), {
          sharesCores: group.sharesCores,
        }).ratio?.median;
        if (limit !== undefined) short += `; the limit itself: ${times(limit)}`;
      }
      goals.push({
        goal: `tfb ${where(group)} ${group.test}: Carafe ≥ ${goal.min}× ${label(goal.against)}`,
        measured: ratio === undefined ? undefined : `${times(ratio)} (${judged.basis})${short}`,
        verdict: ratio === undefined ? 'not measured' : ratio >= goal.min ? 'pass' : 'fail',
      });
    }
  }
  return goals;
}
