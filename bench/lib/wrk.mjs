// Finding (or installing) wrk and running it with the JSON report script.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './apt.mjs';
import { placed, spawnTracked } from './processes.mjs';

const WRK_DIR = fileURLToPath(new URL('../wrk/', import.meta.url));
const REPORT_SCRIPT = join(WRK_DIR, 'report.lua');

function wrkVersion() {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error?.code === 'ENOENT') return undefined;
  return /wrk\s+\S+/.exec(`${probe.stdout}${probe.stderr}`)?.[0] ?? 'wrk (unknown version)';
}

/** Returns wrk's version, installing it with apt-get first if it is missing. */
export function ensureWrk() {
  const found = wrkVersion();
  if (found) return found;
  const problem = aptInstall(['wrk'], 'wrk is not installed');
  if (problem) throw new Error(problem);
  const installed = wrkVersion();
  if (!installed) throw new Error('apt-get reported success but wrk is still not on PATH');
  return installed;
}

function withReport(dir, requestScript) {
  const path = join(dir, requestScript.replace(/\.lua$/, '-with-report.lua'));
  const parts = [requestScript, 'report.lua'].map((name) =>
    readFileSync(join(WRK_DIR, name), 'utf8'),
  );
  writeFileSync(path, parts.join('\n'));
  return path;
}

/** Writes a script that rotates endpoints and reports as JSON (wrk takes a single script). */
export function writeMixedScript(dir) {
  return withReport(dir, 'mixed-requests.lua');
}

/** Writes a script that pipelines requests (depth in `scriptArgs`) and reports as JSON. */
export function writePipelineScript(dir) {
  return withReport(dir, 'pipeline.lua');
}

/**
 * Runs wrk against 127.0.0.1:port and resolves to requests, req/s, latency (ms) and the
 * count of failed requests (socket errors and non-2xx/3xx answers).
 */
export function runWrk({
  port,
  path,
  seconds,
  connections,
  threads,
  where,
  script = REPORT_SCRIPT,
  scriptArgs = [],
}) {
  const wrkArgs = [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '5s',
    '-s',
    script,
    `http://127.0.0.1:${port}${path}`,
    ...(scriptArgs.length > 0 ? ['--', ...scriptArgs] : []),
  ];
  const { command, args } = placed('wrk', wrkArgs, where);
  const child = spawnTracked(command, args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      const json = /^WRK_JSON (.*)$/m.exec(stdout)?.[1];
      if (code !== 0 || !json) {
        reject(
          new Error(`wrk failed (${signal ?? `code ${code}`}): ${stderr.trim() || stdout.trim()}`),
        );
        return;
      }
      const report = JSON.parse(json);
      const durationS = report.durationUs / 1e6;
      const failed = Object.values(report.errors).reduce((sum, n) => sum + n, 0);
      resolve({
        requests: report.requests,
        durationS,
        rps: report.requests / durationS,
        failed,
        errors: report.errors,
        latencyMs: Object.fromEntries(
          Object.entries(report.latencyUs).map(([key, us]) => [key, us / 1000]),
        ),
      });
    });
  });
}
