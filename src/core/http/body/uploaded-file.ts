// Uploaded files: small ones held in memory, large ones spilled to a temporary file while
// they arrive, so memory use per upload is bounded by `fileMemoryThreshold`.
import { createReadStream } from 'node:fs';
import {
  copyFile,
  type FileHandle,
  open,
  readFile,
  rename,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { Readable } from 'node:stream';
import { decodeUtf8 } from './text.js';
import type { UploadedFile } from './types.js';

export interface UploadInfo {
  fieldName: string;
  filename: string;
  contentType: string;
}

class MemoryUpload implements UploadedFile {
  readonly fieldName: string;
  readonly filename: string;
  readonly contentType: string;
  readonly path = undefined;
  readonly #content: Buffer;

  constructor(info: UploadInfo, content: Buffer) {
    this.fieldName = info.fieldName;
    this.filename = info.filename;
    this.contentType = info.contentType;
    this.#content = content;
  }

  get size(): number {
    return this.#content.length;
  }

  async bytes(): Promise<Buffer> {
    return this.#content;
  }

  async text(): Promise<string> {
    return decodeUtf8(this.#content, `The uploaded file "${this.filename}"`);
  }

  stream(): Readable {
    return Readable.from([this.#content]);
  }

  saveTo(destination: string): Promise<void> {
    return writeFile(destination, this.#content);
  }
}

class DiskUpload implements UploadedFile {
  readonly fieldName: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  #path: string;

  constructor(info: UploadInfo, path: string, size: number) {
    this.fieldName = info.fieldName;
    this.filename = info.filename;
    this.contentType = info.contentType;
    this.#path = path;
    this.size = size;
  }

  /** The temporary file, or where `saveTo` moved it. */
  get path(): string {
    return this.#path;
  }

  bytes(): Promise<Buffer> {
    return readFile(this.#path);
  }

  async text(): Promise<string> {
    return decodeUtf8(await this.bytes(), `The uploaded file "${this.filename}"`);
  }

  stream(): Readable {
    return createReadStream(this.#path);
  }

  async saveTo(destination: string): Promise<void> {
    try {
      await rename(this.#path, destination);
    } catch (error) {
      // rename cannot cross file systems (the temp dir is often its own mount).
      if (!isErrorCode(error, 'EXDEV')) throw error;
      await copyFile(this.#path, destination);
      await unlink(this.#path);
    }
    this.#path = destination;
  }
}

/** Receives one file part's bytes and decides, by size, where they live. */
export class UploadSink {
  readonly #threshold: number;
  readonly #createTempPath: () => Promise<string>;
  #chunks: Buffer[] = [];
  #size = 0;
  #file: { handle: FileHandle; path: string } | undefined;

  constructor(threshold: number, createTempPath: () => Promise<string>) {
    this.#threshold = threshold;
    this.#createTempPath = createTempPath;
  }

  async write(chunk: Buffer): Promise<void> {
    this.#size += chunk.length;
    if (this.#file !== undefined) {
      await writeFully(this.#file.handle, chunk);
      return;
    }
    this.#chunks.push(chunk);
    if (this.#size <= this.#threshold) return;
    const path = await this.#createTempPath();
    this.#file = { handle: await open(path, 'wx', 0o600), path };
    for (const held of this.#chunks) await writeFully(this.#file.handle, held);
    this.#chunks = [];
  }

  async finish(info: UploadInfo): Promise<UploadedFile> {
    if (this.#file === undefined)
      return new MemoryUpload(info, Buffer.concat(this.#chunks, this.#size));
    await this.#file.handle.close();
    return new DiskUpload(info, this.#file.path, this.#size);
  }

  /** Closes the temporary file after a failed parse (the caller deletes the directory). */
  async abort(): Promise<void> {
    await this.#file?.handle.close();
  }
}

async function writeFully(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
