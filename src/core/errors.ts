// Framework errors carry a stable code (CARAFE_…) and a message naming the fix.

/** A mistake in how the framework is used or configured, found at startup or at call time. */
export class CarafeError extends Error {
  readonly code: string;
  constructor(code: `CARAFE_${string}`, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CarafeError';
    this.code = code;
  }
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return reasons[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

export interface HttpErrorOptions extends ErrorOptions {
  /** Extra response headers, e.g. `Allow` for 405 or `Retry-After` for 429. */
  headers?: Record<string, string>;
  /** A stable machine-readable code, e.g. `CARAFE_BODY_TOO_LARGE`. */
  code?: string;
  /** Shown to the client. Defaults to the reason phrase; never include secrets. */
  expose?: boolean;
}

/** Throw from a handler or middleware to answer with an HTTP error status. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly code: string | undefined;
  /** Whether `message` may be shown to the client outside debug mode. 4xx: yes; 5xx: no. */
  readonly expose: boolean;
  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    super(message ?? reasonPhrase(status), options);
    this.name = 'HttpError';
    this.status = status;
    this.headers = options.headers ?? {};
    this.code = options.code;
    this.expose = options.expose ?? status < 500;
  }
}

export class BadRequest extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(400, message, options);
    this.name = 'BadRequest';
  }
}

export class Forbidden extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(403, message, options);
    this.name = 'Forbidden';
  }
}

export class NotFound extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(404, message, options);
    this.name = 'NotFound';
  }
}

export class MethodNotAllowed extends HttpError {
  constructor(allowed: readonly string[], options?: HttpErrorOptions) {
    super(405, undefined, { ...options, headers: { allow: allowed.join(', '), ...options?.headers } });
    this.name = 'MethodNotAllowed';
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(413, message, { code: 'CARAFE_BODY_TOO_LARGE', ...options });
    this.name = 'PayloadTooLarge';
  }
}

/** Stop handling the request and answer with `status` (Flask's `abort`). */
export function abort(status: number, message?: string, options?: HttpErrorOptions): never {
  throw new HttpError(status, message, options);
}
