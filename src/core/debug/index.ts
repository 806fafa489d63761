// Error pages: the detailed one for debug mode, the plain one for everyone else,
// and the error description and URL masking the logs share with them.
export { causeChain, describeError, type ErrorDescription } from './describe.js';
export { renderErrorPage } from './error-page.js';
export { maskUrl } from './mask.js';
export { type DebugPageInput, type DebugPageRequest, renderDebugPage } from './page.js';
