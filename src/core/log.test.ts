import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResolvedLogConfig } from './config/index.js';
import { CarafeError, NotFound } from './errors.js';
import { type AccessLoggedRequest, createLogger, logAccess, logRequestError } from './log.js';

function capture(config: Partial<ResolvedLogConfig> = {}) {
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'info', accessLog: true, pretty: false, ...config },
    { write: (line: string) => void lines.push(line) },
  );
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, entries };
}

const request: AccessLoggedRequest = {
  id: 'abc-1',
  method: 'POST',
  url: '/polls/3/vote/?page=2&token=s3cr3t&api_key=k',
  routeName: 'polls.vote',
  ip: '203.0.113.9',
};

describe('createLogger', () => {
  it('writes one JSON object per line with a level name, time and pid', () => {
    const { logger, lines, entries } = capture();
    logger.info({ answer: 42 }, 'hello');
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.endsWith('\n'));
    const [entry] = entries();
    assert.equal(entry!.level, 'info');
    assert.equal(entry!.msg, 'hello');
    assert.equal(entry!.answer, 42);
    assert.equal(entry!.pid, process.pid);
    assert.equal(typeof entry!.time, 'number');
  });

  it('respects the level', () => {
    const { logger, entries } = capture({ level: 'warn' });
    logger.info('dropped');
    logger.warn('kept');
    assert.deepEqual(
      entries().map((entry) => entry.msg),
      ['kept'],
    );
    const silent = capture({ level: 'silent' });
    silent.logger.fatal('dropped too');
    assert.equal(silent.lines.length, 0);
  });

  it('serializes errors under err with type, code, stack and causes', () => {
    const { logger, entries } = capture();
    const cause = new CarafeError('CARAFE_DB', 'connection refused');
    logger.error({ err: new Error('query failed', { cause }) }, 'boom');
    const err = entries()[0]!.err as Record<string, unknown>;
    assert.equal(err.type, 'Error');
    assert.equal(err.message, 'query failed');
    assert.match(String(err.stack), /log\.test\.ts/);
    assert.deepEqual(err.causes, [
      { type: 'CarafeError', message: 'connection refused', code: 'CARAFE_DB' },
    ]);
  });

  it('writes readable lines when pretty', () => {
    const { logger, lines } = capture({ pretty: true });
    logger.info({ reqId: 'r1', status: 200 }, 'GET / 200');
    logger.error({ err: new TypeError('bad thing') }, 'failed');
    assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}GET \/ 200 {2}reqId=r1 status=200\n$/);
    assert.match(
      lines[1]!,
      /^\d\d:\d\d:\d\d\.\d{3} ERROR failed\n {4}TypeError: bad thing\n {8}at /,
    );
    assert.throws(() => JSON.parse(lines[0]!));
  });
});

describe('logRequestError', () => {
  it('writes one error line with the request and the error, masking secret query values', () => {
    const { logger, lines, entries } = capture();
    const error = new CarafeError('CARAFE_TEMPLATE', 'template <x> missing');
    logRequestError(logger, request, error);
    assert.equal(lines.length, 1);
    const entry = entries()[0]!;
    assert.equal(entry.level, 'error');
    assert.equal(entry.reqId, 'abc-1');
    assert.equal(entry.method, 'POST');
    assert.equal(entry.url, '/polls/3/vote/?page=2&token=********&api_key=********');
    assert.equal(entry.route, 'polls.vote');
    assert.equal(entry.msg, 'CarafeError: template <x> missing');
    const err = entry.err as Record<string, unknown>;
    assert.equal(err.type, 'CarafeError');
    assert.equal(err.message, 'template <x> missing');
    assert.equal(err.code, 'CARAFE_TEMPLATE');
    assert.match(String(err.stack), /^CarafeError: template <x> missing\n\s+at /);
    assert.ok(!lines[0]!.includes('s3cr3t'));
    assert.ok(!('headers' in entry));
  });

  it('names the class of a subclass and copes with thrown non-errors', () => {
    class QuotaExceeded extends Error {}
    const { logger, entries } = capture();
    logRequestError(logger, { ...request, routeName: undefined }, new QuotaExceeded('over'));
    logRequestError(logger, request, new NotFound());
    logRequestError(logger, request, 'just a string');
    logRequestError(logger, request, { weird: true });
    const [subclass, notFound, text, object] = entries();
    assert.equal(subclass!.msg, 'QuotaExceeded: over');
    assert.ok(!('route' in subclass!));
    assert.equal(notFound!.msg, 'NotFound: Not Found');
    assert.deepEqual(text!.err, { type: 'string (not an Error)', message: 'just a string' });
    assert.deepEqual(object!.err, { type: 'object (not an Error)', message: '{ weird: true }' });
  });
});

describe('logAccess', () => {
  it('writes one info line with id, method, url, status, duration and ip', () => {
    const { logger, entries } = capture();
    logAccess(logger, request, 201, 3.14659);
    const entry = entries()[0]!;
    assert.equal(entry.level, 'info');
    assert.equal(entry.reqId, 'abc-1');
    assert.equal(entry.method, 'POST');
    assert.equal(entry.url, '/polls/3/vote/?page=2&token=********&api_key=********');
    assert.equal(entry.status, 201);
    assert.equal(entry.ms, 3.15);
    assert.equal(entry.ip, '203.0.113.9');
    assert.equal(
      entry.msg,
      'POST /polls/3/vote/?page=2&token=********&api_key=******** 201 3.15ms',
    );
  });

  it('writes nothing when info is below the level', () => {
    const { logger, lines } = capture({ level: 'error' });
    logAccess(logger, request, 200, 1);
    assert.equal(lines.length, 0);
  });
});
