import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NotFound } from '../errors.js';
import { type FilePlan, prepareFile } from './file-send.js';
import type { FileBody } from './response.js';

const mtime = new Date('2024-03-01T12:00:00.000Z');
const lastModified = mtime.toUTCString();
const earlier = new Date('2024-02-01T00:00:00.000Z').toUTCString();
const later = new Date('2024-04-01T00:00:00.000Z').toUTCString();
let dir: string;
let body: FileBody;
let etag: string;

function plan(headers: Record<string, string>, method = 'GET'): Promise<FilePlan> {
  return prepareFile(body, { method, header: (name) => headers[name] });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carafe-file-send-'));
  const path = join(dir, 'hello.txt');
  await writeFile(path, '0123456789'.repeat(10)); // 100 bytes
  await utimes(path, mtime, mtime);
  body = { kind: 'file', path };
  etag = (await plan({})).headers.etag!;
});

after(() => rm(dir, { recursive: true, force: true }));

describe('prepareFile without conditions', () => {
  it('sends the whole file with validators', async () => {
    const result = await plan({});
    assert.equal(result.status, 200);
    assert.deepEqual(result.range, { start: 0, end: 99 });
    assert.equal(result.headers['content-length'], '100');
    assert.equal(result.headers['accept-ranges'], 'bytes');
    assert.equal(result.headers['last-modified'], lastModified);
    assert.equal(etag, `W/"64-${mtime.getTime().toString(16)}"`);
  });

  it('uses a given stat instead of reading the disk', async () => {
    const result = await prepareFile(
      { kind: 'file', path: join(dir, 'not-there'), stat: { size: 5, mtimeMs: 1000 } },
      { method: 'GET', header: () => undefined },
    );
    assert.equal(result.headers['content-length'], '5');
    assert.equal(result.headers.etag, 'W/"5-3e8"');
  });

  it('has no range for an empty file', async () => {
    const path = join(dir, 'empty.txt');
    await writeFile(path, '');
    const result = await prepareFile(
      { kind: 'file', path },
      { method: 'GET', header: () => undefined },
    );
    assert.equal(result.status, 200);
    assert.equal(result.range, undefined);
    assert.equal(result.headers['content-length'], '0');
  });

  it('is a NotFound for a missing file or a directory', async () => {
    const none = { method: 'GET', header: () => undefined };
    await assert.rejects(
      prepareFile({ kind: 'file', path: join(dir, 'missing.txt') }, none),
      NotFound,
    );
    await assert.rejects(
      prepareFile({ kind: 'file', path: join(dir, 'hello.txt', 'x') }, none),
      NotFound,
    );
    await assert.rejects(prepareFile({ kind: 'file', path: dir }, none), (error: unknown) => {
      assert.ok(error instanceof NotFound);
      assert.equal(error.status, 404);
      return true;
    });
  });
});

