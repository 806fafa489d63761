// Bytes allocated per request by node:http and by Carafe, by function, under wrk: V8's sampling
// heap profiler, counting objects the GC has already collected too. Allocation per request is
// what decides how soon V8 grows its young generation, and so the memory figure after 100,000
// requests (docs/benchmarks.md, "Memory"). Runs the same compiled build as `npm run bench`.
//
//   node bench/micro/allocations.mjs [--path /json] [--seconds 4] [--top 15]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareRuntime } from '../lib/runtime.mjs';
import { ensureWrk, runWrk } from '../lib/wrk.mjs';

const { values } = parseArgs({
  options: {
    path: { type: 'string', default: '/json' },
    seconds: { type: 'string', default: '4' },
    top: { type: 'string', default: '15' },
  },
});
const seconds = Number(values.seconds);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const servers = ['raw-node', 'carafe'];
ensureWrk();
const runtime = await prepareRuntime(
  'compiled',
  repoRoot,
  join(repoRoot, 'bench', 'results', '.alloc-build'),
  servers,
);
const sampler = fileURLToPath(new URL('./allocation-sampler.mjs', import.meta.url));
const port = 9400;

async function measure(name) {
  const { command, args, cwd } = runtime.launch(name, { cpu: 0 }, ['--import', sampler]);
  const child = spawn(command, [...args, '--port', String(port)], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  try {
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    while (!output.includes('listening')) await once(child.stdout, 'data');
    const load = (duration) =>
      runWrk({
        port,
        path: values.path,
        seconds: duration,
        connections: 64,
        threads: 1,
        where: { cpu: 1 },
      });
    await load(2); // warm-up: the JIT settles before sampling
    child.send('start');
    await once(child, 'message');
    const { requests } = await load(seconds);
    child.send('stop');
    const [{ bytes }] = await once(child, 'message');
    return { requests, bytes };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const results = {};
for (const name of servers) results[name] = await measure(name);
console.log(
  `GET ${values.path}, wrk -c64 for ${seconds} s; bytes allocated per request (sampled every 64 bytes)\n`,
);
for (const [name, { requests, bytes }] of Object.entries(results)) {
  const perRequest = Object.entries(bytes).map(([where, total]) => [where, total / requests]);
  const total = perRequest.reduce((sum, [, value]) => sum + value, 0);
  // The bundled core and the server file: what the framework itself allocates.
  const own = perRequest.filter(([where]) => / (src\/index\.js|servers\/[\w-]+\.js):/.test(where));
  const ownTotal = own.reduce((sum, [, value]) => sum + value, 0);
  console.log(
    `${name}: ${requests.toLocaleString('en-US')} requests, ${total.toFixed(0)} B/request (${ownTotal.toFixed(0)} in the server's own code)`,
  );
  for (const [where, value] of perRequest
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))) {
    console.log(`  ${value.toFixed(0).padStart(6)}  ${where}`);
  }
  console.log();
}
