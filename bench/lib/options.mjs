// Command-line flags of `npm run bench`, with defaults and validation.

export const SERVERS = [
  { name: 'raw-node', label: 'node:http' },
  { name: 'carafe', label: 'carafe' },
  { name: 'fastify', label: 'fastify' },
  { name: 'hono', label: 'hono' },
  { name: 'express', label: 'express' },
];
export const BASELINE = 'raw-node';
export const ENDPOINTS = {
  json: '/json',
  plaintext: '/plaintext',
  users: '/users/42',
};
/** The suites of `core`, Carafe's own hot path against bare node:http and its peers. */
export const SUITES = ['throughput', 'memory', 'startup'];
const ALL_SUITES = [...SUITES, 'fortunes', 'db', 'tfb'];
/** `--suite` names standing for several suites; a run without `--suite` is `core,fortunes`. */
const SUITE_GROUPS = { core: SUITES, all: ALL_SUITES };
/** The db suite's servers: the ORM and its ceiling, the raw driver. */
export const DB_SERVERS = [
  { name: 'tfb-carafe', label: 'carafe/db' },
  { name: 'tfb-raw', label: 'raw driver' },
];
export const DB_ENDPOINTS = { db: '/db', queries: '/queries?queries=20' };
/** The fortunes suite's servers: Carafe (ORM + templates) and Fastify (driver + Nunjucks). */
export const FORTUNES_SERVERS = [
  { name: 'tfb-carafe', label: 'carafe' },
  { name: 'tfb-fastify', label: 'fastify' },
];
export const FORTUNES_ENDPOINTS = { fortunes: '/fortunes' };
/**
 * The tfb suite's implementations of every TechEmpower test type: the limit (node:http and
 * the raw driver) first, then Carafe, its Node peers and, under gunicorn, Django and Flask.
 */
export const TFB_SERVERS = [
  { name: 'tfb-raw', label: 'node:http' },
  { name: 'tfb-carafe', label: 'Carafe' },
  { name: 'tfb-fastify', label: 'Fastify' },
  { name: 'tfb-hono', label: 'Hono' },
  { name: 'tfb-express', label: 'Express' },
  { name: 'tfb-django', label: 'Django', python: 'django' },
  { name: 'tfb-flask', label: 'Flask', python: 'flask' },
];
export const TFB_BASELINE = 'tfb-raw';
/**
 * TechEmpower's test types as timed: plaintext pipelined 16 deep, the others one by one. The
 * caches of `cached-queries` are filled first (`prime`: 200 × 500 random rows leave about
 * half a row of the 10,000 out on average), so that every round times a warm cache.
 */
export const TFB_TESTS = {
  plaintext: { path: '/plaintext', pipeline: 16, needsDatabase: false },
  json: { path: '/json', needsDatabase: false },
  db: { path: '/db' },
  queries: { path: '/queries?queries=20' },
  fortunes: { path: '/fortunes' },
  updates: { path: '/updates?queries=20' },
  'cached-queries': {
    path: '/cached-queries?count=100',
    prime: { path: '/cached-queries?count=500', requests: 200 },
  },
};
const tfbKey = (server) => server.name.slice('tfb-'.length);
const DATABASES = ['sqlite', 'postgres'];

const DEFAULTS = {
  suite: 'core,fortunes',
  duration: 5,
  warmup: 1,
  connections: 64,
  threads: 1,
  rounds: 3,
  retries: 1,
  only: SERVERS.map((s) => s.name).join(','),
  endpoints: Object.keys(ENDPOINTS).join(','),
  'memory-requests': 100_000,
  'startup-runs': 5,
  'base-port': 3100,
  runtime: 'compiled',
  db: DATABASES.join(','),
  frameworks: TFB_SERVERS.map(tfbKey).join(','),
  tests: Object.keys(TFB_TESTS).join(','),
};

/** `--quick`: a smoke run that checks the harness end to end in about a minute. */
const QUICK = { duration: 1, warmup: 0, rounds: 1, 'memory-requests': 5000, 'startup-runs': 1 };

