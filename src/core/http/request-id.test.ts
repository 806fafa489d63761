import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLimits } from './limits.js';
import { ProxyPolicy } from './proxy.js';
import { HttpRequest } from './request.js';
import type { RequestSource } from './source.js';

function requestFrom(remoteAddress: string, headers: Record<string, string>) {
  const source: RequestSource = {
    method: 'GET',
    url: '/',
    header: (name) => headers[name],
    headers: () => headers,
    body: () => null,
    remoteAddress,
    encrypted: false,
  };
  const env = { limits: defaultLimits, proxy: new ProxyPolicy({ trustedProxies: ['10.0.0.1'] }), debug: false, reverse: () => '/' };
  return new HttpRequest(source, env);
}

describe('request ids', () => {
  it('are unique per request', () => {
    const a = requestFrom('192.0.2.1', {}).id;
    const b = requestFrom('192.0.2.1', {}).id;
    assert.notEqual(a, b);
  });

  it('take X-Request-Id only from a trusted proxy, and only plain tokens', () => {
    assert.equal(requestFrom('10.0.0.1', { 'x-request-id': 'abc-123' }).id, 'abc-123');
    assert.notEqual(requestFrom('192.0.2.9', { 'x-request-id': 'abc-123' }).id, 'abc-123');
    const hostile = 'x\n{"level":"fatal"}';
    assert.notEqual(requestFrom('10.0.0.1', { 'x-request-id': hostile }).id, hostile);
  });
});
