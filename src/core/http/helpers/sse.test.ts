import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpResponse } from '../response.js';
import { encodeEvent, type ServerSentEvent, sse } from './index.js';

function source(response: HttpResponse): AsyncIterable<Uint8Array | string> {
  const body = response.body;
  assert.ok(body !== null && typeof body === 'object' && 'kind' in body && body.kind === 'stream');
  return body.source;
}

async function collect(response: HttpResponse): Promise<string> {
  let out = '';
  for await (const chunk of source(response)) out += String(chunk);
  return out;
}

async function* from(events: (ServerSentEvent | string)[]) {
  yield* events;
}

describe('sse', () => {
  it('sets the event-stream headers', () => {
    const response = sse(from([]));
    assert.equal(response.headers['content-type'], 'text/event-stream');
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(response.headers['x-accel-buffering'], 'no');
  });

  it('encodes strings and events, splitting multi-line data', async () => {
    const body = await collect(
      sse(
        from([
          'hello',
          { data: 'line 1\nline 2\r\nline 3\rline 4', event: 'update', id: '7', retry: 3000 },
          { data: { votes: 3 } },
          { data: '' },
        ]),
      ),
    );
    assert.equal(
      body,
      'data: hello\n\n' +
        'event: update\nid: 7\nretry: 3000\ndata: line 1\ndata: line 2\ndata: line 3\ndata: line 4\n\n' +
        'data: {"votes":3}\n\n' +
        'data: \n\n',
    );
  });

  it('refuses line breaks and NUL in event and id, and bad retry values', () => {
    for (const bad of [
      { data: 'x', event: 'a\nevent: admin' },
      { data: 'x', event: 'a\rb' },
      { data: 'x', id: '1\n' },
      { data: 'x', id: 'a\0b' },
    ]) {
      assert.throws(() => encodeEvent(bad), {
        name: 'CarafeError',
        code: 'CARAFE_BAD_SSE_EVENT',
        message: /one line/,
      });
    }
    assert.throws(() => encodeEvent({ data: 'x', retry: -1 }), {
      code: 'CARAFE_BAD_SSE_EVENT',
      message: /retry/,
    });
    assert.throws(() => encodeEvent({ data: 'x', retry: 1.5 }), { code: 'CARAFE_BAD_SSE_EVENT' });
    assert.throws(() => encodeEvent({ data: undefined }), {
      code: 'CARAFE_BAD_SSE_EVENT',
      message: /undefined/,
    });
  });

  it('fails the stream when an event is bad', async () => {
    await assert.rejects(collect(sse(from([{ data: 'x', id: 'a\nb' }]))), {
      code: 'CARAFE_BAD_SSE_EVENT',
    });
  });

  it('sends heartbeat comments while no event comes, then the event', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow() {
      await released;
      yield 'late';
    }
    const received: string[] = [];
    for await (const chunk of source(sse(slow(), { heartbeat: 5 }))) {
      received.push(String(chunk));
      if (received.length === 2) release();
    }
    assert.deepEqual(received.slice(0, 2), [': heartbeat\n\n', ': heartbeat\n\n']);
    assert.equal(received.at(-1), 'data: late\n\n');
  });

  it('closes the event source when the consumer stops, even mid-wait with a heartbeat', async () => {
    let closed = false;
    async function* endless() {
      try {
        while (true) {
          await sleep(15);
          yield 'tick';
        }
      } finally {
        closed = true;
      }
    }
    const iterator = source(sse(endless(), { heartbeat: 5 }))[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value, ': heartbeat\n\n');
    await iterator.return?.();
    for (let i = 0; i < 200 && !closed; i++) await sleep(10);
    assert.equal(closed, true);
  });

  it('refuses a heartbeat that is not a positive number', () => {
    for (const heartbeat of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => sse(from([]), { heartbeat }), { code: 'CARAFE_BAD_SSE_OPTIONS' });
    }
  });
});
