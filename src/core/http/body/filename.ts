// Reduces a client-supplied file name to something safe to show and to use as a base name.

const MAX_BYTES = 255;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const invisible = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `../../etc/passwd` → `passwd`, `C:\\Users\\me\\cv.pdf` → `cv.pdf`, `.htaccess` → `htaccess`.
 * Directories, control characters (C0, C1), bidirectional overrides (which disguise
 * extensions), leading dots and trailing dots or spaces are removed; an empty result becomes `upload`.
 */
export function safeFilename(raw: string): string {
  const base = raw.slice(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
  // Leading dots make hidden files (or `..`); trailing dots and spaces Windows drops itself.
  const name = base.replace(invisible, '').replace(/^[\s.]+|[\s.]+$/g, '');
  if (name === '') return 'upload';
  return Buffer.byteLength(name) <= MAX_BYTES ? name : shorten(name);
}

/** Cuts the stem to fit file systems' 255-byte names, keeping a short extension. */
function shorten(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let budget = MAX_BYTES - Buffer.byteLength(extension);
  let stem = '';
  for (const char of name.slice(0, name.length - extension.length)) {
    budget -= Buffer.byteLength(char);
    if (budget < 0) break;
    stem += char;
  }
  return stem + extension;
}
