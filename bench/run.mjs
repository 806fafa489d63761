// `npm run bench`: throughput, memory and startup of Carafe against bare node:http,
// Fastify, Hono and Express, and TechEmpower's `/fortunes` against Fastify; with
// `--suite db`, its ORM against the raw database driver; with `--suite tfb`, every
// TechEmpower test type against the raw limit, the Node peers, Django and Flask.
// See bench/README.md for the methodology.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dbGoals, dbTable, runDb } from './lib/db-suite.mjs';
import { fortunesGoals, fortunesTable, runFortunes } from './lib/fortunes-suite.mjs';
import { runMemory } from './lib/memory.mjs';
import {
  DB_SERVERS,
  FORTUNES_SERVERS,
  parseOptions,
  SERVERS,
  SUITES,
  USAGE,
} from './lib/options.mjs';
import { killChildrenOnExit } from './lib/processes.mjs';
import {
  evaluateGoals,
  goalLines,
  memoryTable,
  noiseWarning,
  startupTable,
  throughputTables,
} from './lib/report.mjs';
import { prepareRuntime } from './lib/runtime.mjs';
import { runStartup } from './lib/startup.mjs';
import { summarizeTfb, tfbGoals, tfbMarkdown, tfbTable } from './lib/tfb-report.mjs';
import { runTfb } from './lib/tfb-suite.mjs';
import { runThroughput } from './lib/throughput.mjs';
import { ensureWrk, writeMixedScript, writePipelineScript } from './lib/wrk.mjs';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

// Above this 1-minute load average, other work is competing with the benchmark.
const BUSY_LOAD = 0.5;

const log = (line = '') => console.log(line);

function describeMachine(wrkVersion, options) {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    wrk: wrkVersion,
    pinned: options.pin,
    loadAverageAtStart: loadavg()[0],
  };
}

function printFailures(failures) {
  if (failures.length === 0) return;
  log('\nProblems (these servers were not measured there):');
  for (const failure of failures) {
    log(`  ${failure.server} [${failure.stage}${failure.database ? `, ${failure.database}` : ''}]`);
    for (const problem of failure.problems) log(`    ${problem.replaceAll('\n', '\n    ')}`);
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    log(USAGE);
    return 0;
  }
  killChildrenOnExit();
  const wrkVersion = ensureWrk();
  if (options.pin && availableParallelism() < 2) {
    log('fewer than 2 CPUs: not pinning server and wrk to separate cores');
    options.pin = false;
  }
  const machine = describeMachine(wrkVersion, options);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const runtime = await prepareRuntime(
    options.runtime,
    REPO_ROOT,
    join(RESULTS_DIR, '.build'),
    [
      ...(options.suites.some((suite) => SUITES.includes(suite)) ? SERVERS : []),
      ...(options.suites.includes('fortunes') ? FORTUNES_SERVERS : []),
      ...(options.suites.includes('db') ? DB_SERVERS : []),
      ...(options.suites.includes('tfb') ? options.tfbServers.filter((s) => !s.python) : []),
    ]
      .map((s) => s.name)
      .filter((name, index, names) => names.indexOf(name) === index),
  );
  log(`machine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${wrkVersion}`);
  log(`servers: ${runtime.describe}${options.pin ? '; server on CPU 0, wrk on CPU 1' : ''}`);
  if (machine.loadAverageAtStart > BUSY_LOAD) {
    log(
      `warning: load average ${machine.loadAverageAtStart.toFixed(1)}: something else is using the CPUs; expect noise`,
    );
  }

  const results = {};
  if (options.suites.includes('throughput')) {
    log('\n== throughput ==');
    results.throughput = await runThroughput(options, runtime, log);
  }
  if (options.suites.includes('memory')) {
    log('\n== memory ==');
    results.memory = await runMemory(options, runtime, writeMixedScript(RESULTS_DIR), log);
  }
  if (options.suites.includes('startup')) {
    log('\n== startup ==');
    results.startup = await runStartup(options, runtime, log);
  }
  if (options.suites.includes('fortunes')) {
    log('\n== fortunes: Carafe vs Fastify ==');
    results.fortunes = await runFortunes(options, runtime, log);
  }
  if (options.suites.includes('db')) {
    log('\n== db: ORM vs raw driver ==');
    results.db = await runDb(options, runtime, log);
  }
  let tfbGroups = [];
  if (options.suites.includes('tfb')) {
    log('\n== tfb: every TechEmpower test type ==');
    results.tfb = await runTfb(
      options,
      runtime,
      { repoRoot: REPO_ROOT, pipelineScript: writePipelineScript(RESULTS_DIR) },
      log,
    );
    tfbGroups = summarizeTfb(results.tfb);
    results.tfb.summary = tfbGroups;
    machine.python = results.tfb.python;
  }

  log('\n== results ==');
  if (results.throughput) {
    for (const text of throughputTables(results.throughput, options)) log(`\n${text}`);
    const warning = noiseWarning(results.throughput);
    if (warning) log(`\n${warning}`);
  }
  if (results.memory) log(`\n${memoryTable(results.memory, options)}`);
  if (results.startup) log(`\n${startupTable(results.startup, options)}`);
  if (results.fortunes) log(`\n${fortunesTable(results.fortunes, options)}`);
  if (results.db) log(`\n${dbTable(results.db, options)}`);
  if (results.tfb) {
    log(`\n${tfbTable(tfbGroups, options)}`);
    for (const { reason } of results.tfb.skipped) log(reason);
    log(`\nAs Markdown:\n\n${tfbMarkdown(tfbGroups, results.tfb.servers)}`);
  }
  const goals = [
    ...evaluateGoals(results, options),
    ...(results.fortunes ? fortunesGoals(results.fortunes) : []),
    ...(results.db ? dbGoals(results.db) : []),
    ...(results.tfb ? tfbGoals(tfbGroups, results.tfb.servers) : []),
  ];
  log('\nCarafe goals:');
  for (const line of goalLines(goals)) log(line);
  const failures = Object.values(results).flatMap((suite) => suite.failures);
  printFailures(failures);

  machine.loadAverageAtEnd = loadavg()[0];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(RESULTS_DIR, `bench-${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, options, results, goals }, null, 2)}\n`,
  );
  log(`\nresults written to ${file}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench: ${error.message}`);
    process.exit(1);
  },
);
