// The app's logger: pino writing JSON lines (or readable lines in development), plus the two
// lines every request may produce, an error report and an access entry.
import { createRequire } from 'node:module';
import type { DestinationStream, Logger, LoggerOptions, pino as Pino } from 'pino';
import type { ResolvedLogConfig } from './config/index.js';
import { causeChain, describeError, maskUrl } from './debug/index.js';

/** What the request log lines read from a request; `HttpRequest` fits. */
export interface LoggedRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly routeName?: string | undefined;
}

export interface AccessLoggedRequest extends LoggedRequest {
  readonly ip: string | undefined;
}

export interface SerializedError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  /** The `cause` chain, outermost first, without stacks. */
  causes?: { type: string; message: string; code?: string }[];
}

// pino is loaded when the first logger is made, not with the core: many apps log nothing while
// serving, and pino with its streams is a good part of an idle process's memory.
const require = createRequire(import.meta.url);
let loadedPino: typeof Pino | undefined;

function pino(options: LoggerOptions<never>, destination?: DestinationStream): Logger {
  loadedPino ??= (require('pino') as { pino: typeof Pino }).pino;
  return destination === undefined ? loadedPino(options) : loadedPino(options, destination);
}

/** A pino logger; `destination` (any object with `write(line)`) defaults to standard output. */
export function createLogger(config: ResolvedLogConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions<never> = {
    level: config.level,
    base: { pid: process.pid },
    // Level names, not numbers: the lines are read by people as often as by machines.
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: serializeError },
  };
  const target = config.pretty ? prettyDestination(destination ?? process.stdout) : destination;
  return pino(options, target);
}

/** One `error` line for a request that failed: ids, route and the error, never headers. */
export function logRequestError(logger: Logger, req: LoggedRequest, error: unknown): void {
  const { type, message } = describeError(error);
  logger.error(
    { reqId: req.id, method: req.method, url: maskUrl(req.url), route: req.routeName, err: error },
    `${type}: ${message}`,
  );
}

/** One `info` line per request: `GET /polls/ 200 3.2ms`. */
export function logAccess(
  logger: Logger,
  req: AccessLoggedRequest,
  status: number,
  durationMs: number,
): void {
  if (!logger.isLevelEnabled('info')) return;
  const url = maskUrl(req.url);
  const ms = Math.round(durationMs * 100) / 100;
  logger.info(
    { reqId: req.id, method: req.method, url, status, ms, ip: req.ip },
    `${req.method} ${url} ${status} ${ms}ms`,
  );
}

export function serializeError(error: unknown): SerializedError {
  const { type, message, code, stack } = describeError(error);
  const serialized: SerializedError = { type, message };
  if (code !== undefined) serialized.code = code;
  if (stack !== undefined) serialized.stack = stack;
  const causes = causeChain(error).slice(1).map(describeError);
  if (causes.length > 0) {
    serialized.causes = causes.map((cause) =>
      cause.code === undefined
        ? { type: cause.type, message: cause.message }
        : { type: cause.type, message: cause.message, code: cause.code },
    );
  }
  return serialized;
}

interface TextSink {
  write(text: string): unknown;
}

function prettyDestination(sink: TextSink): DestinationStream {
  return {
    write(line: string) {
      sink.write(formatPretty(line));
    },
  };
}

// `14:03:07.120 INFO  GET /polls/ 200 3.2ms  reqId=… ip=…`, then an error's stack, indented.
function formatPretty(line: string): string {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null) return line;
  const fields = new Map<string, unknown>(Object.entries(entry));
  const take = (name: string) => {
    const value = fields.get(name);
    fields.delete(name);
    return value;
  };
  const [time, level, msg, err] = [take('time'), take('level'), take('msg'), take('err')];
  fields.delete('pid');
  const extras = [...fields]
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  let text = `${clock(time)} ${String(level).toUpperCase().padEnd(5)} ${typeof msg === 'string' ? msg : ''}`;
  if (extras !== '') text += `  ${extras}`;
  text += '\n';
  if (typeof err === 'object' && err !== null && 'stack' in err && typeof err.stack === 'string') {
    text += `${err.stack.replace(/^/gm, '    ')}\n`;
  }
  return text;
}

function clock(time: unknown): string {
  if (typeof time !== 'number') return '--:--:--.---';
  const date = new Date(time);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
