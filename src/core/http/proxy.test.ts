import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { defaultLimits } from './limits.js';
import { HostPolicy, isTrustedProxyEntry, ProxyPolicy } from './proxy.js';
import { HttpRequest } from './request.js';
import type { RequestSource } from './source.js';

function source(
  remoteAddress: string | undefined,
  headers: Record<string, string> = {},
  encrypted = false,
): RequestSource {
  return {
    method: 'GET',
    url: '/',
    header: (name) => headers[name],
    headers: () => ({ ...headers }),
    body: () => null,
    remoteAddress,
    encrypted,
  };
}

const spoofed = {
  host: 'example.com',
  'x-forwarded-for': '6.6.6.6',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'evil.com',
};

describe('ProxyPolicy', () => {
  it('ignores X-Forwarded-* when no proxy is trusted', () => {
    const policy = new ProxyPolicy({ trustedProxies: [] });
    assert.deepEqual(policy.resolve(source('203.0.113.9', spoofed)), {
      ip: '203.0.113.9',
      scheme: 'http',
      host: 'example.com',
    });
  });

  it('ignores X-Forwarded-* spoofed by an untrusted peer', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['10.0.0.0/8', 'loopback'] });
    const client = policy.resolve(source('198.51.100.7', spoofed, true));
    assert.deepEqual(client, { ip: '198.51.100.7', scheme: 'https', host: 'example.com' });
  });

  it('believes a trusted proxy', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['10.0.0.1'] });
    const client = policy.resolve(
      source('10.0.0.1', {
        host: 'internal:8080',
        'x-forwarded-for': '203.0.113.5',
        'x-forwarded-proto': 'HTTPS',
        'x-forwarded-host': 'Shop.Example.com',
      }),
    );
    assert.deepEqual(client, { ip: '203.0.113.5', scheme: 'https', host: 'shop.example.com' });
  });

  it('takes the right-most untrusted address of a chain, not a client-written one', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['10.0.0.0/8', '192.168.1.0/24'] });
    // The client sent "X-Forwarded-For: 1.1.1.1, 10.9.9.9"; two proxies appended after it.
    const header = '1.1.1.1, 10.9.9.9, 198.51.100.23, 192.168.1.4';
    assert.equal(
      policy.resolve(source('10.0.0.2', { 'x-forwarded-for': header })).ip,
      '198.51.100.23',
    );
  });

  it('walks to the left-most address when every hop is trusted', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['private'] });
    assert.equal(
      policy.resolve(source('10.0.0.2', { 'x-forwarded-for': '192.168.0.7, 10.1.1.1' })).ip,
      '192.168.0.7',
    );
  });

  it('stops at garbage in the chain, keeping the last address it could vouch for', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['10.0.0.0/8'] });
    assert.equal(
      policy.resolve(source('10.0.0.2', { 'x-forwarded-for': '203.0.113.1, not-an-ip, 10.0.0.3' }))
        .ip,
      '10.0.0.3',
    );
    assert.equal(
      policy.resolve(source('10.0.0.2', { 'x-forwarded-for': '<script>' })).ip,
      '10.0.0.2',
    );
  });

  it('uses the peer when a trusted proxy sends no X-Forwarded-For', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['loopback'] });
    assert.deepEqual(policy.resolve(source('127.0.0.1', { host: 'Example.COM' }, true)), {
      ip: '127.0.0.1',
      scheme: 'https',
      host: 'example.com',
    });
  });

  it('accepts only http or https from X-Forwarded-Proto, first value of a list', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['loopback'] });
    const scheme = (proto: string, encrypted = false) =>
      policy.resolve(source('127.0.0.1', { 'x-forwarded-proto': proto }, encrypted)).scheme;
    assert.equal(scheme('https, http'), 'https');
    assert.equal(scheme('http', true), 'http');
    assert.equal(scheme('javascript'), 'http');
    assert.equal(scheme('ftp', true), 'https');
  });

  it('handles IPv6, IPv4-mapped peers, ports and brackets', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['::1/128', '2001:db8::/32', '127.0.0.1'] });
    assert.equal(
      policy.resolve(source('::1', { 'x-forwarded-for': '[2001:DB9::7]:443' })).ip,
      '2001:db9::7',
    );
    assert.equal(
      policy.resolve(source('::ffff:127.0.0.1', { 'x-forwarded-for': '203.0.113.9:51234' })).ip,
      '203.0.113.9',
    );
    assert.equal(
      policy.resolve(
        source('2001:db8:0:0::5', { 'x-forwarded-for': '2001:db8::9, 2606:4700::1111' }),
      ).ip,
      '2606:4700::1111',
    );
    assert.equal(
      policy.resolve(source('fe80::1%eth0', { 'x-forwarded-for': '9.9.9.9' })).ip,
      'fe80::1%eth0',
    );
    assert.equal(
      new ProxyPolicy({ trustedProxies: [] }).resolve(source('::ffff:192.0.2.1')).ip,
      '192.0.2.1',
    );
    assert.equal(new ProxyPolicy({ trustedProxies: [] }).resolve(source(undefined)).ip, undefined);
  });

  it('matches CIDR ranges and the named ranges exactly at their edges', () => {
    const policy = new ProxyPolicy({ trustedProxies: ['172.16.0.0/12', 'loopback', 'fd00::/8'] });
    assert.equal(policy.trusts('172.16.0.0'), true);
    assert.equal(policy.trusts('172.31.255.255'), true);
    assert.equal(policy.trusts('172.32.0.0'), false);
    assert.equal(policy.trusts('172.15.255.255'), false);
    assert.equal(policy.trusts('127.200.1.1'), true);
    assert.equal(policy.trusts('::ffff:127.0.0.1'), true);
    assert.equal(policy.trusts('::1'), true);
    assert.equal(policy.trusts('::2'), false);
    assert.equal(policy.trusts('fdff::1'), true);
    assert.equal(policy.trusts('fe00::1'), false);
    assert.equal(policy.trusts('not an ip'), false);
    const privateRanges = new ProxyPolicy({ trustedProxies: ['private'] });
    for (const address of ['10.1.2.3', '192.168.255.1', '172.20.0.1', 'fc00::1']) {
      assert.equal(privateRanges.trusts(address), true, address);
    }
    for (const address of ['11.0.0.1', '192.169.0.1', '127.0.0.1', '8.8.8.8', '2001:db8::1']) {
      assert.equal(privateRanges.trusts(address), false, address);
    }
    assert.equal(new ProxyPolicy({ trustedProxies: ['0.0.0.0/0'] }).trusts('8.8.8.8'), true);
    assert.equal(new ProxyPolicy({ trustedProxies: ['0.0.0.0/0'] }).trusts('2001:db8::1'), false);
  });

  it('throws CARAFE_TRUSTED_PROXY for an entry it cannot read', () => {
    for (const entry of [
      '10.0.0.0/33',
      '256.1.1.1',
      'proxy.internal',
      '10.0.0',
      '::1/129',
      '1::2::3',
      '10.0.0.0/x',
      '',
      'constructor',
    ]) {
      assert.throws(
        () => new ProxyPolicy({ trustedProxies: [entry] }),
        (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_TRUSTED_PROXY',
        entry,
      );
    }
  });

  it('tells configuration validators which entries it accepts', () => {
    for (const entry of [
      'loopback',
      'PRIVATE',
      '10.0.0.1',
      '10.0.0.0/8',
      '::1',
      '2001:db8::/32',
      '::ffff:10.0.0.1',
    ]) {
      assert.equal(isTrustedProxyEntry(entry), true, entry);
    }
    for (const entry of [
      'local',
      'constructor',
      '10.0.0.0/33',
      '2001:db8::/129',
      'example.com',
      '1.2.3.4/',
    ]) {
      assert.equal(isTrustedProxyEntry(entry), false, entry);
    }
  });
});

