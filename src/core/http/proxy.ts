// Client address, scheme and host, honouring X-Forwarded-* only from trusted proxies; and the
// allowed-hosts check. All configuration is compiled once, in the constructors.
import { domainToASCII } from 'node:url';
import { CarafeError } from '../errors.js';
import type { RequestSource } from './source.js';

export interface ClientInfo {
  ip: string | undefined;
  scheme: 'http' | 'https';
  /** Host (and port, when given) the client asked for, lower-case. */
  host: string;
}

export interface ProxyPolicyOptions {
  /**
   * IPs or CIDR ranges (v4 and v6) of proxies whose X-Forwarded-* headers are believed, plus
   * `loopback` (127.0.0.0/8, ::1) and `private` (10/8, 172.16/12, 192.168/16, fc00::/7).
   */
  trustedProxies: readonly string[];
}

/** An IPv6 address as four 32-bit words; IPv4 is held as `::ffff:a.b.c.d`. */
type Words = readonly [number, number, number, number];

interface Range {
  words: Words;
  prefix: number;
}

const namedRanges = new Map<string, readonly string[]>([
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']],
]);

export class ProxyPolicy {
  readonly #ranges: Range[];

  constructor(options: ProxyPolicyOptions) {
    this.#ranges = options.trustedProxies.flatMap((entry) => {
      const ranges = rangesOf(entry);
      if (ranges === undefined) {
        throw new CarafeError(
          'CARAFE_TRUSTED_PROXY',
          `${JSON.stringify(entry)} in trustedProxies is not an IP address, a CIDR range ` +
            '(10.0.0.0/8, fd00::/8), "loopback" or "private".',
        );
      }
      return ranges;
    });
  }

  /** Whether `address` (v4, v6 or v4-mapped v6) is one of the trusted proxies. */
  trusts(address: string): boolean {
    const words = parseIp(address);
    return words !== undefined && this.#contains(words);
  }

  resolve(source: RequestSource): ClientInfo {
    const peer = source.remoteAddress;
    const peerWords = this.#ranges.length === 0 || peer === undefined ? undefined : parseIp(peer);
    if (peerWords === undefined || !this.#contains(peerWords)) {
      return {
        ip: peer === undefined ? undefined : unmapIPv4(peer),
        scheme: source.encrypted ? 'https' : 'http',
        host: source.header('host')?.toLowerCase() ?? '',
      };
    }
    const proto = firstValue(source.header('x-forwarded-proto'));
    const forwardedHost = firstValue(source.header('x-forwarded-host'));
    return {
      ip: this.#clientBehind(formatIp(peerWords), source.header('x-forwarded-for')),
      scheme: proto === 'https' || proto === 'http' ? proto : source.encrypted ? 'https' : 'http',
      host: forwardedHost || (source.header('host')?.toLowerCase() ?? ''),
    };
  }

  /**
   * Walks X-Forwarded-For from the right (the hop nearest us) past trusted proxies; the first
   * untrusted address is the client. Entries further left were written by the client and
   * prove nothing. If the walk hits garbage, the last address reached stands.
   */
  #clientBehind(peer: string, forwardedFor: string | undefined): string {
    if (forwardedFor === undefined) return peer;
    const hops = forwardedFor.split(',');
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parseHop(hops[i]!);
      if (hop === undefined) break;
      client = formatIp(hop);
      if (!this.#contains(hop)) break;
    }
    return client;
  }

  #contains(words: Words): boolean {
    for (const range of this.#ranges) if (inRange(words, range)) return true;
    return false;
  }
}

function firstValue(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const comma = header.indexOf(',');
  return (comma === -1 ? header : header.slice(0, comma)).trim().toLowerCase();
}

/** The ranges a `trustedProxies` entry stands for; undefined when it is not one. */
function rangesOf(entry: string): Range[] | undefined {
  const texts = namedRanges.get(entry.trim().toLowerCase()) ?? [entry];
  const ranges = texts.map(parseRange);
  return ranges.every((range): range is Range => range !== undefined) ? ranges : undefined;
}

/** Whether `trustedProxies` accepts `entry`, for validating configuration up front. */
export function isTrustedProxyEntry(entry: string): boolean {
  return rangesOf(entry) !== undefined;
}

function parseRange(text: string): Range | undefined {
  const slash = text.indexOf('/');
  const words = parseIp(slash === -1 ? text.trim() : text.slice(0, slash).trim());
  if (words === undefined) return undefined;
  const isV4 = !text.includes(':');
  const bits = slash === -1 ? undefined : text.slice(slash + 1).trim();
  if (bits === undefined) return { words, prefix: 128 };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (isV4 ? 32 : 128)) return undefined;
  return { words, prefix: Number(bits) + (isV4 ? 96 : 0) };
}

function inRange(words: Words, range: Range): boolean {
  let remaining = range.prefix;
  for (let i = 0; i < 4 && remaining > 0; i++) {
    const mask = remaining >= 32 ? 0xffffffff : (0xffffffff << (32 - remaining)) >>> 0;
    if (((words[i]! ^ range.words[i]!) & mask) !== 0) return false;
    remaining -= 32;
  }
  return true;
}

