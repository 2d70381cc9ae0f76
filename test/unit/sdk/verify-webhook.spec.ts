import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { newSigningSecret, signedHeaders } from '../../../src/domain/standard-webhook.js';
import { verifyWebhook, WebhookVerificationError } from '../../../src/sdk/index.js';

const body = JSON.stringify({ type: 'payment.completed', eventId: 'evt_1', intentId: 'i', paymentId: 'p', refundId: null, disbursementId: null, appId: 'kaba', referenceId: 'r', businessId: null, amount: 100, currency: 'XOF', gateway: 'mock', timestamp: '2026-12-10T08:00:00.000Z', refundStatus: null });
const at = new Date('2026-12-10T08:00:00.000Z');

// The SDK's verifier and our signer agree with each other and with the standardwebhooks library.
describe('verifyWebhook (SDK)', () => {
  const secret = newSigningSecret();

  it('accepts what the service signs, and what standardwebhooks signs', () => {
    expect(verifyWebhook(body, signedHeaders([secret], 'evt_1', at, body), { secret, now: at })).toMatchObject({ eventId: 'evt_1' });
    const theirs = new Webhook(secret).sign('evt_1', at, body);
    const headers = { 'Webhook-Id': 'evt_1', 'Webhook-Timestamp': String(at.getTime() / 1000), 'Webhook-Signature': theirs };
    expect(verifyWebhook(Buffer.from(body), headers, { secret, now: at })).toMatchObject({ type: 'payment.completed' });
    expect(verifyWebhook(body, new Headers(headers), { secret, now: at })).not.toBeNull();
  });

  it('accepts either of two signatures (rotation) and either of two secrets (the receiver switching)', () => {
    const previous = newSigningSecret();
    const both = signedHeaders([secret, previous], 'evt_1', at, body);
    expect(both['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWebhook(body, both, { secret: previous, now: at })).not.toBeNull();
    expect(verifyWebhook(body, signedHeaders([secret], 'evt_1', at, body), { secret: [previous, secret], now: at })).not.toBeNull();
  });

  it.each([
    ['a tampered body', body.replace('100', '1'), {}, 'No matching webhook signature'],
    ['a wrong secret', body, { secret: newSigningSecret() }, 'No matching webhook signature'],
    ['a timestamp 6 minutes old', body, { now: new Date(at.getTime() + 360_000) }, 'Webhook timestamp is outside the tolerance'],
    ['a timestamp 6 minutes ahead', body, { now: new Date(at.getTime() - 360_000) }, 'Webhook timestamp is outside the tolerance'],
  ])('refuses %s', (_name, payload, options, message) => {
    expect(() => verifyWebhook(payload, signedHeaders([secret], 'evt_1', at, body), { secret, now: at, ...options })).toThrow(new WebhookVerificationError(message));
  });

  it('refuses a changed webhook-id and missing headers', () => {
    const headers = signedHeaders([secret], 'evt_1', at, body);
    expect(() => verifyWebhook(body, { ...headers, 'webhook-id': 'evt_2' }, { secret, now: at })).toThrow('No matching webhook signature');
    expect(() => verifyWebhook(body, { 'webhook-id': 'evt_1' }, { secret, now: at })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, { ...headers, 'webhook-timestamp': 'soon' }, { secret, now: at })).toThrow('Invalid webhook-timestamp');
  });
});
