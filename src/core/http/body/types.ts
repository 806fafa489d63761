// The shapes handlers see for parsed forms and uploads.
import type { Readable } from 'node:stream';

export interface UploadedFile {
  readonly fieldName: string;
  /** The client's file name, reduced to a safe base name (no directories, no NUL). */
  readonly filename: string;
  /** As sent by the client: a hint, not a guarantee of what the bytes are. */
  readonly contentType: string;
  readonly size: number;
  /** Set when the file was streamed to a temporary file on disk. */
  readonly path: string | undefined;
  bytes(): Promise<Buffer>;
  /** The content as UTF-8 text; invalid UTF-8 is a 400. */
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
  /** One name per field value, in body order (names repeat, as with `URLSearchParams`). */
  keys(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  file(name: string): UploadedFile | null;
  files(name: string): UploadedFile[];
  /** Last value per field, for quick use: `{ title: 'x' }`. */
  toObject(): Record<string, string>;
  /** Deletes temporary files. */
  cleanup(): Promise<void>;
}
