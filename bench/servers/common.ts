// What every benchmark server shares: the 97 filler routes, the port argument and the
// stdout protocol the runner reads (`ready-ms <n>` then `listening <port>`).
// Kept free of framework imports so that loading it costs nothing measurable.

export const HELLO = 'Hello, World!';

/** A route registered before the three timed ones, so no lookup is trivially first. */
export interface FillerRoute {
  /** Unique route name (Carafe requires one): `resource7-detail`. */
  name: string;
  /** Carafe syntax: `/api/v1/resource7/<int:id>/`. */
  pattern: string;
  /** The `:param` syntax Fastify, Hono and Express share: `/api/v1/resource7/:id/`. */
  colonPattern: string;
}

const RESOURCES = 30;
const NESTED_RESOURCES = 20;
const SITE_PAGES = [
  '/',
  '/about/',
  '/contact/',
  '/pricing/',
  '/blog/',
  '/docs/',
  '/login/',
  '/logout/',
  '/signup/',
  '/account/',
  '/search/',
  '/health',
];
const SITE_PARAM_PAGES = [
  '/blog/<int:year>/',
  '/blog/<int:year>/<str:slug>/',
  '/docs/<str:page>/',
  '/account/orders/<int:id>/',
  '/tags/<str:tag>/',
];

function toColonPattern(pattern: string): string {
  return pattern.replace(/<(?:\w+:)?(\w+)>/g, ':$1');
}

function buildFillerRoutes(): FillerRoute[] {
  const patterns: Array<[name: string, pattern: string]> = [];
  for (let n = 1; n <= RESOURCES; n++) {
    patterns.push([`resource${n}-list`, `/api/v1/resource${n}/`]);
    patterns.push([`resource${n}-detail`, `/api/v1/resource${n}/<int:id>/`]);
  }
  for (let n = 1; n <= NESTED_RESOURCES; n++) {
    patterns.push([
      `resource${n}-comment`,
      `/api/v1/resource${n}/<int:id>/comments/<int:commentId>/`,
    ]);
  }
  for (const [i, pattern] of SITE_PAGES.entries()) patterns.push([`page${i}`, pattern]);
  for (const [i, pattern] of SITE_PARAM_PAGES.entries()) patterns.push([`param-page${i}`, pattern]);
  return patterns.map(([name, pattern]) => ({
    name,
    pattern,
    colonPattern: toColonPattern(pattern),
  }));
}

/** 97 routes; with `/json`, `/plaintext` and `/users/<id>` every server registers 100. */
export const fillerRoutes: readonly FillerRoute[] = buildFillerRoutes();

/** The value of `--name VALUE` or `--name=VALUE`, else the environment variable `envName`. */
export function flagValue(argv: readonly string[], name: string, envName: string): string | undefined {
  const flagIndex = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  const flag = argv[flagIndex];
  if (flag === undefined) return process.env[envName];
  return flag.startsWith(`--${name}=`) ? flag.slice(name.length + 3) : argv[flagIndex + 1];
}

/** The port from `--port N`, `--port=N` or `PORT`; exits with a clear message when invalid. */
export function serverPort(argv: readonly string[] = process.argv.slice(2)): number {
  const raw = flagValue(argv, 'port', 'PORT');
  const port = Number(raw ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`invalid port ${JSON.stringify(raw)}: pass --port N with 1 ≤ N ≤ 65535\n`);
    process.exit(2);
  }
  return port;
}

/** When startup began: wall clock and the process's CPU time (all threads). */
export interface StartClock {
  wallMs: number;
  cpu: NodeJS.CpuUsage;
}

/** Call at the very top of a server, before its framework is imported. */
export function startClock(): StartClock {
  return { wallMs: performance.now(), cpu: process.cpuUsage() };
}

/**
 * Prints the startup time since `startedAt` — wall clock (`ready-ms`) and CPU time
 * (`ready-cpu-ms`, which a busy machine does not inflate) — then the ready line, and
 * from then on answers SIGUSR2 with the live heap.
 */
export function announceListening(port: number, startedAt: StartClock): void {
  reportHeapOnSigusr2();
  const readyMs = performance.now() - startedAt.wallMs;
  const cpu = process.cpuUsage(startedAt.cpu);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    `ready-ms ${readyMs.toFixed(1)}\nready-cpu-ms ${cpuMs.toFixed(1)}\nlistening ${port}\n`,
  );
}

/**
 * On SIGUSR2: a full garbage collection (when run with `--expose-gc`), then `heap-used <MB>`.
 * The live heap only grows when something is retained, unlike RSS, which also moves as V8
 * resizes its heap.
 */
function reportHeapOnSigusr2(): void {
  process.on('SIGUSR2', () => {
    gc?.();
    const heapUsedMb = process.memoryUsage().heapUsed / 2 ** 20;
    process.stdout.write(`heap-used ${heapUsedMb.toFixed(2)}\n`);
  });
}

/** Reports a failed start (a taken port above all) in words the runner can show as is. */
export function exitOnStartupError(error: unknown, port: number): never {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message =
    code === 'EADDRINUSE'
      ? `port ${port} is already in use: stop whatever holds it or choose another port`
      : `could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** On SIGTERM: close the server, then exit 0 (forced after 2 s if connections linger). */
export function closeOnSigterm(close: () => unknown): void {
  process.once('SIGTERM', async () => {
    setTimeout(() => process.exit(0), 2000).unref();
    try {
      await close();
    } finally {
      process.exit(0);
    }
  });
}
