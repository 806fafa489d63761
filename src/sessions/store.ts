// The contract for server-side session storage: the cookie carries an id, the store the data.
// The database and Redis backends implement it; projects can bring their own.
import { randomBytes } from 'node:crypto';

/** One session as a store keeps it. `data` is a JSON object. */
export interface StoredSession {
  readonly data: Record<string, unknown>;
  /** Seconds set by `session.setExpiry`; absent means the app's default. */
  readonly expiry?: number | undefined;
}

export interface SessionStore {
  /** The session stored under `id`, or undefined when there is none or it expired. */
  load(id: string): Promise<StoredSession | undefined>;
  /** Stores `session` under an existing `id`, to expire after `ttlSeconds`. */
  save(id: string, session: StoredSession, ttlSeconds: number): Promise<void>;
  /** Stores `session` under a new id no other session has, and returns the id. */
  create(session: StoredSession, ttlSeconds: number): Promise<string>;
  delete(id: string): Promise<void>;
  exists(id: string): Promise<boolean>;
  /** Releases connections; called when the app shuts down. */
  close?(): Promise<void>;
}

/** 32 characters, 192 random bits: unguessable, and cookie- and key-safe. */
export function newSessionId(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether a cookie value can be a session id at all, checked before asking a store. */
export function isSessionId(value: string): boolean {
  return value.length === 32 && /^[A-Za-z0-9_-]+$/.test(value);
}

/** Reads a stored JSON envelope back; anything unexpected counts as no session. */
export function parseStoredSession(json: string): StoredSession | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { data, expiry } = parsed as { data?: unknown; expiry?: unknown };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  if (
    expiry !== undefined &&
    !(Number.isInteger(expiry) && typeof expiry === 'number' && expiry >= 0)
  )
    return undefined;
  return { data: data as Record<string, unknown>, expiry };
}
