// The CSRF secret and the masked tokens made from it. The secret stays the same for a visitor;
// every page gets a different token (a fresh random mask XOR the secret), so a compressed page
// never repeats the same bytes, which defeats BREACH-style guessing of the secret.
import { randomBytes, timingSafeEqual } from 'node:crypto';

const secretBytes = 32;
/** base64url of 32 bytes. */
const secretPattern = /^[A-Za-z0-9_-]{43}$/;
/** base64url of mask + masked secret, 64 bytes. */
const tokenPattern = /^[A-Za-z0-9_-]{86}$/;

export function newSecret(): string {
  return randomBytes(secretBytes).toString('base64url');
}

export function isSecret(value: unknown): value is string {
  return typeof value === 'string' && secretPattern.test(value);
}

export function maskSecret(secret: string): string {
  const plain = Buffer.from(secret, 'base64url');
  const mask = randomBytes(secretBytes);
  const masked = Buffer.alloc(secretBytes);
  for (let i = 0; i < secretBytes; i++) masked[i] = plain[i]! ^ mask[i]!;
  return Buffer.concat([mask, masked]).toString('base64url');
}

export function isWellFormedToken(token: string): boolean {
  return tokenPattern.test(token);
}

/** Whether a well-formed masked token carries `secret`, compared in constant time. */
export function tokenMatches(token: string, secret: string): boolean {
  const bytes = Buffer.from(token, 'base64url');
  const unmasked = Buffer.alloc(secretBytes);
  for (let i = 0; i < secretBytes; i++) unmasked[i] = bytes[i]! ^ bytes[i + secretBytes]!;
  return timingSafeEqual(unmasked, Buffer.from(secret, 'base64url'));
}
