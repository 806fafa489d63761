// Where SQLite `/db` time goes in Carafe: the limit (node:http + better-sqlite3) against one
// Carafe app serving the same row three ways (db-paths-server.mjs): through the ORM in an async
// handler, the bare statement in an async handler, and the bare statement in a synchronous one.
// wrk on loopback, the server on CPU 0 and wrk on CPU 1, interleaved rounds; prints each
// round's ratio to the limit and the median.
//
//   node bench/micro/db-paths.mjs [--rounds 5] [--seconds 3]
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createFixture } from '../lib/db-fixture.mjs';
import { prepareRuntime } from '../lib/runtime.mjs';
import { median } from '../lib/stats.mjs';
import { ensureWrk } from '../lib/wrk.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '3' } },
});
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const buildDir = join(repoRoot, 'bench', 'results', '.db-paths-build');
ensureWrk();
// tfb-carafe pulls the ORM into the build; tfb-raw is the limit.
const runtime = await prepareRuntime('compiled', repoRoot, buildDir, ['tfb-raw', 'tfb-carafe']);
const fixture = await createFixture('sqlite');

async function start(command, args, env = {}) {
  const child = spawn('taskset', ['-c', '0', command, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  while (!output.includes('listening')) await once(child.stdout, 'data');
  return child;
}

function requestsPerSecond(port, path) {
  const out = execFileSync(
    'taskset',
    ['-c', '1', 'wrk', '-t1', '-c64', `-d${values.seconds}s`, `http://127.0.0.1:${port}${path}`],
    { encoding: 'utf8' },
  );
  return Number(/Requests\/sec:\s+(\S+)/.exec(out)[1]);
}

const limit = runtime.launch('tfb-raw', {});
const servers = [
  await start(limit.command, [...limit.args, '--port', '9410', '--db-url', fixture.url]),
  await start(
    process.execPath,
    [
      fileURLToPath(new URL('./db-paths-server.mjs', import.meta.url)),
      '--port',
      '9411',
      '--db-url',
      fixture.url,
    ],
    { CARAFE_BUILD: buildDir },
  ),
];
try {
  const paths = ['/db', '/db-statement', '/db-statement-sync'];
  // Warm-up: the JIT settles on every path before anything is timed.
  requestsPerSecond(9410, '/db');
  for (const path of paths) requestsPerSecond(9411, path);
  const ratios = Object.fromEntries(paths.map((path) => [path, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    const limitRps = requestsPerSecond(9410, '/db');
    for (const path of paths) ratios[path].push(requestsPerSecond(9411, path) / limitRps);
  }
  console.log(
    `SQLite /db, Carafe against the limit (node:http + better-sqlite3), ${values.rounds} rounds of wrk -c64 -d${values.seconds}s`,
  );
  const labels = {
    '/db': 'ORM, async handler',
    '/db-statement': 'bare statement, async handler',
    '/db-statement-sync': 'bare statement, synchronous handler',
  };
  for (const path of paths) {
    console.log(
      `  ${labels[path].padEnd(38)} ${median(ratios[path]).toFixed(2)}×  (rounds: ${ratios[path].map((r) => r.toFixed(2)).join(' ')})`,
    );
  }
} finally {
  for (const server of servers) server.kill('SIGTERM');
  await Promise.all(servers.map((server) => once(server, 'exit')));
  await fixture.cleanup();
}
