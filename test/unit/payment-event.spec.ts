import { describe, expect, it } from '@jest/globals';
import { disbursementEventFor, paymentEventFor, serializeEvent } from '../../src/domain/payment-event.js';
import { sampleIntent } from '../support/intents.js';

describe('event mapping (seed 001 schema)', () => {
  const intent = sampleIntent({ id: 'i-1', appId: 'kaba', referenceId: 'invoice-abc123', gateway: 'kkiapay', country: 'BJ' });

  it('payment.completed carries the payment and the business', () => {
    expect(paymentEventFor(intent, { eventId: 'e-1', type: 'payment.completed', paymentId: 'p-1', timestamp: '2026-03-08T12:05:00.000Z' })).toEqual({
      event: {
        eventId: 'e-1',
        type: 'payment.completed',
        intentId: 'i-1',
        paymentId: 'p-1',
        refundId: null,
        disbursementId: null,
        appId: 'kaba',
        referenceId: 'invoice-abc123',
        businessId: 'biz-xyz',
        amount: 500000,
        currency: 'XOF',
        gateway: 'kkiapay',
        timestamp: '2026-03-08T12:05:00.000Z',
        refundStatus: null,
      },
      attributes: { eventType: 'payment.completed', appId: 'kaba', gateway: 'kkiapay', country: 'BJ' },
    });
  });

  it('payment.refunded carries the refund id, the refunded amount and the refund status', () => {
    const { event } = paymentEventFor(intent, { eventId: 'e-2', type: 'payment.refunded', paymentId: 'p-1', refund: { id: 'r-1', amount: 1000, status: 'pending' }, timestamp: 't' });
    expect(event).toMatchObject({ type: 'payment.refunded', refundId: 'r-1', amount: 1000, paymentId: 'p-1', refundStatus: 'pending' });
  });

  it('refundStatus is the last serialized field, null for every other event (and for events stored before it)', () => {
    const { event } = paymentEventFor(intent, { eventId: 'e', type: 'payment.completed', paymentId: 'p', timestamp: 't' });
    expect(Object.keys(JSON.parse(serializeEvent(event))).at(-1)).toBe('refundStatus');
    expect(JSON.parse(serializeEvent(event)).refundStatus).toBeNull();
    const stored: Partial<typeof event> = { ...event };
    delete stored.refundStatus;
    expect(JSON.parse(serializeEvent(stored as typeof event)).refundStatus).toBeNull();
    const payout = disbursementEventFor(
      { id: 'd', appId: 'kaba', referenceId: 'r', businessId: null, intentId: null, amount: 1, currency: 'XOF', country: 'BJ', provider: 'moov', status: 'succeeded' },
      { eventId: 'e', timestamp: 't' },
    );
    expect(payout.event.refundStatus).toBeNull();
  });

  it('businessId is null when the intent has none', () => {
    const { event } = paymentEventFor({ ...intent, metadata: { appId: 'kaba', referenceId: 'x' } }, { eventId: 'e', type: 'payment.failed', paymentId: null, timestamp: 't' });
    expect(event.businessId).toBeNull();
  });

  it('disbursement events name the disbursement, the source intent and the provider', () => {
    const outbound = disbursementEventFor(
      { id: 'd-1', appId: 'kaba', referenceId: 'inv', businessId: 'biz', intentId: 'i-1', amount: 5, currency: 'XOF', country: 'BJ', provider: 'moov', status: 'failed' },
      { eventId: 'e-3', timestamp: 't' },
    );
    expect(outbound.event).toMatchObject({ type: 'disbursement.failed', disbursementId: 'd-1', intentId: 'i-1', gateway: 'moov', paymentId: null });
    expect(outbound.attributes).toEqual({ eventType: 'disbursement.failed', appId: 'kaba', gateway: 'moov', country: 'BJ' });
  });

  it('serializes in the seed order whatever order the fields came in', () => {
    const { event } = paymentEventFor(intent, { eventId: 'e', type: 'payment.completed', paymentId: 'p', timestamp: 't' });
    const shuffled = Object.fromEntries(Object.entries(event).reverse()) as typeof event;
    expect(serializeEvent(shuffled)).toBe(serializeEvent(event));
    expect(Object.keys(JSON.parse(serializeEvent(shuffled)))[0]).toBe('type');
  });
});
