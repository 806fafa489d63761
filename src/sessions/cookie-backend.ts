// The default backend (Flask's): the whole session, signed, in the cookie. Nothing is stored on
// the server; the signature stops tampering, the embedded expiry stops replaying old cookies.
import { BadSignature, CarafeError, sign, unsign } from '../index.js';
import type { SessionContent } from './session.js';

const salt = 'carafe.sessions';
/** What browsers keep for one cookie's name and value; above it they drop the cookie silently. */
export const maxCookieSize = 4093;

interface Envelope {
  d: object;
  /** The per-session expiry setting, when there is one. */
  e?: number;
  /** When this cookie stops being valid, in Unix seconds. */
  x: number;
}

/** Signs the session for the cookie, valid for `lifetime` seconds from now. */
export function encodeCookieSession(
  content: SessionContent,
  lifetime: number,
  key: string,
): string {
  const envelope: Envelope = {
    d: Object.fromEntries(content.data),
    x: Math.floor(Date.now() / 1000) + lifetime,
  };
  if (content.expiry !== undefined) envelope.e = content.expiry;
  return sign(Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url'), { key, salt });
}

export function checkCookieSize(cookieName: string, value: string): void {
  const size = cookieName.length + 1 + value.length;
  if (size > maxCookieSize) {
    throw new CarafeError(
      'CARAFE_SESSION_TOO_LARGE',
      `The session cookie would be ${size} bytes, above the ${maxCookieSize} browsers keep, so the session would be lost. ` +
        'Store less in the session (ids rather than whole objects), or keep sessions on the server: ' +
        'sessions({ backend: databaseSessions() }) or redisSessions({ url }).',
    );
  }
}

export interface DecodedCookieSession {
  content: SessionContent;
  /** Verified with a fallback key only: write it again with the current key. */
  rotated: boolean;
}

/** The session in a cookie, or undefined when it is tampered with, malformed or expired. */
export function decodeCookieSession(
  value: string,
  keys: readonly string[],
): DecodedCookieSession | undefined {
  let payload: string;
  let rotated = false;
  try {
    payload = unsign(value, { keys: keys.slice(0, 1), salt });
  } catch (error) {
    if (!(error instanceof BadSignature) || keys.length === 1) return undefined;
    try {
      payload = unsign(value, { keys: keys.slice(1), salt });
      rotated = true;
    } catch {
      return undefined;
    }
  }
  const envelope = parseEnvelope(payload);
  if (envelope === undefined || envelope.x <= Date.now() / 1000) return undefined;
  return { content: { data: new Map(Object.entries(envelope.d)), expiry: envelope.e }, rotated };
}

function parseEnvelope(payload: string): Envelope | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { d, e, x } = parsed as Partial<Record<keyof Envelope, unknown>>;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || typeof x !== 'number')
    return undefined;
  if (e !== undefined && !(typeof e === 'number' && Number.isInteger(e) && e >= 0))
    return undefined;
  return e === undefined ? { d, x } : { d, e, x };
}
