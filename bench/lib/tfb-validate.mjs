// The tfb suite's validator: what TechEmpower's rules ask of each test type, checked on every
// implementation before it is timed. A fast wrong answer is not a result.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkWorld } from './db-suite.mjs';
import { checkPage } from './fortunes-suite.mjs';
import { get } from './verify.mjs';

const HELLO = 'Hello, World!';
/** A `Date` more than this far from the runner's clock is stale (it has 1-second resolution). */
const DATE_TOLERANCE_MS = 3000;

/** `?queries=` / `?count=` values and the number of rows each must give. */
const CLAMPING = [
  ['20', 20],
  ['0', 1],
  ['foo', 1],
  ['501', 500],
  [undefined, 1],
];

const CONTENT_TYPES = {
  json: 'application/json',
  text: 'text/plain',
  html: 'text/html;charset=utf-8',
};

function checkHeaders(problems, path, response, kind) {
  const headers = response.headers;
  const type = String(headers['content-type'] ?? '')
    .toLowerCase()
    .replaceAll(' ', '');
  const expected = CONTENT_TYPES[kind];
  if (kind === 'html' ? type !== expected : !type.startsWith(expected)) {
    problems.push(`${path}: Content-Type is ${headers['content-type']}, not ${expected}`);
  }
  const date = Date.parse(headers.date ?? '');
  if (Number.isNaN(date)) problems.push(`${path}: missing or invalid Date (${headers.date})`);
  else if (Math.abs(Date.now() - date) > DATE_TOLERANCE_MS) {
    problems.push(`${path}: Date ${headers.date} is not the current time`);
  }
  const length = headers['content-length'];
  if (length !== undefined) {
    if (Number(length) !== Buffer.byteLength(response.body)) {
      problems.push(
        `${path}: Content-Length ${length} but ${Buffer.byteLength(response.body)} bytes`,
      );
    }
  } else if (!/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
    problems.push(`${path}: neither Content-Length nor Transfer-Encoding: chunked`);
  }
}

async function fetchChecked(problems, port, path, kind) {
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
  checkHeaders(problems, path, response, kind);
  if (kind !== 'json') return response.body;
  try {
    return JSON.parse(response.body);
  } catch {
    problems.push(`${path}: body is not JSON: ${response.body.slice(0, 200)}`);
    return undefined;
  }
}

async function checkHello(problems, port) {
  const json = await fetchChecked(problems, port, '/json', 'json');
  if (json !== undefined && JSON.stringify(json) !== JSON.stringify({ message: HELLO })) {
    problems.push(`/json: ${JSON.stringify(json)}, expected {"message":"${HELLO}"}`);
  }
  const text = await fetchChecked(problems, port, '/plaintext', 'text');
  if (text !== undefined && text !== HELLO) problems.push(`/plaintext: ${JSON.stringify(text)}`);
}

/** Checks a list endpoint's clamping; returns the worlds of each answer, by the value asked. */
async function checkList(problems, port, base, param, rows) {
  const answers = [];
  for (const [value, count] of CLAMPING) {
    const path = value === undefined ? base : `${base}?${param}=${value}`;
    const worlds = await fetchChecked(problems, port, path, 'json');
    if (worlds === undefined) continue;
    if (!Array.isArray(worlds) || worlds.length !== count) {
      problems.push(
        `${path}: expected an array of ${count}, got ${Array.isArray(worlds) ? `${worlds.length} items` : JSON.stringify(worlds).slice(0, 80)}`,
      );
      continue;
    }
    for (const world of worlds) checkWorld(problems, path, world, rows);
    answers.push(worlds);
  }
  return answers;
}

function isNewWorld(world, rows) {
  return (
    world !== null &&
    typeof world === 'object' &&
    Object.keys(world).sort().join(',') === 'id,randomNumber' &&
    rows.has(world.id) &&
    Number.isInteger(world.randomNumber) &&
    world.randomNumber >= 1 &&
    world.randomNumber <= 10_000
  );
}

/** Later checks (of this server and the next) compare against the table as it now is. */
async function refreshRows(fixture, ids) {
  const stored = await fixture.readWorlds(ids);
  for (const [id, value] of stored) fixture.rows.set(id, value);
  return stored;
}

/**
 * Each world an `/updates` answer lists must hold one of the numbers sent for its id (an id
 * drawn twice may keep either), read before the next request can overwrite it.
 */
