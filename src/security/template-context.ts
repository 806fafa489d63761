// What templates see from this app: `cspNonce`, and with CSRF on, `csrfToken` (for meta tags and
// JavaScript) and `csrfInput` (the hidden form field, already marked safe).
import type { Carafe, HttpRequest } from '../index.js';
import {
  escapeHtml,
  markSafe,
  registerContextProcessor,
  type SafeHtml,
} from '../templates/index.js';
import { cspNonce } from './csp.js';
import { csrfFieldName, csrfToken } from './csrf.js';

/** `<input type="hidden" name="csrfmiddlewaretoken" value="…">` for a form posting to this site. */
export function csrfInput(req: HttpRequest): SafeHtml {
  return markSafe(
    `<input type="hidden" name="${escapeHtml(csrfFieldName(req))}" value="${escapeHtml(csrfToken(req))}">`,
  );
}

export function registerTemplateContext(app: Carafe, options: { csrf: boolean }): void {
  registerContextProcessor(app, function securityContext(req) {
    const nonce = { cspNonce: cspNonce(req) };
    if (!options.csrf) return nonce;
    const input = csrfInput(req);
    return { ...nonce, csrfInput: input, csrfToken: csrfToken(req) };
  });
}
