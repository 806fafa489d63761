// The helpers and writers accept the real request type, and refuse misuse at compile time.
import type { ServerResponse } from 'node:http';
import { type Equal, expectTrue, expectType } from '../../../../test/support/type-assert.js';
import { createStaticHandler } from '../../static/index.js';
import type { HttpRequest } from '../request.js';
import type { HttpResponse } from '../response.js';
import { toWebResponse } from '../to-web.js';
import { writeNodeResponse } from '../write-node.js';
import { file, json, redirect, safeRedirect, sse, stream, toHttpResponse } from './index.js';

declare const req: HttpRequest;
declare const res: ServerResponse;

expectType<HttpResponse>(safeRedirect(req, req.query.get('next'), { fallback: '/account/' }));
expectTrue<Equal<ReturnType<typeof writeNodeResponse>, Promise<void>>>();
expectType<Promise<void>>(writeNodeResponse(res, json({ ok: true }), req));
expectType<Promise<Response>>(toWebResponse(toHttpResponse('x'), req));
expectType<Promise<HttpResponse>>(
  createStaticHandler({ roots: [{ dir: 'static' }] })('a.css', req),
);
expectType<HttpResponse>(file('a.pdf', { attachment: true, maxAge: 60 }));

// @ts-expect-error 200 is not a redirect status
redirect('/', 200);
// @ts-expect-error a string is not a stream of chunks
stream('abc');
declare const numbers: AsyncIterable<number>;
declare const eventsWithoutData: AsyncIterable<{ event: string }>;
// @ts-expect-error numbers are not chunks
stream(numbers);
// @ts-expect-error an event needs data
sse(eventsWithoutData);