export const USAGE = `usage: npm run bench -- [flags]

  --suite LIST            a comma list of ${ALL_SUITES.join(', ')}; core = ${SUITES.join(',')},
                          all = every suite (default: ${DEFAULTS.suite})
  --db LIST               databases of the fortunes, db and tfb suites among ${DATABASES.join(', ')} (default both;
                          PostgreSQL is test@127.0.0.1:5432 as user postgres, skipped when unreachable)
  --frameworks LIST       tfb implementations among ${TFB_SERVERS.map(tfbKey).join(', ')} (raw, the limit, is always kept)
  --tests LIST            tfb test types among ${Object.keys(TFB_TESTS).join(', ')}
  --duration S            seconds of measurement per server × endpoint (default ${DEFAULTS.duration})
  --warmup S              seconds of unmeasured load before each measurement (default ${DEFAULTS.warmup}; 0 = none)
  --connections N         wrk connections (default ${DEFAULTS.connections})
  --threads N             wrk threads (default ${DEFAULTS.threads}; the server gets the other core)
  --rounds N              rounds; each round measures every server × endpoint (default ${DEFAULTS.rounds})
  --retries N             retakes of a sample during which the server had < 90% of a core
                          (the machine was busy with something else; default ${DEFAULTS.retries})
  --only LIST             servers among ${SERVERS.map((s) => s.name).join(', ')} (node:http is always kept for ratios)
  --endpoints LIST        endpoints among ${Object.keys(ENDPOINTS).join(', ')}
  --memory-requests N     requests per memory phase; RSS is read after each of two phases (default ${DEFAULTS['memory-requests']})
  --startup-runs N        starts per server for the startup time (default ${DEFAULTS['startup-runs']})
  --base-port N           first port; servers take consecutive ones (default ${DEFAULTS['base-port']})
  --runtime KIND          compiled (default: TypeScript transpiled to JS, run by plain node) or tsx (node --import tsx)
  --quick                 smoke run of the harness (1 round of 1 s, 5,000 memory requests, 1 start);
                          flags given after it still apply
  --no-pin                do not pin the server to CPU 0 and wrk to CPU 1 with taskset
  --help                  this text`;

function fail(message) {
  throw new Error(`${message}\n\n${USAGE}`);
}

function positiveInteger(name, raw, { allowZero = false } = {}) {
  const text = String(raw).replace(/s$/, '');
  const value = Number(text);
  if (!/^\d+$/.test(text) || (!allowZero && value === 0)) {
    fail(
      `--${name} needs a ${allowZero ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function listOf(name, raw, allowed) {
  const items = String(raw)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item));
  if (items.length === 0 || unknown.length > 0) {
    fail(
      `--${name}: unknown ${unknown.join(', ') || '(empty)'}; choose among ${allowed.join(', ')}`,
    );
  }
  return [...new Set(items)];
}

function readFlags(argv) {
  const flags = { ...DEFAULTS, pin: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') flags.help = true;
    else if (arg === '--no-pin') flags.pin = false;
    else if (arg === '--quick') Object.assign(flags, QUICK);
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s);
      if (!(name in DEFAULTS)) fail(`unknown flag ${arg}`);
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`${arg} needs a value`);
      flags[name] = value;
    } else fail(`unexpected argument ${arg}`);
  }
  return flags;
}

/** The chosen tfb servers, in TFB_SERVERS order, the limit always among them. */
function tfbServers(keys) {
  return TFB_SERVERS.filter(
    (server) => server.name === TFB_BASELINE || keys.includes(tfbKey(server)),
  );
}

/** Parses argv (without node and script) into the run's options; throws with usage on error. */
export function parseOptions(argv) {
  const flags = readFlags(argv);
  const named = listOf('suite', flags.suite, [...Object.keys(SUITE_GROUPS), ...ALL_SUITES]);
  const wanted = new Set(named.flatMap((name) => SUITE_GROUPS[name] ?? [name]));
  const suites = ALL_SUITES.filter((suite) => wanted.has(suite));
  const servers = listOf(
    'only',
    flags.only,
    SERVERS.map((s) => s.name),
  );
  const runtime = String(flags.runtime);
  if (runtime !== 'compiled' && runtime !== 'tsx') fail('--runtime is compiled or tsx');
  const basePort = positiveInteger('base-port', flags['base-port']);
  // The db servers take the ports right after the core ones, then the fortunes servers.
  const dbBasePort = basePort + SERVERS.length;
  const fortunesBasePort = dbBasePort + DB_SERVERS.length;
  const tfbBasePort = fortunesBasePort + FORTUNES_SERVERS.length;
  if (tfbBasePort + TFB_SERVERS.length > 65535) {
    fail('--base-port leaves no room for the servers');
  }
  return {
    help: flags.help,
    suites,
    duration: positiveInteger('duration', flags.duration),
    warmup: positiveInteger('warmup', flags.warmup, { allowZero: true }),
    connections: positiveInteger('connections', flags.connections),
    threads: positiveInteger('threads', flags.threads),
    rounds: positiveInteger('rounds', flags.rounds),
    retries: positiveInteger('retries', flags.retries, { allowZero: true }),
    servers: SERVERS.filter((s) => servers.includes(s.name)),
    endpoints: listOf('endpoints', flags.endpoints, Object.keys(ENDPOINTS)),
    memoryRequests: positiveInteger('memory-requests', flags['memory-requests']),
    startupRuns: positiveInteger('startup-runs', flags['startup-runs']),
    basePort,
    dbBasePort,
    fortunesBasePort,
    tfbBasePort,
    databases: listOf('db', flags.db, DATABASES),
    tfbServers: tfbServers(listOf('frameworks', flags.frameworks, TFB_SERVERS.map(tfbKey))),
    tfbTests: listOf('tests', flags.tests, Object.keys(TFB_TESTS)),
    runtime,
    pin: flags.pin,
  };
}
