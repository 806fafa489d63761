// A file from disk as the response; the adapter answers Range and conditional requests for it.
import { basename, resolve } from 'node:path';
import { CarafeError } from '../../errors.js';
import { mimeType } from '../mime.js';
import { HttpResponse, type ResponseInit } from '../response.js';

export interface FileOptions extends ResponseInit {
  /** The name the browser saves it under; implies a Content-Disposition header. */
  filename?: string;
  /** Ask the browser to download rather than display it. The name defaults to the file's own. */
  attachment?: boolean;
  /** Overrides the type guessed from the extension. */
  contentType?: string;
  /** Seconds caches may keep it: `Cache-Control: public, max-age=…`. */
  maxAge?: number;
  /** The content never changes at this URL (hashed names): cache for a year, never revalidate. */
  immutable?: boolean;
}

const oneYear = 31_536_000;

/**
 * Sends the file at `path`. Never build `path` from request input; serve user-chosen names
 * through the static handler, which confines them to a folder.
 * A missing file becomes a 404 when the response is written.
 */
export function file(path: string, options: FileOptions = {}): HttpResponse {
  const { filename, attachment, contentType, maxAge, immutable, ...init } = options;
  const absolute = resolve(path);
  const response = new HttpResponse({ kind: 'file', path: absolute }, init);
  const headers = response.headers;
  headers['content-type'] ??= contentType ?? mimeType(filename ?? absolute);
  if (filename !== undefined || attachment === true) {
    headers['content-disposition'] = contentDisposition(
      attachment === true ? 'attachment' : 'inline',
      filename ?? basename(absolute),
    );
  }
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0)) {
    throw new CarafeError(
      'CARAFE_BAD_FILE_OPTIONS',
      `file() maxAge must be a whole number of seconds (0 or more), got ${String(maxAge)}.`,
    );
  }
  if (immutable === true)
    headers['cache-control'] = `public, max-age=${maxAge ?? oneYear}, immutable`;
  else if (maxAge !== undefined) headers['cache-control'] = `public, max-age=${maxAge}`;
  return response;
}

/**
 * RFC 6266: an ASCII `filename="…"` every client reads, plus `filename*=UTF-8''…` carrying
 * the real name when it is not plain ASCII.
 */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  // Quotes and backslashes are removed rather than escaped: clients disagree on unescaping.
  const fallback = filename
    .replace(/["\\\p{Cc}]/gu, '')
    .replace(/[^\u0020-\u007e]/g, '_')
    .trim();
  const header = `${type}; filename="${fallback === '' ? 'download' : fallback}"`;
  if (fallback === filename) return header;
  const clean = filename.replace(/\p{Cc}/gu, '').replace(loneSurrogate, '\ufffd');
  return `${header}; filename*=UTF-8''${encodeRfc5987(clean)}`;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function encodeRfc5987(value: string): string {
  // encodeURIComponent leaves ' ( ) * unencoded; RFC 5987's attr-char does not allow them.
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
