// multipart/form-data into a FormBody, enforcing every limit while the body streams in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequest } from '../../errors.js';
import type { RequestLimits } from '../limits.js';
import type { RequestSource } from '../source.js';
import { malformedMultipart, tooLarge } from './errors.js';
import { safeFilename } from './filename.js';
import { ParsedForm } from './form-body.js';
import { isValidBoundary, tokenizeMultipart } from './multipart-parser.js';
import { describePart } from './part-headers.js';
import { readChunks } from './read.js';
import { decodeUtf8 } from './text.js';
import { type UploadInfo, UploadSink } from './uploaded-file.js';
import { tooManyFields } from './urlencoded.js';

/** Where the current part's bytes go. */
type Target =
  | { kind: 'field'; name: string; chunks: Buffer[]; size: number }
  | { kind: 'file'; info: UploadInfo; sink: UploadSink }
  // A file input left empty: browsers send the part with `filename=""` and no content.
  | { kind: 'skip' };

export async function parseMultipart(
  source: RequestSource,
  boundary: string | undefined,
  limits: RequestLimits,
): Promise<ParsedForm> {
  if (boundary === undefined || boundary === '') {
    throw malformedMultipart('the Content-Type has no boundary parameter');
  }
  if (!isValidBoundary(boundary)) {
    throw malformedMultipart('the boundary in Content-Type is not a valid RFC 2046 boundary');
  }
  const temp = new TempFiles();
  const form = new ParsedForm(() => temp.remove());
  let target: Target | undefined;
  let fields = 0;
  let files = 0;
  const chunks = readChunks(source, { bytes: limits.uploadSize, configKey: 'uploadSize' });
  try {
    for await (const event of tokenizeMultipart(chunks, boundary)) {
      if (event.kind === 'part') {
        const part = describePart(event.headers);
        if (part.filename === undefined) {
          if (++fields > limits.formFields) throw tooManyFields(limits.formFields);
          target = { kind: 'field', name: part.name, chunks: [], size: 0 };
        } else if (part.filename === '') {
          target = { kind: 'skip' };
        } else {
          if (++files > limits.files) throw tooManyFiles(limits.files);
          target = {
            kind: 'file',
            info: {
              fieldName: part.name,
              filename: safeFilename(part.filename),
              contentType: part.contentType ?? 'application/octet-stream',
            },
            sink: temp.sink(limits.fileMemoryThreshold),
          };
        }
      } else if (event.kind === 'data') {
        if (target?.kind === 'field') {
          target.size += event.chunk.length;
          if (target.size > limits.bodySize) {
            throw tooLarge(`The form field "${target.name}"`, limits.bodySize, 'bodySize');
          }
          target.chunks.push(event.chunk);
        } else if (target?.kind === 'file') {
          await target.sink.write(event.chunk);
        }
      } else if (target !== undefined) {
        await finishPart(form, target);
        target = undefined;
      }
    }
  } catch (error) {
    if (target?.kind === 'file') await target.sink.abort();
    await temp.remove();
    throw error;
  }
  return form;
}

async function finishPart(form: ParsedForm, target: Target): Promise<void> {
  if (target.kind === 'field') {
    const value = decodeUtf8(
      Buffer.concat(target.chunks, target.size),
      `The form field "${target.name}"`,
    );
    form.addField(target.name, value);
  } else if (target.kind === 'file') {
    form.addFile(await target.sink.finish(target.info));
  }
}

function tooManyFiles(maxFiles: number): BadRequest {
  return new BadRequest(
    `The form has more than ${maxFiles} files. Send fewer, or raise \`limits.files\` in the ` +
      'app config.',
    { code: 'CARAFE_TOO_MANY_FILES' },
  );
}

/** One private directory per form (mode 0700), made only when a file outgrows memory. */
class TempFiles {
  #directory: Promise<string> | undefined;
  #count = 0;

  sink(threshold: number): UploadSink {
    return new UploadSink(threshold, async () => {
      this.#directory ??= mkdtemp(join(tmpdir(), 'carafe-upload-'));
      return join(await this.#directory, `${++this.#count}.upload`);
    });
  }

  async remove(): Promise<void> {
    if (this.#directory === undefined) return;
    const directory = await this.#directory.catch(() => undefined);
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  }
}
