// Client address, scheme and host, honouring X-Forwarded-* only from trusted proxies.
// CONTRACT STUB: the request-parsing work replaces these bodies.
import type { RequestSource } from './source.js';

export interface ClientInfo {
  ip: string | undefined;
  scheme: 'http' | 'https';
  /** Host (and port, when given) the client asked for, lower-case. */
  host: string;
}

export interface ProxyPolicyOptions {
  /** IPs or CIDR ranges (v4 and v6) of proxies whose X-Forwarded-* headers are believed. */
  trustedProxies: readonly string[];
}

export class ProxyPolicy {
  constructor(_options: ProxyPolicyOptions) {}
  resolve(_source: RequestSource): ClientInfo {
    throw new Error('not implemented');
  }
}

/** Django's ALLOWED_HOSTS: exact names, `.example.com` for a domain and its subdomains, `*` for any. */
export class HostPolicy {
  constructor(_allowedHosts: readonly string[]) {}
  /** False for a host not listed, or one that is not a syntactically valid host[:port]. */
  isAllowed(_host: string): boolean {
    throw new Error('not implemented');
  }
}
