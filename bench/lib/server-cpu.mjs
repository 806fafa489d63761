// How much CPU the server used during a measurement. With 64 connections on hello-world
// endpoints a server should use its whole core; when it gets less, something else on the
// machine took its core or starved wrk, and req/s measures that neighbour instead. Requests
// per CPU-second stay meaningful either way: they count the framework's own cost.
import { readFileSync } from 'node:fs';

// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common build.
const TICKS_PER_SECOND = 100;

function processTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Starts watching the server process; the returned function gives the CPU time it used
 * since (`cpuSeconds`) and that time over the wall time (`share`: 1 = one core fully busy;
 * helper threads can push it slightly above).
 */
export function watchServerCpu(pid) {
  const startTicks = processTicks(pid);
  const startMs = performance.now();
  return () => {
    const wallSeconds = (performance.now() - startMs) / 1000;
    const cpuSeconds = (processTicks(pid) - startTicks) / TICKS_PER_SECOND;
    return { cpuSeconds, share: cpuSeconds / wallSeconds };
  };
}
