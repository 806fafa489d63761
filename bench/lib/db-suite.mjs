// The `db` suite: Carafe's ORM against the raw driver with prepared statements, on the
// TechEmpower-style `/db` and `/queries?queries=20`, per database. Both servers read the
// same freshly filled `world` table; their answers are checked against it before timing.
import { DB_ENDPOINTS, DB_SERVERS } from './options.mjs';
import { runSideBySide, sideBySideGoals, sideBySideTable } from './side-by-side.mjs';
import { get } from './verify.mjs';

export const DB_GOAL = 0.85;

/** `queries` values and the row count each must produce: the clamping rules included. */
const QUERY_CHECKS = [
  ['/queries?queries=20', 20],
  ['/queries?queries=0', 1],
  ['/queries?queries=abc', 1],
  ['/queries?queries=1000', 500],
  ['/queries', 1],
];

/** `world` must be `{ id, randomNumber }` and hold the row's number as `rows` has it. */
export function checkWorld(problems, path, world, rows) {
  const keys = world !== null && typeof world === 'object' ? Object.keys(world).sort() : [];
  if (keys.join(',') !== 'id,randomNumber') {
    problems.push(`${path}: ${JSON.stringify(world)} is not { id, randomNumber }`);
  } else if (!rows.has(world.id) || rows.get(world.id) !== world.randomNumber) {
    problems.push(`${path}: ${JSON.stringify(world)} is not a row of the world table`);
  }
}

async function fetchJson(problems, port, path) {
  let response;
  try {
    response = await get(port, path);
  } catch (error) {
    problems.push(`${path}: ${error.message}`);
    return undefined;
  }
  if (response.status !== 200) {
    problems.push(`${path}: status ${response.status} ${response.body.slice(0, 200)}`);
    return undefined;
  }
  if (!String(response.headers['content-type']).startsWith('application/json')) {
    problems.push(`${path}: Content-Type is ${response.headers['content-type']}`);
  }
  try {
    return JSON.parse(response.body);
  } catch {
    problems.push(`${path}: body is not JSON: ${response.body.slice(0, 200)}`);
    return undefined;
  }
}

async function verifyDbServer(port, { rows }) {
  const problems = [];
  const world = await fetchJson(problems, port, '/db');
  if (world !== undefined) checkWorld(problems, '/db', world, rows);
  for (const [path, count] of QUERY_CHECKS) {
    const worlds = await fetchJson(problems, port, path);
    if (worlds === undefined) continue;
    if (!Array.isArray(worlds) || worlds.length !== count) {
      problems.push(
        `${path}: expected an array of ${count}, got ${Array.isArray(worlds) ? worlds.length : typeof worlds}`,
      );
      continue;
    }
    for (const item of worlds) checkWorld(problems, path, item, rows);
  }
  return problems;
}

/** Runs the db suite on each database of `--db`; a PostgreSQL that is down is skipped. */
export function runDb(options, runtime, log) {
  return runSideBySide(
    options,
    runtime,
    {
      stage: 'db',
      servers: DB_SERVERS,
      basePort: options.dbBasePort,
      endpoints: DB_ENDPOINTS,
      verify: verifyDbServer,
    },
    log,
  );
}

/** The ORM-vs-raw table of a db run. */
export function dbTable(result, options) {
  return sideBySideTable(result, options, {
    title: 'ORM (Carafe + carafe/db) vs raw driver with prepared statements',
    names: ['ORM', 'raw'],
    goal: DB_GOAL,
  });
}

/** One goal per database × endpoint: the ORM's req/s ≥ 0.85× the raw driver's. */
export function dbGoals(result) {
  return sideBySideGoals(result, {
    stage: 'db',
    claim: `ORM ≥ ${DB_GOAL.toFixed(2)}× raw driver`,
    goal: DB_GOAL,
  });
}
