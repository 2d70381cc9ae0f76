import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks (standardwebhooks.com) signing, as product backends verify it: the secret is
// `whsec_<base64 key>`, the signed content `<webhook-id>.<webhook-timestamp>.<body>`, and
// `webhook-signature` a space-separated list of `v1,<base64 HMAC-SHA256>` (two during a rotation).
export const SECRET_PREFIX = 'whsec_';

export const newSigningSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

// A type literal (not an interface), so it is usable where any header record is expected.
export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export function signedHeaders(secrets: readonly string[], id: string, at: Date, body: string): SignedHeaders {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => sign(secret, id, timestamp, body)).join(' '),
  };
}

// For logs and responses after creation: enough to tell two secrets apart, never the key.
export const maskSecret = (secret: string): string => `${SECRET_PREFIX}…${secret.slice(-4)}`;
