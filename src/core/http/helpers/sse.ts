// Server-sent events: an async iterable of events encoded as `text/event-stream`.
import { CarafeError } from '../../errors.js';
import { HttpResponse, type ResponseInit } from '../response.js';

export interface ServerSentEvent {
  /** Strings are sent as they are (one `data:` line per line); anything else as JSON. */
  data: unknown;
  /** The event type the browser dispatches (`addEventListener(event, …)`); `message` if unset. */
  event?: string;
  /** Sent back by the browser as `Last-Event-ID` when it reconnects. */
  id?: string;
  /** How long the browser waits before reconnecting, in milliseconds. */
  retry?: number;
}

export interface SseOptions extends ResponseInit {
  /** Send a comment line after this many milliseconds without an event, to keep proxies from timing out. */
  heartbeat?: number;
}

/**
 * Streams events to an `EventSource`. Sets `text/event-stream`, `cache-control: no-cache` and
 * `x-accel-buffering: no` (so nginx does not hold events back).
 */
export function sse(
  events: AsyncIterable<ServerSentEvent | string>,
  options: SseOptions = {},
): HttpResponse {
  const { heartbeat, ...init } = options;
  if (heartbeat !== undefined && !(Number.isFinite(heartbeat) && heartbeat > 0)) {
    throw new CarafeError(
      'CARAFE_BAD_SSE_OPTIONS',
      `sse() heartbeat must be a positive number of milliseconds, got ${String(heartbeat)}.`,
    );
  }
  const response = new HttpResponse(
    { kind: 'stream', source: encodeEvents(events, heartbeat) },
    init,
  );
  response.headers['content-type'] ??= 'text/event-stream';
  response.headers['cache-control'] ??= 'no-cache';
  response.headers['x-accel-buffering'] ??= 'no';
  return response;
}

/** One event in wire format, ending with the blank line that dispatches it. */
export function encodeEvent(event: ServerSentEvent | string): string {
  if (typeof event === 'string') return `${dataLines(event)}\n`;
  let out = '';
  if (event.event !== undefined) out += `event: ${singleLine('event', event.event)}\n`;
  if (event.id !== undefined) out += `id: ${singleLine('id', event.id)}\n`;
  if (event.retry !== undefined) {
    if (!Number.isInteger(event.retry) || event.retry < 0) {
      throw new CarafeError(
        'CARAFE_BAD_SSE_EVENT',
        `An event's retry must be a whole number of milliseconds, got ${String(event.retry)}.`,
      );
    }
    out += `retry: ${event.retry}\n`;
  }
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  if (data === undefined) {
    throw new CarafeError(
      'CARAFE_BAD_SSE_EVENT',
      `An event's data was ${typeof event.data}, which has no JSON form. Send a string or a JSON value.`,
    );
  }
  return `${out}${dataLines(data)}\n`;
}

const lineBreak = /\r\n|\r|\n/;

function dataLines(data: string): string {
  let out = '';
  for (const line of data.split(lineBreak)) out += `data: ${line}\n`;
  return out;
}

function singleLine(field: 'event' | 'id', value: string): string {
  // A line break would start a new field (or event) chosen by whoever controls the value.
  if (/[\r\n\0]/.test(value)) {
    throw new CarafeError(
      'CARAFE_BAD_SSE_EVENT',
      `An event's ${field} must be one line without NUL, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

const heartbeatComment = ': heartbeat\n\n';
const timedOut = Symbol('timedOut');

async function* encodeEvents(
  events: AsyncIterable<ServerSentEvent | string>,
  heartbeat: number | undefined,
): AsyncGenerator<string> {
  if (heartbeat === undefined) {
    for await (const event of events) yield encodeEvent(event);
    return;
  }
  const iterator = events[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<ServerSentEvent | string>> | undefined;
  let done = false;
  try {
    while (true) {
      pending ??= iterator.next();
      const step = await withTimeout(pending, heartbeat);
      if (step === timedOut) {
        yield heartbeatComment;
        continue;
      }
      pending = undefined;
      if (step.done) {
        done = true;
        return;
      }
      yield encodeEvent(step.value);
    }
  } finally {
    if (!done) {
      // With a `next()` still pending, an async generator queues `return()` until it yields;
      // waiting for that would hold the response open, so let it finish on its own.
      const closing = iterator.return?.();
      if (pending === undefined) await closing;
      else closing?.catch(() => {});
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof timedOut> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(resolve, ms, timedOut);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
