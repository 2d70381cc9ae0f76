import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { PaymentEvent as ServicePaymentEvent } from '../../../src/domain/payment-event.js';
import type {
  Disbursement,
  GatewayInfo,
  IntentPage,
  LedgerEntry,
  PaymentEventBase,
  PaymentIntent,
  PaymentIntentWithLedger,
  Refund,
  VerifyKkiapayResult,
} from '../../../src/sdk/index.js';

// The SDK's hand-written types against docs/openapi.json: each sample below is a complete value
// of its type (the compiler rejects a missing or unknown field), and its field names must be the
// schema's `required` list.
const doc = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'));
const schemas = doc.components.schemas;
const t = '2026-03-08T12:00:00.000Z';

const intent: PaymentIntent = {
  id: 'i', appId: 'a', referenceId: 'r', amount: 1, currency: 'XOF', country: 'BJ', status: 'pending', gateway: 'mock',
  paymentUrl: null, clientSecret: null, gatewayTransactionId: null, paymentMode: 'redirect', metadata: {},
  attempts: [{ gateway: 'mock', outcome: 'created', errorKind: null, at: t }], createdAt: t, updatedAt: t,
};
const withLedger: PaymentIntentWithLedger = {
  ...intent, refundedAmount: 0, balance: 0, paidOutAmount: 0,
  ledger: [{ type: 'payment', id: 'p', amount: 1, status: 'succeeded', at: t }],
  payouts: [{ id: 'd', amount: 1, currency: 'XOF', status: 'pending', provider: null, createdAt: t, updatedAt: t }],
};
const refund: Refund = {
  id: 'r', paymentId: 'p', intentId: 'i', amount: 1, currency: 'XOF', status: 'pending', gateway: 'mock', gatewayRefundId: null,
  reason: null, createdAt: t, updatedAt: t,
};
const disbursement: Disbursement = {
  id: 'd', appId: 'a', referenceId: 'r', businessId: null, intentId: null, amount: 1, currency: 'XOF', country: 'BJ',
  phoneNumber: '+229', status: 'pending', provider: null, providerReference: null, failureReason: null, attempts: [], createdAt: t, updatedAt: t,
};
const ledgerEntry: LedgerEntry = { type: 'payment', id: 'p', amount: 1, status: 's', at: t };
const event: PaymentEventBase = {
  type: 'payment.completed', eventId: 'e', intentId: 'i', paymentId: 'p', refundId: null, disbursementId: null, appId: 'a',
  referenceId: 'r', businessId: null, amount: 1, currency: 'XOF', gateway: 'mock', timestamp: t, refundStatus: null,
};
const page: IntentPage = { items: [intent], nextCursor: null };
const verified: VerifyKkiapayResult = { verified: true, intent };
const gateway: GatewayInfo = { id: 'mock', countries: 'any', currencies: ['XOF'], flows: ['redirect'], refund: 'programmatic', disburse: false };

// The service's own event type must fit the SDK's (a field added there and not here fails to compile).
const fromService = (e: ServicePaymentEvent): PaymentEventBase => e;
const sdkFields = (e: PaymentEventBase): Record<keyof ServicePaymentEvent, unknown> => e;

const required = (schema: { required?: string[]; allOf?: Array<{ required?: string[]; $ref?: string }> }): string[] =>
  schema.allOf
    ? schema.allOf.flatMap((part) => (part.$ref ? required(schemas[part.$ref.split('/').pop() as string]) : (part.required ?? [])))
    : (schema.required ?? []);
const sorted = (values: Iterable<string>) => [...values].sort();

describe('src/sdk/types.ts matches docs/openapi.json', () => {
  it.each([
    ['PaymentIntent', intent],
    ['PaymentIntentWithLedger', withLedger],
    ['Refund', refund],
    ['Disbursement', disbursement],
    ['LedgerEntry', ledgerEntry],
    ['PaymentEvent', event],
    ['IntentPage', page],
  ] as const)('%s', (name, sample) => {
    expect(schemas[name]).toBeDefined();
    expect(sorted(Object.keys(sample))).toEqual(sorted(required(schemas[name])));
  });

  it('intent attempts, payouts, verify-kkiapay and gateways', () => {
    const attemptSchema = schemas.PaymentIntent.properties.attempts.items;
    expect(sorted(Object.keys(intent.attempts[0] ?? {}))).toEqual(sorted(attemptSchema.required));
    const payoutSchema = schemas.PaymentIntentWithLedger.allOf[1].properties.payouts.items;
    expect(sorted(Object.keys(withLedger.payouts[0] ?? {}))).toEqual(sorted(payoutSchema.required));
    const verifySchema = doc.paths['/api/v1/intents/verify-kkiapay'].post.responses['200'].content['application/json'].schema;
    expect(sorted(Object.keys(verified))).toEqual(sorted(verifySchema.required));
    const gatewaySchema = doc.paths['/api/v1/gateways'].get.responses['200'].content['application/json'].schema.properties.gateways.items;
    expect(sorted(Object.keys(gateway))).toEqual(sorted(Object.keys(gatewaySchema.properties)));
  });

  it('the enums', () => {
    expect(schemas.Error.properties.error.enum).toEqual(expect.arrayContaining(['VALIDATION_ERROR', 'PAYMENT_GATEWAY_ERROR']));
    expect(typeof fromService).toBe('function');
    expect(typeof sdkFields).toBe('function');
  });
});

describe('src/sdk imports neither Nest nor the AWS SDK', () => {
  // node:crypto: the webhook verifier's HMAC and constant-time compare (ADR 0019).
  it('imports only its own files (and node:crypto)', () => {
    const dir = new URL('../../../src/sdk/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]);
      for (const specifier of specifiers) expect(`${file}: ${specifier}`).toMatch(/: (\.\/[a-z-]+\.js|node:crypto)$/);
    }
  });
});