async function checkUpdates(problems, port, fixture) {
  for (const [value, count] of CLAMPING) {
    const path = value === undefined ? '/updates' : `/updates?queries=${value}`;
    const worlds = await fetchChecked(problems, port, path, 'json');
    if (worlds === undefined) continue;
    if (!Array.isArray(worlds) || worlds.length !== count) {
      problems.push(`${path}: expected an array of ${count}`);
      continue;
    }
    const wrong = worlds.find((w) => !isNewWorld(w, fixture.rows));
    if (wrong !== undefined) {
      problems.push(`${path}: ${JSON.stringify(wrong)} is not { id, randomNumber } of a world row`);
      continue;
    }
    const sent = new Map();
    for (const { id, randomNumber } of worlds) {
      sent.set(id, [...(sent.get(id) ?? []), randomNumber]);
    }
    const stored = await refreshRows(fixture, [...sent.keys()]);
    for (const [id, numbers] of sent) {
      if (!numbers.includes(stored.get(id))) {
        problems.push(
          `${path}: world ${id} holds ${stored.get(id)} in the database, not the ${numbers.join(' or ')} sent`,
        );
      }
    }
  }
}

/** Resolves to the problems of the server on `port`; an empty list means it follows the rules. */
export async function validateTfb(port, fixture) {
  const problems = [];
  await checkHello(problems, port);
  const world = await fetchChecked(problems, port, '/db', 'json');
  if (world !== undefined) checkWorld(problems, '/db', world, fixture.rows);
  await checkList(problems, port, '/queries', 'queries', fixture.rows);
  const page = await fetchChecked(problems, port, '/fortunes', 'html');
  if (page !== undefined) checkPage(problems, page);
  // Before the updates: a cache filled now holds the table as the fixture knows it.
  await checkList(problems, port, '/cached-queries', 'count', fixture.rows);
  await checkUpdates(problems, port, fixture);
  return problems;
}

// Requests of the query count and the counters they must move (pg_stat_user_tables).
const COUNTED = [
  ['/db', 5],
  ['/queries?queries=20', 1],
  ['/fortunes', 3],
  ['/updates?queries=20', 1],
];

function delta(before, after, table, counter) {
  return (after[table]?.[counter] ?? 0) - (before[table]?.[counter] ?? 0);
}

/** Table counters once two readings 300 ms apart agree (or after 3 s). */
async function settledStatistics(fixture) {
  let last = await fixture.tableStatistics();
  for (let waited = 0; waited < 3000; waited += 300) {
    await sleep(300);
    const now = await fixture.tableStatistics();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  return last;
}

/**
 * Counts the queries of a fresh server on PostgreSQL: 5 × /db, /queries?queries=20, 3 ×
 * /fortunes and /updates?queries=20 must read `world` by index 45 times (plus the UPDATE's own
 * index scans, at most one a row), never scan it whole, scan `fortune` 3 times and update as
 * many rows as distinct ids were sent. `stop` ends the server: its database connections
 * close, and PostgreSQL reports their counters at once instead of a second or ten later.
 */
export async function countTfbQueries(port, fixture, stop) {
  const problems = [];
  const before = await settledStatistics(fixture);
  const updated = new Set();
  for (const [path, times] of COUNTED) {
    for (let i = 0; i < times; i++) {
      const answer = await fetchChecked(
        problems,
        port,
        path,
        path === '/fortunes' ? 'html' : 'json',
      );
      if (path.startsWith('/updates') && Array.isArray(answer)) {
        for (const w of answer) if (Number.isInteger(w?.id)) updated.add(w.id);
      }
    }
  }
  await stop();
  const after = await settledStatistics(fixture);
  await refreshRows(fixture, [...updated]);
  if (problems.length > 0) return problems;
  const indexReads = delta(before, after, 'world', 'indexScans');
  if (indexReads < 45 || indexReads > 65) {
    problems.push(
      `world was read by index ${indexReads} times for 5 × /db, /queries?queries=20 and /updates?queries=20: expected 45 (one query a row) plus at most 20 for the UPDATE`,
    );
  }
  const worldScans = delta(before, after, 'world', 'seqScans');
  if (worldScans !== 0) problems.push(`world was scanned whole ${worldScans} times, expected 0`);
  const fortuneScans = delta(before, after, 'fortune', 'seqScans');
  if (fortuneScans !== 3) problems.push(`fortune was read ${fortuneScans} times for 3 × /fortunes`);
  const rowsUpdated = delta(before, after, 'world', 'rowsUpdated');
  if (rowsUpdated < updated.size || rowsUpdated > 20) {
    problems.push(
      `${rowsUpdated} world rows updated for /updates?queries=20 with ${updated.size} distinct ids`,
    );
  }
  return problems;
}
