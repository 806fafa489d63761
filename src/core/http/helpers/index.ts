// Response helpers: what handlers call to build an HttpResponse.
export { html, json, stream, text } from './content.js';
export { contentDisposition, type FileOptions, file } from './file.js';
export {
  isSafeRedirectTarget,
  type RedirectRequest,
  type RedirectStatus,
  redirect,
  type SafeRedirectOptions,
  safeRedirect,
} from './redirect.js';
export { encodeEvent, type ServerSentEvent, type SseOptions, sse } from './sse.js';
export { fromWebResponse, toHttpResponse } from './to-response.js';