describe('HostPolicy', () => {
  it('matches exact names, ignoring case, port and a trailing dot', () => {
    const hosts = new HostPolicy(['example.com', 'localhost', '127.0.0.1', '[::1]']);
    for (const host of [
      'example.com',
      'EXAMPLE.com',
      'example.com:8000',
      'example.com.',
      'localhost:3000',
      '127.0.0.1',
      '[::1]:8000',
      '[0:0::1]',
    ]) {
      assert.equal(hosts.isAllowed(host), true, host);
    }
    for (const host of [
      'www.example.com',
      'example.org',
      'example.com.evil.com',
      'evilexample.com',
      '127.0.0.2',
    ]) {
      assert.equal(hosts.isAllowed(host), false, host);
    }
  });

  it('matches a domain and its subdomains for ".example.com"', () => {
    const hosts = new HostPolicy(['.example.com']);
    for (const host of ['example.com', 'www.example.com', 'a.b.example.com:443']) {
      assert.equal(hosts.isAllowed(host), true, host);
    }
    for (const host of ['notexample.com', 'example.com.evil.org', 'example.co']) {
      assert.equal(hosts.isAllowed(host), false, host);
    }
  });

  it('allows any valid host for "*" and none for an empty list', () => {
    assert.equal(new HostPolicy(['*']).isAllowed('anything.test:1'), true);
    assert.equal(new HostPolicy([]).isAllowed('localhost'), false);
  });

  it('compares Unicode entries in their punycode form', () => {
    assert.equal(new HostPolicy(['bücher.example']).isAllowed('xn--bcher-kva.example'), true);
  });

  it('rejects hostile or malformed Host headers, even for "*"', () => {
    const any = new HostPolicy(['*']);
    const hostile = [
      '',
      'example.com evil.com',
      'user@example.com',
      'example.com/path',
      'example.com\r\nX-Injected: 1',
      'example.com\n',
      'example.com:',
      'example.com:0',
      'example.com:65536',
      'example.com:80:80',
      'example.com:http',
      `${'a'.repeat(64)}.com`,
      `${'abc.'.repeat(70)}com`,
      'exa..mple.com',
      '.example.com',
      '-example.com',
      '[::1',
      '[::1]x',
      '[::1%eth0]',
      '[not:ipv6]',
      '::1',
      'exämple.com',
      'example.com\u0000',
    ];
    for (const host of hostile) assert.equal(any.isAllowed(host), false, JSON.stringify(host));
  });

  it('throws CARAFE_ALLOWED_HOSTS for an entry that is not a host name', () => {
    for (const entry of [
      'example.com:8000',
      'http://example.com',
      'a b',
      '',
      '.',
      '[::1]:80',
      'ex@mple.com',
    ]) {
      assert.throws(
        () => new HostPolicy([entry]),
        (error: unknown) => error instanceof CarafeError && error.code === 'CARAFE_ALLOWED_HOSTS',
        entry,
      );
    }
  });
});

