// Resident memory of each server after N requests and again after N more: the first
// reading shows the working size. Whether memory keeps growing is read from the live heap
// after a full collection at the same two points, because RSS also moves as V8 resizes
// its heap, leak or no leak.
import { placement, residentMegabytes, WRK_CPU } from './processes.mjs';
import { startVerified } from './verify.mjs';
import { runWrk } from './wrk.mjs';

const PROBE_SECONDS = 2;
const MAX_CHUNK_SECONDS = 10;
const MAX_CHUNKS = 60;

/** Loads the server with wrk in chunks sized from the observed rate until `count` is reached. */
async function drive(options, handle, script, count) {
  let done = 0;
  let failed = 0;
  let seconds = PROBE_SECONDS;
  for (let chunk = 0; done < count; chunk++) {
    if (chunk === MAX_CHUNKS)
      throw new Error(`only ${done} of ${count} requests after ${chunk} wrk runs`);
    const result = await runWrk({
      port: handle.port,
      path: '/',
      seconds,
      connections: options.connections,
      threads: options.threads,
      where: placement(options, WRK_CPU),
      script,
    });
    if (handle.crash) throw new Error(handle.crash);
    done += result.requests;
    failed += result.failed;
    const remaining = count - done;
    // Short chunks keep the overshoot small when the rate changes between chunks.
    seconds = Math.min(
      MAX_CHUNK_SECONDS,
      Math.max(1, Math.ceil(remaining / Math.max(result.rps, 1))),
    );
  }
  return { requests: done, failed };
}

async function measureServer(options, handle, script) {
  const idleMb = residentMegabytes(handle.pid);
  const first = await drive(options, handle, script, options.memoryRequests);
  const afterFirstMb = residentMegabytes(handle.pid);
  // RSS is read before the forced collection, which would shrink it.
  const heapAfterFirstMb = await handle.heapUsedMb();
  const second = await drive(options, handle, script, options.memoryRequests);
  const afterSecondMb = residentMegabytes(handle.pid);
  const heapAfterSecondMb = await handle.heapUsedMb();
  return {
    idleMb,
    afterFirstMb,
    afterSecondMb,
    growthMb: afterSecondMb - afterFirstMb,
    heapAfterFirstMb,
    heapAfterSecondMb,
    heapGrowthMb: heapAfterSecondMb - heapAfterFirstMb,
    requests: [first.requests, second.requests],
    failedRequests: first.failed + second.failed,
  };
}

/** Runs the memory suite, one freshly started server at a time. */
export async function runMemory(options, runtime, script, log) {
  const rows = [];
  const failures = [];
  for (const server of options.servers) {
    // --expose-gc lets the server run a full collection before reporting its live heap.
    const started = await startVerified(options, runtime, server.name, 'memory', ['--expose-gc']);
    if (!started.handle) {
      failures.push(started.failure);
      continue;
    }
    try {
      const row = {
        server: server.name,
        label: server.label,
        ...(await measureServer(options, started.handle, script)),
      };
      rows.push(row);
      log(
        `  ${server.name.padEnd(8)} idle ${row.idleMb.toFixed(1)} MB, after ${row.requests[0]} requests ` +
          `${row.afterFirstMb.toFixed(1)} MB, after ${row.requests[1]} more ${row.afterSecondMb.toFixed(1)} MB`,
      );
    } catch (error) {
      failures.push({ server: server.name, stage: 'memory', problems: [error.message] });
    } finally {
      const problem = await started.handle.stop();
      if (problem) failures.push({ server: server.name, stage: 'stop', problems: [problem] });
    }
  }
  return { rows, failures };
}