/** An X-Forwarded-For entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`. */
function parseHop(raw: string): Words | undefined {
  const hop = raw.trim();
  if (hop.startsWith('[')) {
    const close = hop.indexOf(']');
    return close === -1 ? undefined : parseIPv6(hop.slice(1, close));
  }
  const colon = hop.indexOf(':');
  if (colon !== -1 && colon === hop.lastIndexOf(':')) return parseIPv4(hop.slice(0, colon));
  return parseIp(hop);
}

function parseIp(text: string): Words | undefined {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

function parseIPv4(text: string): Words | undefined {
  const value = parseIPv4Value(text);
  return value === undefined ? undefined : [0, 0, 0xffff, value];
}

function parseIPv4Value(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function parseIPv6(input: string): Words | undefined {
  const zone = input.indexOf('%');
  const halves = (zone === -1 ? input : input.slice(0, zone)).split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = parseGroups(halves[0]!, !compressed);
  const tail = compressed ? parseGroups(halves[1]!, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return undefined;
  const groups = compressed ? [...head, ...new Array<number>(missing).fill(0), ...tail] : head;
  return [
    ((groups[0]! << 16) | groups[1]!) >>> 0,
    ((groups[2]! << 16) | groups[3]!) >>> 0,
    ((groups[4]! << 16) | groups[5]!) >>> 0,
    ((groups[6]! << 16) | groups[7]!) >>> 0,
  ];
}

/** Colon-separated hex groups; an IPv4 tail (`::ffff:1.2.3.4`) counts as two groups. */
function parseGroups(text: string, endsAddress: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (endsAddress && index === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4Value(part);
      if (v4 === undefined) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** IPv4 (also when v4-mapped) as dotted quad; IPv6 in RFC 5952 form (`2001:db8::1`). */
function formatIp(words: Words): string {
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) {
    const v4 = words[3];
    return `${v4 >>> 24}.${(v4 >>> 16) & 0xff}.${(v4 >>> 8) & 0xff}.${v4 & 0xff}`;
  }
  const groups = words.flatMap((word) => [word >>> 16, word & 0xffff]);
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:1.2.3.4`. */
function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

const MAX_HOST_LENGTH = 253;
const labelPattern = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * A Host header's name part, validated and normalised for comparison: lower-case, port and
 * trailing dot removed, IPv6 literals canonical (`[::1]`). Undefined when not a valid
 * `host[:port]`.
 */
function hostName(host: string): string | undefined {
  if (host === '' || host.length > MAX_HOST_LENGTH + 8) return undefined;
  let name: string;
  let port: string | undefined;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    const words = close === -1 ? undefined : parseIPv6(host.slice(1, close));
    // Zone ids (`%eth0`) have no place in a Host header.
    if (words === undefined || host.includes('%')) return undefined;
    name = `[${formatIp(words)}]`;
    const rest = host.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    port = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = host.indexOf(':');
    name = (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
    port = colon === -1 ? undefined : host.slice(colon + 1);
    if (name.endsWith('.')) name = name.slice(0, -1);
    if (
      name.length > MAX_HOST_LENGTH ||
      !name.split('.').every((label) => labelPattern.test(label))
    ) {
      return undefined;
    }
  }
  if (
    port !== undefined &&
    !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)
  ) {
    return undefined;
  }
  return name;
}

/** Django's ALLOWED_HOSTS: exact names, `.example.com` for a domain and its subdomains, `*` for any. */
export class HostPolicy {
  readonly #any: boolean;
  readonly #exact = new Set<string>();
  /** `.example.com` entries, stored without the dot. */
  readonly #domains: string[] = [];

  constructor(allowedHosts: readonly string[]) {
    this.#any = allowedHosts.includes('*');
    for (const entry of allowedHosts) {
      if (entry === '*') continue;
      const isDomain = entry.startsWith('.');
      const bare = isDomain ? entry.slice(1) : entry;
      const bracketed = bare.startsWith('[');
      // Unicode names are compared in their ASCII (punycode) form, as clients send them.
      const name = bracketed ? hostName(bare) : hostName(domainToASCII(bare));
      const hasPort = bracketed ? !bare.endsWith(']') : bare.includes(':');
      // domainToASCII drops anything after a '/', so a path must be refused before it.
      if (name === undefined || hasPort || /[/\\?#@\s]/.test(bare)) {
        throw new CarafeError(
          'CARAFE_ALLOWED_HOSTS',
          `${JSON.stringify(entry)} in allowedHosts is not a host name. Use "example.com", ` +
            '".example.com" (the domain and its subdomains), "[::1]" or "*", without a port.',
        );
      }
      if (isDomain) this.#domains.push(name);
      else this.#exact.add(name);
    }
  }

  /** False for a host not listed, or one that is not a syntactically valid host[:port]. */
  isAllowed(host: string): boolean {
    const name = hostName(host);
    if (name === undefined) return false;
    if (this.#any || this.#exact.has(name)) return true;
    for (const domain of this.#domains) {
      if (
        name === domain ||
        (name.endsWith(domain) && name[name.length - domain.length - 1] === '.')
      ) {
        return true;
      }
    }
    return false;
  }
}
