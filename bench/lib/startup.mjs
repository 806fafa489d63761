// Startup time as each server reports it (`ready-ms`: from before the framework import to
// listening, with 100 routes registered; `ready-cpu-ms`: the CPU time that took), over
// several starts interleaved across servers.
import { placement, SERVER_CPU, startServer } from './processes.mjs';
import { spread } from './stats.mjs';
import { portOf } from './verify.mjs';

export async function runStartup(options, runtime, log) {
  const readings = new Map(
    options.servers.map((s) => [s.name, { readyMs: [], readyCpuMs: [], wallMs: [] }]),
  );
  const failures = [];
  for (let run = 1; run <= options.startupRuns; run++) {
    for (const server of options.servers) {
      if (failures.some((f) => f.server === server.name)) continue;
      try {
        const handle = await startServer({
          name: server.name,
          port: portOf(options, server.name),
          ...runtime.launch(server.name, placement(options, SERVER_CPU)),
        });
        const problem = await handle.stop();
        if (problem) throw new Error(problem);
        if (!Number.isFinite(handle.readyMs) || !Number.isFinite(handle.readyCpuMs)) {
          throw new Error('printed no "ready-ms <n>" and "ready-cpu-ms <n>" lines');
        }
        const mine = readings.get(server.name);
        mine.readyMs.push(handle.readyMs);
        mine.readyCpuMs.push(handle.readyCpuMs);
        mine.wallMs.push(handle.wallMs);
      } catch (error) {
        failures.push({ server: server.name, stage: 'startup', problems: [error.message] });
      }
    }
    log(`  start ${run}/${options.startupRuns} done`);
  }
  const rows = options.servers
    .filter((s) => readings.get(s.name).readyMs.length > 0)
    .map((s) => ({
      server: s.name,
      label: s.label,
      readyMs: spread(readings.get(s.name).readyMs),
      readyCpuMs: spread(readings.get(s.name).readyCpuMs),
      wallMs: spread(readings.get(s.name).wallMs),
    }));
  return { rows, failures };
}
