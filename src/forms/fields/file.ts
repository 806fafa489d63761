// Uploads. The form needs `enctype="multipart/form-data"`; the cleaned value is the core's
// UploadedFile (in memory or spilled to a temporary file), deleted after the response unless saved.
import type { UploadedFile } from '../../index.js';
import { definitionError } from '../errors.js';
import { type FieldOptions, FormField, type Maybe } from '../field.js';
import { checkCount } from './common.js';

export interface FileOptions extends Omit<FieldOptions<UploadedFile, 'file'>, 'initial'> {
  /** Largest accepted file, in bytes. (The app's `uploadSize` limit still applies first.) */
  readonly maxSize?: number;
  /**
   * Accepted types, as in the HTML attribute: media types (`'image/png'`, `'image/*'`) or
   * extensions (`'.pdf'`). Checked against the name and the type the browser sent, which a
   * client can fake: inspect the bytes before trusting them.
   */
  readonly accept?: readonly string[];
}

function matchesAccept(file: UploadedFile, accept: readonly string[]): boolean {
  const name = file.filename.toLowerCase();
  const type = file.contentType.toLowerCase().split(';')[0]!.trim();
  return accept.some((entry) => {
    const wanted = entry.toLowerCase();
    if (wanted.startsWith('.')) return name.endsWith(wanted);
    if (wanted.endsWith('/*')) return type.startsWith(wanted.slice(0, -1));
    return type === wanted;
  });
}

export const fileFields = {
  /** An uploaded file; cleans to an `UploadedFile` (`bytes()`, `text()`, `saveTo(path)`). */
  file<const O extends FileOptions>(options?: O): FormField<Maybe<O, UploadedFile>> {
    const given: FileOptions = options ?? {};
    const maxSize = checkCount('file', 'maxSize', given.maxSize, 1);
    const accept = given.accept;
    if (
      accept !== undefined &&
      (!Array.isArray(accept) ||
        !accept.every((entry) => /^(\.[\w.-]+|[\w.+-]+\/(\*|[\w.+-]+))$/.test(entry)))
    ) {
      throw definitionError(
        `ff.file(): accept takes media types or extensions such as ['image/*', '.pdf']`,
      );
    }
    return new FormField<Maybe<O, UploadedFile>>({
      kind: 'file',
      input: 'file',
      widgets: ['file'],
      options: given,
      empty: null,
      hideValue: true,
      inputAttrs: { accept: accept?.join(',') },
      schema: { type: 'string', contentMediaType: 'application/octet-stream' },
      checkFile(file) {
        if (maxSize !== undefined && file.size > maxSize) {
          return `Ensure this file is at most ${maxSize} bytes (it is ${file.size}).`;
        }
        if (accept !== undefined && !matchesAccept(file, accept)) {
          return `This type of file is not accepted. Upload one of: ${accept.join(', ')}.`;
        }
        return undefined;
      },
    });
  },
};
