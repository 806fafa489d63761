// A failed CSRF check: a 403 that names the failed check in debug mode and only says "failed"
// otherwise. Handle it like any error: `app.errorHandler(CsrfFailure, (error, req) => …)`.
import { Forbidden } from '../index.js';

export type CsrfFailureReason =
  | 'bad-origin'
  | 'no-referer'
  | 'malformed-referer'
  | 'insecure-referer'
  | 'bad-referer'
  | 'no-secret'
  | 'no-token'
  | 'malformed-token'
  | 'wrong-token';

export type CsrfStorage = 'session' | 'cookie';

function explain(reason: CsrfFailureReason, storage: CsrfStorage, detail: string): string {
  const cookieOrSession =
    storage === 'cookie'
      ? 'the browser sent no valid CSRF cookie (the page with the form never rendered csrfToken/csrfInput, or cookies are blocked)'
      : 'the session holds no CSRF secret (the page with the form never rendered csrfToken/csrfInput, or the session expired or was flushed)';
  const messages: Record<CsrfFailureReason, string> = {
    'bad-origin': `the Origin ${detail} is neither this site nor a trusted origin. Serving the site under several origins? List the others in security({ csrf: { trustedOrigins: ['https://app.example.com'] } }). Behind a proxy, set trustedProxies so the scheme and host are the client's`,
    'no-referer':
      'this HTTPS request has neither an Origin nor a Referer header, so where it came from cannot be checked. Do not strip Referer (use Referrer-Policy: same-origin rather than no-referrer)',
    'malformed-referer': `the Referer ${detail} is not a URL`,
    'insecure-referer': `the Referer ${detail} is not HTTPS while this request is`,
    'bad-referer': `the Referer ${detail} is neither this site nor a trusted origin; list other origins in security({ csrf: { trustedOrigins } })`,
    'no-secret': cookieOrSession,
    'no-token':
      'no CSRF token was sent. Put {{ csrfInput }} inside the <form>, or send csrfToken(req) in an X-CSRFToken header from fetch calls; exempt token-authenticated APIs with csrfExempt',
    'malformed-token':
      'the CSRF token has the wrong length or characters; send the value of csrfToken(req) unchanged',
    'wrong-token':
      "the CSRF token does not match this visitor's secret: it comes from another visitor or an older session (was the session flushed or the token rotated at login?)",
  };
  return messages[reason];
}

export class CsrfFailure extends Forbidden {
  readonly reason: CsrfFailureReason;

  constructor(
    reason: CsrfFailureReason,
    options: { debug: boolean; storage: CsrfStorage; detail?: string },
  ) {
    const message = options.debug
      ? `CSRF verification failed (${reason}): ${explain(reason, options.storage, JSON.stringify(options.detail ?? ''))}.`
      : 'CSRF verification failed. Request aborted.';
    super(message, { code: 'CARAFE_CSRF_FAILED' });
    this.name = 'CsrfFailure';
    this.reason = reason;
  }
}
