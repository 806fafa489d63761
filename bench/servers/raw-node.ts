// The ceiling: bare node:http, one writeHead + end with Content-Length per response.
// Its routing is hand-written (a map of static paths, dynamic routes bucketed by first
// segment), so the 100 routes cost it what a careful hand-rolled server would pay.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  announceListening,
  closeOnSigterm,
  exitOnStartupError,
  fillerRoutes,
  HELLO,
  serverPort,
  startClock,
} from './common.js';

const startedAt = startClock();
const port = serverPort();
const { createServer } = await import('node:http');

type Params = Record<string, string | number>;
type Respond = (res: ServerResponse, params: Params) => void;
type Segment = string | { name: string; isInt: boolean };
interface DynamicRoute {
  segments: Segment[];
  respond: Respond;
}

function sendJson(res: ServerResponse, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

const staticRoutes = new Map<string, Respond>();
const dynamicRoutes = new Map<string, DynamicRoute[]>();

function register(pattern: string, respond: Respond): void {
  if (!pattern.includes('<')) {
    staticRoutes.set(pattern, respond);
    return;
  }
  const segments = pattern.split('/').map((part): Segment => {
    const param = /^<(\w+):(\w+)>$/.exec(part);
    return param ? { name: param[2]!, isInt: param[1] === 'int' } : part;
  });
  const bucketKey = pattern.split('/')[1]!;
  const bucket = dynamicRoutes.get(bucketKey) ?? [];
  bucket.push({ segments, respond });
  dynamicRoutes.set(bucketKey, bucket);
}

function matchDynamic(path: string): [Respond, Params] | undefined {
  const parts = path.split('/');
  for (const route of dynamicRoutes.get(parts[1]!) ?? []) {
    if (route.segments.length !== parts.length) continue;
    const params: Params = {};
    const matched = route.segments.every((segment, i) => {
      const part = parts[i]!;
      if (typeof segment === 'string') return segment === part;
      if (part === '') return false;
      if (!segment.isInt) {
        params[segment.name] = part;
        return true;
      }
      if (!/^\d+$/.test(part)) return false;
      params[segment.name] = Number(part);
      return true;
    });
    if (matched) return [route.respond, params];
  }
  return undefined;
}

for (const route of fillerRoutes) {
  register(route.pattern, (res, params) => sendJson(res, { route: route.name, params }));
}
register('/json', (res) => sendJson(res, { message: HELLO }));
register('/plaintext', (res) => {
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Content-Length': HELLO.length,
    Server: 'node',
  });
  res.end(HELLO);
});
register('/users/<int:id>', (res, params) => sendJson(res, { id: params.id }));

const NO_PARAMS: Params = {};

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const respondStatic = req.method === 'GET' ? staticRoutes.get(path) : undefined;
  const dynamic = respondStatic || req.method !== 'GET' ? undefined : matchDynamic(path);
  if (respondStatic) respondStatic(res, NO_PARAMS);
  else if (dynamic) dynamic[0](res, dynamic[1]);
  else {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 9 });
    res.end('Not Found');
  }
}

const server = createServer(handle);
server.once('error', (error) => exitOnStartupError(error, port));
server.listen(port, '127.0.0.1', () => announceListening(port, startedAt));
closeOnSigterm(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);
