// Starting a server and checking that it answers the benchmark endpoints correctly before
// it is timed: a fast wrong answer must not count.
import { deepStrictEqual } from 'node:assert/strict';
import { request } from 'node:http';
import { SERVERS } from './options.mjs';
import { placement, SERVER_CPU, startServer } from './processes.mjs';

const HELLO = 'Hello, World!';

/** GET 127.0.0.1:port/path; resolves to status, headers and the body as text. */
export function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${path} timed out after 5 s`)));
    req.once('error', reject);
    req.end();
  });
}

function checkJson(problems, path, response, expected) {
  if (!String(response.headers['content-type']).startsWith('application/json')) {
    problems.push(
      `${path}: Content-Type is ${response.headers['content-type']}, not application/json`,
    );
  }
  try {
    deepStrictEqual(JSON.parse(response.body), expected);
  } catch {
    problems.push(
      `${path}: body ${JSON.stringify(response.body)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

const CHECKS = [
  ['/json', (problems, r) => checkJson(problems, '/json', r, { message: HELLO })],
  [
    '/plaintext',
    (problems, r) => {
      if (!String(r.headers['content-type']).startsWith('text/plain')) {
        problems.push(`/plaintext: Content-Type is ${r.headers['content-type']}, not text/plain`);
      }
      if (r.body !== HELLO) problems.push(`/plaintext: body ${JSON.stringify(r.body)}`);
      if (!r.headers.server) problems.push('/plaintext: no Server header');
    },
  ],
  ['/users/42', (problems, r) => checkJson(problems, '/users/42', r, { id: 42 })],
  ['/users/7', (problems, r) => checkJson(problems, '/users/7', r, { id: 7 })],
  // Filler routes must really be registered, or the lookups would be cheaper than claimed.
  ['/api/v1/resource30/', () => {}],
  ['/api/v1/resource20/5/comments/6/', () => {}],
];

/** Resolves to the list of problems found (empty when the server answers correctly). */
async function verifyServer(port) {
  const problems = [];
  for (const [path, check] of CHECKS) {
    let response;
    try {
      response = await get(port, path);
    } catch (error) {
      problems.push(`${path}: ${error.message}`);
      continue;
    }
    if (response.status !== 200) {
      problems.push(
        `${path}: status ${response.status} ${JSON.stringify(response.body.slice(0, 200))}`,
      );
      continue;
    }
    if (Number.isNaN(Date.parse(response.headers.date ?? ''))) {
      problems.push(`${path}: missing or invalid Date header (${response.headers.date})`);
    }
    check(problems, response);
  }
  return problems;
}

/** Each server has a fixed port: --base-port plus its place in the list. */
export function portOf(options, serverName) {
  return options.basePort + SERVERS.findIndex((s) => s.name === serverName);
}

/** Starts a server and checks its answers; resolves to its handle or to a failure record. */
export async function startVerified(options, runtime, serverName, stage, nodeFlags = []) {
  const port = portOf(options, serverName);
  let handle;
  try {
    handle = await startServer({
      name: serverName,
      port,
      ...runtime.launch(serverName, placement(options, SERVER_CPU), nodeFlags),
    });
  } catch (error) {
    return { failure: { server: serverName, stage, problems: [error.message] } };
  }
  const problems = await verifyServer(port);
  if (problems.length === 0) return { handle };
  await handle.stop();
  return {
    failure: { server: serverName, stage, problems: ['wrong answers, not timed', ...problems] },
  };
}
