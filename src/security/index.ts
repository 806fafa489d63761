// 'carafe/security': CSRF protection, security headers, Content-Security-Policy and HTTPS redirects.
export { type SecurityOptions, security } from './app.js';
export { type CspDirectives, type CspOptions, type CspSource, cspNonce, NONCE } from './csp.js';
export { type CsrfOptions, csrfToken, rotateCsrfToken } from './csrf.js';
export { CsrfFailure, type CsrfFailureReason, type CsrfStorage } from './csrf-failure.js';
export { type CsrfExemptCondition, csrfExempt, csrfExemptWhen } from './exempt.js';
export {
  type CrossOriginOpenerPolicy,
  type FrameOptions,
  frameOptions,
  type HeaderOptions,
  type HstsOptions,
  type ReferrerPolicy,
} from './headers.js';
export { csrfInput } from './template-context.js';