describe('prepareFile conditional requests', () => {
  it('answers 304 to a matching If-None-Match (weak comparison, lists, *)', async () => {
    for (const value of [etag, etag.slice(2), `"other", ${etag}`, '*']) {
      const result = await plan({ 'if-none-match': value });
      assert.equal(result.status, 304, value);
      assert.equal(result.range, undefined);
      assert.equal(result.headers.etag, etag);
      assert.equal(result.headers['content-length'], undefined);
    }
    assert.equal((await plan({ 'if-none-match': etag }, 'HEAD')).status, 304);
  });

  it('sends the file when If-None-Match does not match', async () => {
    assert.equal((await plan({ 'if-none-match': '"other", W/"64-0"' })).status, 200);
  });

  it('answers 412 to a matching If-None-Match on other methods', async () => {
    assert.equal((await plan({ 'if-none-match': etag }, 'POST')).status, 412);
  });

  it('answers 304 to If-Modified-Since at or after the modification time', async () => {
    assert.equal((await plan({ 'if-modified-since': lastModified })).status, 304);
    assert.equal((await plan({ 'if-modified-since': later })).status, 304);
    assert.equal((await plan({ 'if-modified-since': earlier })).status, 200);
    assert.equal((await plan({ 'if-modified-since': 'not a date' })).status, 200);
    assert.equal((await plan({ 'if-modified-since': later }, 'POST')).status, 200);
  });

  it('ignores If-Modified-Since when If-None-Match is present', async () => {
    assert.equal(
      (await plan({ 'if-none-match': '"other"', 'if-modified-since': later })).status,
      200,
    );
  });

  it('answers 412 when If-Match fails; only * matches a weak tag', async () => {
    assert.equal((await plan({ 'if-match': '"other"' })).status, 412);
    assert.equal((await plan({ 'if-match': etag })).status, 412);
    const failed = await plan({ 'if-match': '"x"' });
    assert.equal(failed.range, undefined);
    assert.equal(failed.headers['content-length'], '0');
    assert.equal((await plan({ 'if-match': '*' })).status, 200);
  });

  it('answers 412 when modified after If-Unmodified-Since (unless If-Match is present)', async () => {
    assert.equal((await plan({ 'if-unmodified-since': earlier })).status, 412);
    assert.equal((await plan({ 'if-unmodified-since': lastModified })).status, 200);
    assert.equal((await plan({ 'if-unmodified-since': 'garbage' })).status, 200);
    assert.equal((await plan({ 'if-match': '*', 'if-unmodified-since': earlier })).status, 200);
  });
});

describe('prepareFile ranges', () => {
  const cases: [string, number, number][] = [
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, 99],
    ['bytes=-5', 95, 99],
    ['bytes=-500', 0, 99],
    ['bytes=90-200', 90, 99],
    ['bytes=99-99', 99, 99],
    ['BYTES = 1 - 2', 1, 2],
  ];
  for (const [header, start, end] of cases) {
    it(`serves ${header} as 206 ${start}-${end}`, async () => {
      const result = await plan({ range: header });
      assert.equal(result.status, 206);
      assert.deepEqual(result.range, { start, end });
      assert.equal(result.headers['content-range'], `bytes ${start}-${end}/100`);
      assert.equal(result.headers['content-length'], String(end - start + 1));
      assert.equal(result.headers.etag, etag);
    });
  }

  it('answers 416 with the size for unsatisfiable ranges', async () => {
    for (const header of ['bytes=100-', 'bytes=150-200', 'bytes=-0']) {
      const result = await plan({ range: header });
      assert.equal(result.status, 416, header);
      assert.equal(result.range, undefined);
      assert.equal(result.headers['content-range'], 'bytes */100');
    }
  });

  it('sends the whole file for several ranges, other units and bad syntax', async () => {
    for (const header of [
      'bytes=0-1,5-6',
      'items=0-5',
      'bytes=5-1',
      'bytes=150-120',
      'bytes=abc',
      'bytes=-',
      'bytes=1.5-3',
    ]) {
      const result = await plan({ range: header });
      assert.equal(result.status, 200, header);
      assert.deepEqual(result.range, { start: 0, end: 99 });
    }
  });

  it('ignores Range on HEAD and other methods', async () => {
    assert.equal((await plan({ range: 'bytes=0-1' }, 'HEAD')).status, 200);
    assert.equal((await plan({ range: 'bytes=0-1' }, 'POST')).status, 200);
  });

  it('honours Range when If-Range names the exact Last-Modified date', async () => {
    assert.equal((await plan({ range: 'bytes=0-1', 'if-range': lastModified })).status, 206);
    assert.equal((await plan({ range: 'bytes=0-1', 'if-range': earlier })).status, 200);
  });

  it('sends the whole file when If-Range is an entity tag (ours are weak)', async () => {
    assert.equal((await plan({ range: 'bytes=0-1', 'if-range': etag })).status, 200);
    assert.equal((await plan({ range: 'bytes=0-1', 'if-range': '"strong"' })).status, 200);
  });

  it('answers 304 before looking at Range', async () => {
    assert.equal((await plan({ range: 'bytes=0-1', 'if-none-match': etag })).status, 304);
  });
});
