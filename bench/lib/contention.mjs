// How much of the server's CPU core other processes took during a measurement. The
// machine may be shared (other work, other users); a sample taken while something else
// ran on the server's core measures the neighbour, not the framework.
import { readFileSync } from 'node:fs';

const SERVER_CPU = 0;

function coreTicks() {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${SERVER_CPU} `));
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    busy: user + nice + system + steal,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

function processTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Starts watching the core the server is pinned to; the returned function gives the
 * share (0–1) of that core's time spent by processes other than the server since then.
 */
export function watchServerCore(pid) {
  const core = coreTicks();
  const server = processTicks(pid);
  return () => {
    const coreNow = coreTicks();
    const total = coreNow.total - core.total;
    if (total <= 0) return 0;
    const others = coreNow.busy - core.busy - (processTicks(pid) - server);
    return Math.min(1, Math.max(0, others / total));
  };
}
