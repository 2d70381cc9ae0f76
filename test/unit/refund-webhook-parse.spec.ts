import { describe, expect, it } from '@jest/globals';
import { PaystackGateway } from '../../src/gateways/paystack/paystack.gateway.js';
import { StripeGateway } from '../../src/gateways/stripe/stripe.gateway.js';
import { ManualClock } from '../support/manual-clock.js';

// The refund side of the webhook parsers: pure mappings of verified bodies (ADR 0014).
const body = (value: object) => Buffer.from(JSON.stringify(value));

describe('Stripe parseRefundWebhook', () => {
  const stripe = new StripeGateway({ secretKey: null, webhookSecret: null, apiBaseUrl: null }, new ManualClock(new Date()));
  const refund = { id: 're_1', object: 'refund', status: 'succeeded', payment_intent: 'pi_1' };

  it('refund.updated and refund.failed carry the Refund', () => {
    expect(stripe.parseRefundWebhook(body({ id: 'evt_1', type: 'refund.updated', data: { object: refund } }))).toEqual([
      { eventId: 'evt_1', gatewayRefundId: 're_1', gatewayTransactionId: 'pi_1', status: 'succeeded' },
    ]);
    expect(stripe.parseRefundWebhook(body({ id: 'evt_2', type: 'refund.failed', data: { object: { ...refund, status: 'failed' } } }))[0]?.status).toBe('failed');
    // canceled gives the money back like failed; an unknown word stays pending.
    expect(stripe.parseRefundWebhook(body({ id: 'evt_3', type: 'refund.updated', data: { object: { ...refund, status: 'canceled' } } }))[0]?.status).toBe('failed');
    expect(stripe.parseRefundWebhook(body({ id: 'evt_4', type: 'refund.updated', data: { object: { ...refund, status: 'new_word' } } }))[0]?.status).toBe('pending');
  });

  it('charge.refunded maps each listed refund (one event id each); without the list it gives []', () => {
    const charge = { id: 'ch_1', object: 'charge', payment_intent: 'pi_1', refunds: { data: [refund, { ...refund, id: 're_2', status: 'pending', payment_intent: undefined }] } };
    expect(stripe.parseRefundWebhook(body({ id: 'evt_5', type: 'charge.refunded', data: { object: charge } }))).toEqual([
      { eventId: 'evt_5:re_1', gatewayRefundId: 're_1', gatewayTransactionId: 'pi_1', status: 'succeeded' },
      { eventId: 'evt_5:re_2', gatewayRefundId: 're_2', gatewayTransactionId: 'pi_1', status: 'pending' },
    ]);
    expect(stripe.parseRefundWebhook(body({ id: 'evt_6', type: 'charge.refunded', data: { object: { id: 'ch_1', payment_intent: 'pi_1' } } }))).toEqual([]);
  });

  it('payment events are not refund events, and refund events are not payment events', () => {
    expect(stripe.parseRefundWebhook(body({ id: 'evt_7', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } }))).toEqual([]);
    expect(stripe.parseWebhook(body({ id: 'evt_8', type: 'refund.updated', data: { object: refund } }))).toEqual([]);
  });
});

describe('Paystack parseRefundWebhook (assumed payload: docs/gateways/paystack.md)', () => {
  const paystack = new PaystackGateway({ secretKey: 'sk_test', baseUrl: 'http://127.0.0.1:9' }, new ManualClock(new Date()));

  it('maps every refund.* event with the refund id and the transaction reference', () => {
    const words = { pending: 'pending', processing: 'pending', 'needs-attention': 'pending', processed: 'succeeded', failed: 'failed' } as const;
    for (const [word, status] of Object.entries(words)) {
      expect(paystack.parseRefundWebhook(body({ event: `refund.${word}`, data: { id: 3000001, status: word, transaction_reference: 'ref-1' } }))).toEqual([
        { eventId: `refund.${word}:3000001`, gatewayRefundId: '3000001', gatewayTransactionId: 'ref-1', status },
      ]);
    }
  });

  it('without data.status the event word decides; without any id nothing; other events give []', () => {
    expect(paystack.parseRefundWebhook(body({ event: 'refund.processed', data: { transaction_reference: 'ref-1' } }))).toEqual([
      { eventId: 'refund.processed:ref-1', gatewayRefundId: null, gatewayTransactionId: 'ref-1', status: 'succeeded' },
    ]);
    expect(paystack.parseRefundWebhook(body({ event: 'refund.processed', data: {} }))).toEqual([]);
    expect(paystack.parseRefundWebhook(body({ event: 'refund.created', data: { id: 1 } }))).toEqual([]);
    expect(paystack.parseRefundWebhook(body({ event: 'charge.success', data: { id: 1, reference: 'ref-1' } }))).toEqual([]);
    expect(paystack.parseWebhook(body({ event: 'refund.processed', data: { id: 1, transaction_reference: 'ref-1' } }))).toEqual([]);
  });
});
