// Content-Security-Policy: built once from typed directives; per response only the nonce changes.
// A script or style tag carrying `nonce="{{ cspNonce }}"` runs; one injected into the page does not.
import { randomBytes } from 'node:crypto';
import { CarafeError, type HttpRequest, type HttpResponse } from '../index.js';

/**
 * Stands for this response's nonce in a source list: `scriptSrc: ["'self'", NONCE]` (or write
 * `"'nonce'"`); each response gets `'nonce-<random>'` there.
 */
export const NONCE = "'nonce'";

/** A host (`https://cdn.example.com`), a scheme (`data:`), a quoted keyword (`'self'`) or `NONCE`. */
export type CspSource = string;
type Sources = readonly CspSource[];

export interface CspDirectives {
  defaultSrc?: Sources;
  scriptSrc?: Sources;
  scriptSrcElem?: Sources;
  scriptSrcAttr?: Sources;
  styleSrc?: Sources;
  styleSrcElem?: Sources;
  styleSrcAttr?: Sources;
  imgSrc?: Sources;
  fontSrc?: Sources;
  connectSrc?: Sources;
  mediaSrc?: Sources;
  objectSrc?: Sources;
  frameSrc?: Sources;
  childSrc?: Sources;
  workerSrc?: Sources;
  manifestSrc?: Sources;
  baseUri?: Sources;
  formAction?: Sources;
  frameAncestors?: Sources;
  /** `sandbox` alone (true) or with allowances: `['allow-scripts']`. */
  sandbox?: boolean | readonly string[];
  upgradeInsecureRequests?: boolean;
}

export interface CspOptions {
  directives: CspDirectives;
  /** Send `Content-Security-Policy-Report-Only`: violations are reported, nothing is blocked. */
  reportOnly?: boolean;
  /** Where browsers send violation reports (`report-uri`). */
  reportUri?: string;
}

export interface CompiledCsp {
  readonly header: string;
  /** The policy split where the nonce goes; one part means it has no nonce. */
  readonly parts: readonly string[];
}

const keywords = [
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'strict-dynamic',
  'unsafe-hashes',
  'report-sample',
  'wasm-unsafe-eval',
];
const directiveNames: Record<keyof CspDirectives, true> = {
  defaultSrc: true,
  scriptSrc: true,
  scriptSrcElem: true,
  scriptSrcAttr: true,
  styleSrc: true,
  styleSrcElem: true,
  styleSrcAttr: true,
  imgSrc: true,
  fontSrc: true,
  connectSrc: true,
  mediaSrc: true,
  objectSrc: true,
  frameSrc: true,
  childSrc: true,
  workerSrc: true,
  manifestSrc: true,
  baseUri: true,
  formAction: true,
  frameAncestors: true,
  sandbox: true,
  upgradeInsecureRequests: true,
};

function cspError(message: string): CarafeError {
  return new CarafeError('CARAFE_CSP_OPTION', message);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function checkSource(directive: string, source: string): string {
  if (typeof source !== 'string' || source === '' || /[\s;,]/.test(source)) {
    throw cspError(
      `csp.directives.${directive}: ${JSON.stringify(source)} is not a source; give one per entry, without spaces, ';' or ','.`,
    );
  }
  if (keywords.includes(source)) {
    throw cspError(
      `csp.directives.${directive}: write "'${source}'" with single quotes; unquoted, ${source} means a host named "${source}".`,
    );
  }
  return source;
}

// A marker no source can contain (sources have no whitespace), replaced by the nonce per response.
const nonceMarker = ' NONCE ';

export function compileCsp(options: CspOptions): CompiledCsp {
  if (typeof options !== 'object' || options === null || typeof options.directives !== 'object') {
    throw cspError(
      'csp takes { directives: { defaultSrc: ["\'self\'"], … }, reportOnly?, reportUri? }.',
    );
  }
  const clauses: string[] = [];
  for (const [name, value] of Object.entries(options.directives)) {
    if (!Object.hasOwn(directiveNames, name)) {
      throw cspError(
        `csp.directives.${name} is not a directive this builder knows; use camelCase names such as scriptSrc, imgSrc, frameAncestors.`,
      );
    }
    if (value === undefined || value === false) continue;
    const directive = kebab(name);
    if (value === true) {
      clauses.push(directive);
      continue;
    }
    if (!Array.isArray(value))
      throw cspError(
        `csp.directives.${name} takes a list of sources${name === 'sandbox' || name === 'upgradeInsecureRequests' ? ' or true' : ''}.`,
      );
    const sources = value.map((source: string) =>
      source === NONCE ? `'nonce-${nonceMarker}'` : checkSource(name, source),
    );
    clauses.push(
      sources.length === 0 ? `${directive} 'none'` : `${directive} ${sources.join(' ')}`,
    );
  }
  if (options.reportUri !== undefined)
    clauses.push(`report-uri ${checkSource('reportUri', options.reportUri)}`);
  if (clauses.length === 0)
    throw cspError('csp.directives is empty; start from { defaultSrc: ["\'self\'"] }.');
  return {
    header: options.reportOnly ? 'content-security-policy-report-only' : 'content-security-policy',
    parts: clauses.join('; ').split(nonceMarker),
  };
}

const nonces = new WeakMap<HttpRequest, string>();

/** This response's CSP nonce: `<script nonce="{{ cspNonce }}">`. The same for the whole request. */
export function cspNonce(req: HttpRequest): string {
  let nonce = nonces.get(req);
  if (nonce === undefined) {
    nonce = randomBytes(18).toString('base64');
    nonces.set(req, nonce);
  }
  return nonce;
}

export function applyCsp(req: HttpRequest, res: HttpResponse, csp: CompiledCsp): void {
  if (res.header(csp.header) !== undefined) return;
  res.setHeader(csp.header, csp.parts.length === 1 ? csp.parts[0]! : csp.parts.join(cspNonce(req)));
}
