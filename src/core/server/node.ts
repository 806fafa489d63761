// The Node adapter: no WHATWG objects on the hot path, one writeHead + end per response,
// timeouts against slow clients, and a graceful shutdown that lets in-flight requests finish.
import cluster from 'node:cluster';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Carafe } from '../app.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import type { RequestSource } from '../http/source.js';
import { isBufferedBody, writeBufferedResponse, writeNodeResponse } from '../http/write-node.js';

class NodeRequestSource implements RequestSource {
  readonly method: string;
  readonly url: string;
  readonly #message: IncomingMessage;
  constructor(message: IncomingMessage) {
    this.#message = message;
    this.method = message.method ?? 'GET';
    this.url = message.url ?? '/';
  }
  header(name: string): string | undefined {
    const value = this.#message.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  headers(): Record<string, string | string[] | undefined> {
    return this.#message.headers;
  }
  body(): IncomingMessage {
    return this.#message;
  }
  get remoteAddress(): string | undefined {
    return this.#message.socket.remoteAddress;
  }
  get encrypted(): boolean {
    return 'encrypted' in this.#message.socket && this.#message.socket.encrypted === true;
  }
}

export interface ListenOptions {
  /** Defaults to 127.0.0.1; use `0.0.0.0` (or `::`) to accept outside connections. */
  host?: string;
  /** Defaults to 8000; 0 picks a free port. */
  port?: number;
  /** Run a cluster of this many worker processes sharing the port. */
  workers?: number;
  /** Shut down gracefully on SIGTERM/SIGINT and then exit (default true). */
  handleSignals?: boolean;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The underlying `http.Server` (undefined in a cluster's primary process). */
  readonly server: Server | undefined;
  /** Stops accepting, waits for in-flight requests (up to `server.shutdownTimeout`), runs shutdown hooks. */
  close(): Promise<void>;
}

/** A `(req, res)` listener for `http.createServer`, for embedding the app in your own server. */
export function nodeHandler(app: Carafe): (message: IncomingMessage, res: ServerResponse) => void {
  app.compile();
  return (message, res) => serve(app, message, res, undefined);
}

/** Counts requests between arrival and the end of their response, for graceful shutdown. */
interface InFlight {
  count: number;
}

/**
 * One request, start to finish; never throws. A handler that answers synchronously with a body
 * in memory is written in this same call, with no promise on the way: it is the hot path.
 */
function serve(app: Carafe, message: IncomingMessage, res: ServerResponse, inFlight: InFlight | undefined): void {
  const startedAt = app.config.log.accessLog ? performance.now() : 0;
  try {
    const req = app.createRequest(new NodeRequestSource(message));
    const answer = app.respond(req);
    if (answer instanceof Promise) {
      answer.then(
        (response) => reply(app, message, res, req, response, startedAt, inFlight),
        (error: unknown) => pipelineFailed(app, res, error, inFlight),
      );
    } else reply(app, message, res, req, answer, startedAt, inFlight);
  } catch (error) {
    pipelineFailed(app, res, error, inFlight);
  }
}

function reply(
  app: Carafe,
  message: IncomingMessage,
  res: ServerResponse,
  req: HttpRequest,
  response: HttpResponse,
  startedAt: number,
  inFlight: InFlight | undefined,
): void {
  // Never throws, even for a value that is not a response (an after hook's, say): it may run
  // in a promise callback, where a throw would be an unhandled rejection.
  try {
    if (bodyLeftUnread(message)) res.setHeader('connection', 'close');
    const body = response.body;
    if (isBufferedBody(body) && !app.needsFinish(req)) {
      writeBufferedResponse(res, response, body, req);
      if (inFlight) inFlight.count--;
      return;
    }
  } catch (error) {
    void finishWriting(app, res, req, response, Promise.reject(error), startedAt, inFlight);
    return;
  }
  void finishWriting(app, res, req, response, writeNodeResponse(res, response, req), startedAt, inFlight);
}

/**
 * Waits for `sending` (a stream, a file, or a write that failed), answers a failure that
 * happened before anything was sent, then runs teardown hooks, upload cleanup and the access log.
 */
async function finishWriting(
  app: Carafe,
  res: ServerResponse,
  req: HttpRequest,
  response: HttpResponse,
  sending: Promise<void>,
  startedAt: number,
  inFlight: InFlight | undefined,
): Promise<void> {
  try {
    let written = response;
    let error: unknown;
    try {
      await sending;
    } catch (writeError) {
      error = writeError;
      // Nothing sent yet (a missing file, say): answer as if the handler had thrown it.
      if (!res.headersSent) {
        written = await app.errorResponse(writeError, req);
        await writeNodeResponse(res, written, req);
      } else res.destroy();
    }
    if (app.needsFinish(req)) await app.finish(req, written, startedAt, error);
  } catch (error) {
    pipelineFailed(app, res, error, undefined);
  } finally {
    if (inFlight) inFlight.count--;
  }
}

/**
 * A body we answered without reading (a 413, say) would leave the socket half-read. A request
 * without a body is not `complete` yet while a synchronous handler answers it, so ask the headers.
 */
function bodyLeftUnread(message: IncomingMessage): boolean {
  if (message.complete) return false;
  const length = message.headers['content-length'];
  return message.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function pipelineFailed(app: Carafe, res: ServerResponse, error: unknown, inFlight: InFlight | undefined): void {
  app.logger.error({ err: error }, 'request pipeline failed');
  if (!res.headersSent) res.writeHead(500).end();
  else res.destroy();
  if (inFlight) inFlight.count--;
}

export async function listen(app: Carafe, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8000;
  const workers = options.workers ?? 1;
  if (workers > 1 && cluster.isPrimary) return runCluster(app, host, port, workers, options.handleSignals ?? true);

  await app.startup();
  const settings = app.config.server;
  const server = createServer({
    keepAliveTimeout: settings.keepAliveTimeout,
    headersTimeout: settings.headersTimeout,
    requestTimeout: settings.requestTimeout,
    maxHeaderSize: settings.maxHeaderSize,
    // How often Node checks headers/request timeouts; its 30 s default makes them coarse.
    connectionsCheckingInterval: Math.min(1000, settings.headersTimeout),
  });
  const inFlight: InFlight = { count: 0 };
  let draining = false;
  app.compile();
  server.on('request', (message: IncomingMessage, res: ServerResponse) => {
    inFlight.count++;
    // While draining, ask keep-alive clients to reconnect elsewhere.
    if (draining) res.setHeader('connection', 'close');
    serve(app, message, res, inFlight);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + settings.shutdownTimeout;
      while (inFlight.count > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        server.closeIdleConnections();
      }
      if (inFlight.count > 0) {
        app.logger.warn({ inFlight: inFlight.count }, 'shutdown deadline passed; closing remaining connections');
      }
      server.closeAllConnections();
      await closed;
      await app.shutdown();
    })();
    return closing;
  };
  const running: RunningServer = { url: `http://${urlHost}:${address.port}`, host, port: address.port, server, close };
  if (options.handleSignals ?? true) exitOnSignals(running, app);
  return running;
}

function exitOnSignals(running: RunningServer, app: Carafe): void {
  const onSignal = (signal: NodeJS.Signals) => {
    app.logger.info({ signal }, 'shutting down');
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** The primary process forks workers that run the same entry point and share the port. */
async function runCluster(
  app: Carafe,
  host: string,
  port: number,
  count: number,
  handleSignals: boolean,
): Promise<RunningServer> {
  let stopping = false;
  const fork = () => cluster.fork();
  const ready = new Promise<number>((resolve) => {
    let listening = 0;
    cluster.on('listening', (_worker, address) => {
      if (++listening === count) resolve(address.port);
    });
  });
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    app.logger.error({ pid: worker.process.pid, code }, 'worker exited; starting another');
    fork();
  });
  for (let i = 0; i < count; i++) fork();
  const actualPort = await ready;
  const close = async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await app.shutdown();
  };
  const running: RunningServer = { url: `http://${host}:${actualPort}`, host, port: actualPort, server: undefined, close };
  if (handleSignals) exitOnSignals(running, app);
  return running;
}
