// Body reading and parsing: the functions HttpRequest calls, and the shapes it hands out.
export { parseForm } from './form.js';
export { readBody } from './read.js';
export { decodeText, parseJson } from './text.js';
export type { FormBody, UploadedFile } from './types.js';