describe('HttpRequest client info', () => {
  it('reports ip, scheme and host through the proxy policy', () => {
    const env = {
      limits: defaultLimits,
      proxy: new ProxyPolicy({ trustedProxies: ['10.0.0.0/8'] }),
      debug: false,
      reverse: () => '/polls/3/',
    };
    const behindProxy = new HttpRequest(
      source('10.0.0.5', {
        host: 'backend',
        'x-forwarded-for': '6.6.6.6, 203.0.113.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'polls.example.com',
      }),
      env,
    );
    assert.equal(behindProxy.ip, '203.0.113.1');
    assert.equal(behindProxy.scheme, 'https');
    assert.equal(behindProxy.isSecure, true);
    assert.equal(behindProxy.host, 'polls.example.com');
    assert.equal(
      behindProxy.urlFor('polls.detail', { id: 3 }, { external: true }),
      'https://polls.example.com/polls/3/',
    );

    const direct = new HttpRequest(source('198.51.100.2', spoofed), env);
    assert.equal(direct.ip, '198.51.100.2');
    assert.equal(direct.scheme, 'http');
    assert.equal(direct.host, 'example.com');
  });
});

describe('HostPolicy entries with more than a host', () => {
  it('refuses a path, query or userinfo in an allowedHosts entry', () => {
    for (const entry of ['example.com/path', 'example.com?x', 'user@example.com', 'example .com']) {
      assert.throws(() => new HostPolicy([entry]), /not a host name/, entry);
    }
  });
});
