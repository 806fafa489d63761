// How much CPU the server used during a measurement. With 64 connections on hello-world
// endpoints a server should use its whole core; when it gets less, something else on the
// machine took its core or starved wrk, and req/s measures that neighbour instead. Requests
// per CPU-second stay meaningful either way: they count the framework's own cost.
import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common build.
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the parenthesised command name, or undefined if gone. */
function statFields(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** `pid` and every live process below it (gunicorn's worker under its master). */
function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = statFields(entry)?.[1];
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), entry]);
  }
  const tree = [String(pid)];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

function processTicks(pid) {
  let ticks = 0;
  for (const member of processTree(pid)) {
    // utime and stime are the 12th and 13th fields after the command name.
    const fields = statFields(member);
    if (fields !== undefined) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/**
 * Starts watching the server process and its children; the returned function gives the CPU
 * time they used since (`cpuSeconds`) and that time over the wall time (`share`: 1 = one core fully busy;
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
