// `req.session`: a typed key/value store for one visitor. The facade users see (`Session`) sits
// over a `SessionState` the middleware keeps, so it can tell what happened without exposing it.
import { CarafeError, type JsonValue } from '../index.js';

/**
 * Declare your session keys for typed `get`/`set`:
 * `declare module 'carafe/sessions' { interface SessionValues { cart: number[] } }`.
 * Undeclared keys hold any JSON value. Values go through JSON, so store ids, not objects.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface SessionValues {}

export type SessionValue<K extends string> = K extends keyof SessionValues
  ? SessionValues[K]
  : JsonValue;

/** What a backend reads and writes: the data and the per-session expiry, if one was set. */
export interface SessionContent {
  readonly data: Map<string, unknown>;
  /** Seconds set by `setExpiry`; 0 means "until the browser closes"; undefined means the default. */
  expiry: number | undefined;
}

/** What the middleware knows about the request's session; not part of the public surface. */
export class SessionState {
  #content: SessionContent | undefined;
  readonly #read: () => SessionContent;
  /** The id the cookie named (server-side backends), once checked to exist. */
  id: string | undefined;
  /** `flush()`/`regenerate()` asked for a new id. */
  cycleId = false;
  modified = false;
  accessed = false;
  /** The cookie verified only with a fallback key: write it again with the current one. */
  resign = false;

  constructor(read: () => SessionContent, id?: string) {
    this.#read = read;
    this.id = id;
  }

  /** The data, read from the backend on first use. */
  get content(): SessionContent {
    this.accessed = true;
    this.#content ??= this.#read();
    return this.#content;
  }

  replaceContent(content: SessionContent): void {
    this.accessed = true;
    this.#content = content;
  }
}

export class Session {
  readonly #state: SessionState;
  readonly #defaultExpiry: number;

  constructor(state: SessionState, defaultExpiry: number) {
    this.#state = state;
    this.#defaultExpiry = defaultExpiry;
  }

  get<K extends string>(key: K): SessionValue<K> | undefined {
    // `set` is typed by the same key, and the backends parse what they stored from JSON.
    return this.#state.content.data.get(key) as SessionValue<K> | undefined;
  }

  set<K extends string>(key: K, value: SessionValue<K>): void {
    if (value === undefined) {
      throw new CarafeError(
        'CARAFE_SESSION_VALUE',
        `session.set(${JSON.stringify(key)}, undefined): use session.delete(key) to remove a key.`,
      );
    }
    this.#state.content.data.set(key, value);
    this.#state.modified = true;
  }

  /** Removes a key; true when it was there. */
  delete(key: string): boolean {
    const removed = this.#state.content.data.delete(key);
    if (removed) this.#state.modified = true;
    return removed;
  }

  has(key: string): boolean {
    return this.#state.content.data.has(key);
  }

  /** The keys stored in the session. */
  keys(): string[] {
    return [...this.#state.content.data.keys()];
  }

  get isEmpty(): boolean {
    return this.#state.content.data.size === 0;
  }

  /** Whether this request changed the session (it will be saved). */
  get modified(): boolean {
    return this.#state.modified;
  }

  /** The server-side id (Redis and other stores); undefined for cookie sessions and new sessions. */
  get id(): string | undefined {
    return this.#state.id;
  }

  /** Removes every key; the cookie is deleted when the response is sent. */
  clear(): void {
    const { data } = this.#state.content;
    if (data.size > 0) this.#state.modified = true;
    data.clear();
  }

  /** Clears the data and drops the id (logout): nothing of the old session survives. */
  flush(): void {
    this.#state.replaceContent({ data: new Map(), expiry: undefined });
    this.#state.cycleId = true;
    this.#state.modified = true;
  }

  /** Keeps the data under a new id: call it at login, against session fixation. */
  regenerate(): void {
    void this.#state.content;
    this.#state.cycleId = true;
    this.#state.modified = true;
  }

  /** Seconds this session lasts; 0 means until the browser closes. */
  get expiry(): number {
    return this.#state.content.expiry ?? this.#defaultExpiry;
  }

  /** Sets this session's lifetime in seconds; 0 ends it with the browser; `null` restores the default. */
  setExpiry(seconds: number | null): void {
    if (seconds !== null && (!Number.isInteger(seconds) || seconds < 0)) {
      throw new CarafeError(
        'CARAFE_SESSION_EXPIRY',
        `session.setExpiry(${String(seconds)}): give whole seconds ≥ 0 (0 = until the browser closes), or null for the default.`,
      );
    }
    this.#state.content.expiry = seconds ?? undefined;
    this.#state.modified = true;
  }
}
