// The FormBody handlers receive. Backed by Maps, so field names such as `__proto__` are
// ordinary keys.
import type { FormBody, UploadedFile } from './types.js';

export class ParsedForm implements FormBody {
  readonly #entries: [string, string][] = [];
  readonly #values = new Map<string, string[]>();
  readonly #files = new Map<string, UploadedFile[]>();
  readonly #cleanup: () => Promise<void>;

  constructor(cleanup: () => Promise<void> = async () => {}) {
    this.#cleanup = cleanup;
  }

  /** Used while parsing. */
  addField(name: string, value: string): void {
    this.#entries.push([name, value]);
    const values = this.#values.get(name);
    if (values === undefined) this.#values.set(name, [value]);
    else values.push(value);
  }

  /** Used while parsing. */
  addFile(file: UploadedFile): void {
    const files = this.#files.get(file.fieldName);
    if (files === undefined) this.#files.set(file.fieldName, [file]);
    else files.push(file);
  }

  get(name: string): string | null {
    return this.#values.get(name)?.[0] ?? null;
  }

  getAll(name: string): string[] {
    return this.#values.get(name)?.slice() ?? [];
  }

  has(name: string): boolean {
    return this.#values.has(name) || this.#files.has(name);
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.#entries) yield name;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of this.#entries) yield [name, value];
  }

  file(name: string): UploadedFile | null {
    return this.#files.get(name)?.[0] ?? null;
  }

  files(name: string): UploadedFile[] {
    return this.#files.get(name)?.slice() ?? [];
  }

  toObject(): Record<string, string> {
    // No prototype: a field called `__proto__` or `constructor` stays a plain string entry.
    const object: Record<string, string> = Object.create(null);
    for (const [name, value] of this.#entries) object[name] = value;
    return object;
  }

  cleanup(): Promise<void> {
    return this.#cleanup();
  }
}
