// What a server adapter gives the app: the raw request, read lazily.
import type { Readable } from 'node:stream';

/** What a server adapter (Node, fetch, the test client) hands to the app. */
export interface RequestSource {
  readonly method: string;
  /** The request target as received: percent-encoded path plus optional `?query`. */
  readonly url: string;
  /** Lower-case header name to value; repeated headers other than cookies are joined by `, `. */
  header(name: string): string | undefined;
  /** All headers, lower-case names. Built on demand. */
  headers(): Record<string, string | string[] | undefined>;
  /** The raw body, readable once. */
  body(): AsyncIterable<Uint8Array> | Readable | null;
  /** The peer's address (the proxy's, behind one). */
  readonly remoteAddress: string | undefined;
  /** Whether the connection itself is TLS. */
  readonly encrypted: boolean;
}

/** Typed per-request storage for middleware (Flask's `g`). Batteries extend it by augmentation. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface RequestState {}
