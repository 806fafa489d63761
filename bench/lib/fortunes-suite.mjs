// The `fortunes` suite: TechEmpower's `/fortunes` — every row of the `fortune` table plus one
// added at request time, sorted by message, rendered as an HTML table with escaping — by
// Carafe (its ORM and carafe/templates) against Fastify (the same driver and Nunjucks), per
// database. Both pages are checked against the table, and against each other, before timing.
import { FORTUNES } from './db-fixture.mjs';
import { FORTUNES_ENDPOINTS, FORTUNES_SERVERS } from './options.mjs';
import { runSideBySide, sideBySideGoals, sideBySideTable } from './side-by-side.mjs';
import { get } from './verify.mjs';

export const FORTUNES_GOAL = 0.9;
const CONTENT_TYPE = 'text/html; charset=utf-8';
const ADDITIONAL = { id: 0, message: 'Additional fortune added at request time.' };

/** The rows the page must list, in order: by message, as `<` compares strings. */
const EXPECTED = [...FORTUNES, ADDITIONAL].sort((a, b) =>
  a.message < b.message ? -1 : a.message > b.message ? 1 : 0,
);

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeHtml(text) {
  return text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(\w+));/gi, (entity, decimal, hex, name) => {
    if (decimal !== undefined) return String.fromCodePoint(Number(decimal));
    if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
    return ENTITIES[name] ?? entity;
  });
}

/**
 * The page must list the 13 rows in order, each message as it is in the table once unescaped
 * (any escaping of quotes will do), and no markup of the script fortune left unescaped.
 */
export function checkPage(problems, body) {
  if (!body.includes('<title>Fortunes</title>'))
    problems.push('/fortunes: no <title>Fortunes</title>');
  if (!/<tr>\s*<th>id<\/th>\s*<th>message<\/th>\s*<\/tr>/.test(body)) {
    problems.push('/fortunes: no header row <tr><th>id</th><th>message</th></tr>');
  }
  if (body.includes('<script>')) problems.push('/fortunes: the <script> fortune is not escaped');
  const rows = [...body.matchAll(/<tr>\s*<td>([^<]*)<\/td>\s*<td>([^<]*)<\/td>\s*<\/tr>/g)].map(
    ([, id, message]) => ({ id: Number(id), message: unescapeHtml(message) }),
  );
  if (rows.length !== EXPECTED.length) {
    problems.push(`/fortunes: ${rows.length} rows, expected ${EXPECTED.length}`);
    return;
  }
  for (const [index, expected] of EXPECTED.entries()) {
    const row = rows[index];
    if (row.id !== expected.id || row.message !== expected.message) {
      problems.push(
        `/fortunes: row ${index + 1} is ${JSON.stringify(row)}, expected ${JSON.stringify(expected)} (sorted by message)`,
      );
    }
  }
}

/** The first server's page per fixture: the other must send exactly the same bytes. */
const firstPages = new WeakMap();

async function verifyFortunes(port, fixture) {
  const problems = [];
  let response;
  try {
    response = await get(port, '/fortunes');
  } catch (error) {
    return [`/fortunes: ${error.message}`];
  }
  if (response.status !== 200) {
    return [`/fortunes: status ${response.status} ${response.body.slice(0, 200)}`];
  }
  const contentType = String(response.headers['content-type']).toLowerCase();
  if (contentType !== CONTENT_TYPE) {
    problems.push(`/fortunes: Content-Type is ${contentType}, not ${CONTENT_TYPE}`);
  }
  if (Number.isNaN(Date.parse(response.headers.date ?? ''))) {
    problems.push(`/fortunes: missing or invalid Date header (${response.headers.date})`);
  }
  checkPage(problems, response.body);
  const first = firstPages.get(fixture);
  if (first === undefined) firstPages.set(fixture, { port, body: response.body });
  else if (first.body !== response.body) {
    let at = 0;
    while (first.body[at] === response.body[at]) at++;
    problems.push(
      `/fortunes: the page differs from the one on port ${first.port} at character ${at}: ` +
        `${JSON.stringify(response.body.slice(at, at + 60))} vs ${JSON.stringify(first.body.slice(at, at + 60))}`,
    );
  }
  return problems;
}

/** Runs the fortunes suite on each database of `--db`; a PostgreSQL that is down is skipped. */
export function runFortunes(options, runtime, log) {
  return runSideBySide(
    options,
    runtime,
    {
      stage: 'fortunes',
      servers: FORTUNES_SERVERS,
      basePort: options.fortunesBasePort,
      endpoints: FORTUNES_ENDPOINTS,
      verify: verifyFortunes,
    },
    log,
  );
}

export function fortunesTable(result, options) {
  return sideBySideTable(result, options, {
    title: 'Fortunes: Carafe (carafe/db + carafe/templates) vs Fastify (driver + Nunjucks)',
    names: ['Carafe', 'Fastify'],
    goal: FORTUNES_GOAL,
  });
}

export function fortunesGoals(result) {
  return sideBySideGoals(result, {
    stage: 'fortunes',
    claim: `Carafe ≥ ${FORTUNES_GOAL.toFixed(2)}× Fastify`,
    goal: FORTUNES_GOAL,
  });
}
