// Child processes of the run (servers and wrk): spawning, the ready protocol, stopping,
// and making sure none outlives the runner, whatever way it ends.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const STARTUP_TIMEOUT_MS = 10_000;
export const SERVER_CPU = 0;
export const WRK_CPU = 1;
const STOP_TIMEOUT_MS = 3_000;
const HEAP_TIMEOUT_MS = 5_000;
const children = new Set();

/** The CPU a child is pinned to, or none with --no-pin. */
export function placement(options, cpu) {
  return { cpu: options.pin ? cpu : undefined };
}

/** The command line for `command args` under the given placement (taskset when pinned). */
export function placed(command, args, { cpu }) {
  return cpu === undefined
    ? { command, args }
    : { command: 'taskset', args: ['-c', String(cpu), command, ...args] };
}

/** Spawns a tracked child; it is killed if the runner exits or is interrupted. */
export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Installs the exit and Ctrl-C handlers; call once at startup. */
export function killChildrenOnExit() {
  // Children already sent SIGTERM are left to finish; any other is killed outright.
  process.once('exit', () => {
    for (const child of children) if (!child.killed) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping ${children.size} child process(es)\n`);
      for (const child of children) child.kill('SIGTERM');
      process.exit(130);
    });
  }
}

/** Rejects with a clear message when something already listens on 127.0.0.1:port. */
export function assertPortFree(port, owner) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} (for ${owner}) is already in use: stop what holds it ` +
                `(\`ss -ltnp 'sport = :${port}'\` shows it) or pass --base-port N`,
            )
          : error,
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(resolve));
  });
}

function tail(text, lines = 15) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Starts one server and resolves once it printed `listening <port>`, with the `ready-ms`
 * it reported and the wall time since spawn. Rejects on early exit or after 10 s.
 */
export async function startServer({ name, command, args, cwd, port }) {
  await assertPortFree(port, name);
  const spawnedAt = performance.now();
  const child = spawnTracked(command, [...args, '--port', String(port)], { cwd });
  let stdout = '';
  let stderr = '';
  let readyMs;
  let readyCpuMs;
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  return new Promise((resolve, reject) => {
    const onEarlyExit = (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`${name} exited (${signal ?? `code ${code}`}) before listening\n${tail(stderr)}`),
      );
    };
    const timer = setTimeout(() => {
      child.off('exit', onEarlyExit);
      child.kill('SIGKILL');
      reject(new Error(`${name} did not print "listening ${port}" within 10 s\n${tail(stderr)}`));
    }, STARTUP_TIMEOUT_MS);
    child.once('exit', onEarlyExit);
    let onLine = (line) => {
      if (line.startsWith('ready-ms ')) readyMs = Number(line.slice('ready-ms '.length));
      if (line.startsWith('ready-cpu-ms ')) readyCpuMs = Number(line.slice('ready-cpu-ms '.length));
      if (line !== `listening ${port}`) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      const server = runningServer({
        name,
        port,
        child,
        readyMs,
        readyCpuMs,
        spawnedAt,
        stderrTail: () => tail(stderr),
      });
      onLine = server.onLine;
      resolve(server);
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      let newline = stdout.indexOf('\n');
      while (newline !== -1) {
        onLine(stdout.slice(0, newline).trim());
        stdout = stdout.slice(newline + 1);
        newline = stdout.indexOf('\n');
      }
    });
  });
}

function runningServer({ name, port, child, readyMs, readyCpuMs, spawnedAt, stderrTail }) {
  let heapWaiter;
  const server = {
    name,
    port,
    pid: child.pid,
    readyMs,
    readyCpuMs,
    wallMs: performance.now() - spawnedAt,
    /** Set when the server died on its own; its stderr tail explains why. */
    crash: undefined,
    onLine(line) {
      if (line.startsWith('heap-used ') && heapWaiter)
        heapWaiter(Number(line.slice('heap-used '.length)));
    },
    /** Asks the server (started with --expose-gc) for its live heap after a full GC, in MB. */
    heapUsedMb() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} did not answer SIGUSR2 with heap-used`)),
          HEAP_TIMEOUT_MS,
        );
        heapWaiter = (mb) => {
          clearTimeout(timer);
          heapWaiter = undefined;
          resolve(mb);
        };
        child.kill('SIGUSR2');
      });
    },
    stop: () => stopChild(child, () => child.off('exit', onCrash)),
  };
  const onCrash = (code, signal) => {
    server.crash = `exited (${signal ?? `code ${code}`})\n${stderrTail()}`;
  };
  child.once('exit', onCrash);
  return server;
}

/** SIGTERM, then SIGKILL after 3 s; resolves to a problem description, or '' if it exited 0. */
function stopChild(child, forgetCrashWatch) {
  forgetCrashWatch();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve('');
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? '' : `did not exit cleanly on SIGTERM (${signal ?? `code ${code}`})`);
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size of a live process in MB, from /proc/<pid>/status (VmRSS). */
export function residentMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}
