// Turns whatever a handler returned into an HttpResponse, or says clearly what was wrong.
import { CarafeError } from '../../errors.js';
import { HttpResponse } from '../response.js';
import { htmlType, json } from './content.js';

/**
 * A handler may return an `HttpResponse`, a web `Response`, a string (HTML) or a plain object
 * or array (JSON). Anything else is a `CARAFE_BAD_RETURN` error.
 */
export function toHttpResponse(result: unknown): HttpResponse {
  if (typeof result === 'string') {
    const response = new HttpResponse(result);
    response.headers['content-type'] = htmlType;
    return response;
  }
  if (typeof result === 'object' && result !== null) {
    if (result instanceof HttpResponse) return result;
    if (Array.isArray(result)) return json(result);
    const proto: unknown = Object.getPrototypeOf(result);
    if (proto === Object.prototype || proto === null) return json(result);
    if (result instanceof Response) return fromWebResponse(result);
  }
  throw new CarafeError(
    'CARAFE_BAD_RETURN',
    `The handler returned ${describe(result)}. Return a string (HTML), a plain object or array ` +
      '(JSON), an HttpResponse (json(), text(), redirect(), file(), …) or a web Response.',
  );
}

/** Status, headers (every Set-Cookie kept apart) and the body as a stream. */
export function fromWebResponse(web: Response): HttpResponse {
  const headers: Record<string, string | string[]> = {};
  // Headers iterate with lower-case names; Set-Cookie must not be comma-joined, so take it apart.
  web.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = web.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body =
    web.body === null ? null : { kind: 'stream' as const, source: readWebStream(web.body) };
  return new HttpResponse(body, { status: web.status, headers });
}

async function* readWebStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (client gone, write failed): tell the producer so it can free what it holds.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined (is a `return` missing?)';
  if (value === null)
    return 'null (use json(null) to send JSON null, or new HttpResponse(null, { status: 204 }))';
  if (typeof value === 'function')
    return `a function (${value.name || 'anonymous'}; did you mean to call it?)`;
  if (typeof value === 'bigint') return 'a bigint (wrap it: json({ value: String(n) }))';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'symbol') {
    return `a ${typeof value} (wrap it: json(value) or text(String(value)))`;
  }
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'} (convert it to a plain object, or use json())`;
}
