// Conditional and Range requests against a file (RFC 9110 §13 and §14), decided before any
// byte is written so both adapters can answer with one set of headers.
import { stat } from 'node:fs/promises';
import { NotFound } from '../errors.js';
import type { FileBody } from './response.js';

/** What the adapters need to know about the request. */
export interface FileRequest {
  readonly method: string;
  header(name: string): string | undefined;
}

export interface FilePlan {
  status: 200 | 206 | 304 | 412 | 416;
  /** Lower-case headers to add to the response's own. */
  headers: Record<string, string>;
  /** The inclusive byte range to send; undefined when the answer has no body. */
  range: { start: number; end: number } | undefined;
}

/** Resolves If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, Range and If-Range. */
export async function prepareFile(body: FileBody, req: FileRequest): Promise<FilePlan> {
  const { size, mtimeMs } = body.stat ?? (await statFile(body.path));
  const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  // HTTP dates have one-second precision; compare at that precision or nothing ever matches.
  const modifiedSeconds = Math.floor(mtimeMs / 1000);
  const validators = { etag, 'last-modified': new Date(modifiedSeconds * 1000).toUTCString() };
  const isRead = req.method === 'GET' || req.method === 'HEAD';

  const ifMatch = req.header('if-match');
  if (ifMatch !== undefined) {
    // Strong comparison: a weak tag like ours only satisfies `*`.
    if (!tagListMatches(ifMatch, etag, false)) return preconditionFailed();
  } else {
    const since = parseHttpDate(req.header('if-unmodified-since'));
    if (since !== undefined && modifiedSeconds > since) return preconditionFailed();
  }

  const ifNoneMatch = req.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    if (tagListMatches(ifNoneMatch, etag, true)) {
      return isRead ? notModified(validators) : preconditionFailed();
    }
  } else if (isRead) {
    const since = parseHttpDate(req.header('if-modified-since'));
    if (since !== undefined && modifiedSeconds <= since) return notModified(validators);
  }

  const whole: FilePlan = {
    status: 200,
    headers: { ...validators, 'accept-ranges': 'bytes', 'content-length': String(size) },
    range: size === 0 ? undefined : { start: 0, end: size - 1 },
  };
  const rangeHeader = req.header('range');
  // Range is defined for GET only; other methods ignore it (RFC 9110 §14.2).
  if (rangeHeader === undefined || req.method !== 'GET') return whole;
  if (!ifRangeHolds(req.header('if-range'), etag, modifiedSeconds)) return whole;

  const range = parseRange(rangeHeader, size);
  if (range === 'ignore') return whole;
  if (range === 'unsatisfiable') {
    return {
      status: 416,
      headers: { 'content-range': `bytes */${size}`, 'content-length': '0' },
      range: undefined,
    };
  }
  return {
    status: 206,
    headers: {
      ...validators,
      'accept-ranges': 'bytes',
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
      'content-length': String(range.end - range.start + 1),
    },
    range,
  };
}

async function statFile(path: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const info = await stat(path);
    if (info.isFile()) return info;
  } catch (error) {
    if (!isMissingFileError(error)) throw error;
  }
  throw new NotFound();
}

/** ENOENT and its relatives: the path does not name a readable file. */
export function isMissingFileError(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return (
    code === 'ENOENT' ||
    code === 'ENOTDIR' ||
    code === 'ENAMETOOLONG' ||
    code === 'EISDIR' ||
    code === 'ELOOP'
  );
}

function preconditionFailed(): FilePlan {
  return { status: 412, headers: { 'content-length': '0' }, range: undefined };
}

function notModified(validators: Record<string, string>): FilePlan {
  return { status: 304, headers: { ...validators }, range: undefined };
}

/** `*` or a comma-separated list of entity tags, compared weakly or strongly. */
function tagListMatches(header: string, etag: string, weak: boolean): boolean {
  const list = header.trim();
  if (list === '*') return true;
  for (const item of list.split(',')) {
    const tag = item.trim();
    if (weak ? opaqueTag(tag) === opaqueTag(etag) : tag === etag && !tag.startsWith('W/'))
      return true;
  }
  return false;
}

function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** If-Range holds when absent, or when it names this file strongly (a weak tag never does). */
function ifRangeHolds(header: string | undefined, etag: string, modifiedSeconds: number): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/'))
    return value === etag && !etag.startsWith('W/');
  return parseHttpDate(value) === modifiedSeconds;
}

/** Seconds since the epoch, or undefined for a missing or malformed date. */
function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

const singleRange = /^bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * One `bytes=` range resolved against the size. Several ranges, other units and bad syntax
 * are `ignore` (the whole file is sent, which RFC 9110 allows).
 */
function parseRange(
  header: string,
  size: number,
): { start: number; end: number } | 'ignore' | 'unsatisfiable' {
  const match = singleRange.exec(header);
  if (match === null) return 'ignore';
  const [, first = '', last = ''] = match;
  if (first === '') {
    if (last === '') return 'ignore';
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  if (end < start) return 'ignore';
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
