// One view of what was submitted, whatever it came as: a parsed request body, a query string,
// or a plain record in tests and scripts. Only names the form asks for are ever read, with own-
// property checks, so a submitted `__proto__` or `constructor` is just an unknown name.
import type { FormBody, UploadedFile } from '../index.js';
import type { RawField } from './field.js';

/** Plain data to bind: `{ name: 'Ada', tags: ['a', 'b'] }`. */
export type FormInput = Readonly<Record<string, string | readonly string[]>>;
/** Uploads to bind along with plain data: `{ attachment: file }`. */
export type FilesInput = Readonly<Record<string, UploadedFile | readonly UploadedFile[]>>;

export interface Submitted {
  field(name: string): RawField;
}

function isFormBody(value: object): value is FormBody {
  return (
    typeof (value as Partial<FormBody>).getAll === 'function' &&
    typeof (value as Partial<FormBody>).files === 'function'
  );
}

function own<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function uploads(value: UploadedFile | readonly UploadedFile[] | undefined): UploadedFile[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value as UploadedFile];
}

export function submitted(
  data: FormBody | URLSearchParams | FormInput,
  files?: FilesInput,
): Submitted {
  if (data instanceof URLSearchParams) {
    return { field: (name) => ({ values: data.getAll(name), files: uploads(own(files, name)) }) };
  }
  if (isFormBody(data)) {
    return {
      field: (name) => ({
        values: data.getAll(name),
        files: [...data.files(name), ...uploads(own(files, name))],
      }),
    };
  }
  return {
    field: (name) => ({ values: texts(own(data, name)), files: uploads(own(files, name)) }),
  };
}
