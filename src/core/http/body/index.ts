// Body reading and parsing. CONTRACT STUB: the request-parsing work replaces these bodies.
import type { Readable } from 'node:stream';
import type { RequestLimits } from '../limits.js';
import type { RequestSource } from '../source.js';

export interface UploadedFile {
  readonly fieldName: string;
  /** The client's file name, reduced to a safe base name (no directories, no NUL). */
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Set when the file was streamed to a temporary file on disk. */
  readonly path: string | undefined;
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
  stream(): Readable;
  /** Move (or write) the upload to `destination`. */
  saveTo(destination: string): Promise<void>;
}

/** A parsed form: multi-valued text fields plus uploaded files. */
export interface FormBody {
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  keys(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  file(name: string): UploadedFile | null;
  files(name: string): UploadedFile[];
  /** Last value per field, for quick use: `{ title: 'x' }`. */
  toObject(): Record<string, string>;
  /** Deletes temporary files. */
  cleanup(): Promise<void>;
}

export function readBody(_source: RequestSource, _limit: number): Promise<Buffer> {
  throw new Error('not implemented');
}

export function decodeText(_bytes: Buffer, _contentType: string | undefined): string {
  throw new Error('not implemented');
}

export function parseJson(_bytes: Buffer, _contentType: string | undefined): unknown {
  throw new Error('not implemented');
}

export function parseForm(_source: RequestSource, _limits: RequestLimits): Promise<FormBody> {
  throw new Error('not implemented');
}
