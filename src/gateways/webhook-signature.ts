import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookAuthError } from './gateway.js';

export const hmacHex = (algorithm: 'sha256' | 'sha512', secret: string, payload: Buffer | string): string =>
  createHmac(algorithm, secret).update(payload).digest('hex');

// Constant-time comparison of two hex digests; a wrong length or non-hex input simply fails.
export function hexDigestsEqual(expectedHex: string, presented: string | undefined): boolean {
  if (!presented || presented.length !== expectedHex.length || !/^[0-9a-f]+$/i.test(presented)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(presented.toLowerCase(), 'hex'));
}

// Rejects timestamps outside ±tolerance of now (both sides: a future timestamp is a replay too).
export function assertFreshTimestamp(header: string | undefined, nowMs: number, toleranceSeconds: number): number {
  if (!header || !/^\d{1,12}$/.test(header)) throw new WebhookAuthError('missing or malformed timestamp');
  const seconds = Number(header);
  if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) throw new WebhookAuthError('timestamp outside tolerance');
  return seconds;
}

export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return null;
  }
}
