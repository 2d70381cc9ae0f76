import { createHmac, timingSafeEqual } from 'node:crypto';
import { parsePaymentEvent } from './event-handler.js';
import type { PaymentEvent } from './types.js';

// Verifies a webhook from the payments service (Standard Webhooks: webhook-id, webhook-timestamp,
// webhook-signature = "v1,<base64 HMAC-SHA256 of id.timestamp.body>", several space-separated
// during a secret rotation). Pass the raw body exactly as received, before any JSON parsing.

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

export interface VerifyWebhookOptions {
  // Your endpoint's secret(s), "whsec_…"; give both while you switch after a rotation.
  secret: string | readonly string[];
  // How far the timestamp may be from now, in seconds (default 300).
  toleranceSeconds?: number;
  // For tests: the current time.
  now?: Date;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;
const PREFIX = 'whsec_';

// Returns the event when one signature matches one secret and the timestamp is fresh (null: a
// verified event of a type newer than this SDK — answer 2xx and ignore it); throws
// WebhookVerificationError otherwise. Deduplicate on event.eventId (= webhook-id): delivery is
// at-least-once.
export function verifyWebhook(payload: string | Uint8Array, headers: WebhookHeaders, options: VerifyWebhookOptions): PaymentEvent | null {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('Invalid webhook-timestamp');
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) throw new WebhookVerificationError('Webhook timestamp is outside the tolerance');

  const body = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  const presented = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  let matched = false;
  for (const secret of secrets) {
    const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
    // Every candidate is compared in constant time (no early exit on the first match).
    for (const candidate of presented) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  if (!matched) throw new WebhookVerificationError('No matching webhook signature');
  return parsePaymentEvent(body);
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? (value as readonly string[]).join(' ') : (value as string | undefined);
}
