import type { PaymentIntent } from '../../src/domain/intent.js';

export function sampleIntent(overrides: Partial<PaymentIntent> = {}): PaymentIntent {
  const now = '2026-03-08T12:00:00.000Z';
  const id = overrides.id ?? '550e8400-e29b-41d4-a716-446655440000';
  return {
    id,
    appId: 'kaba',
    referenceId: 'invoice-abc123',
    amount: 500000,
    currency: 'XOF',
    country: 'BJ',
    status: 'pending',
    gateway: 'mock',
    paymentUrl: `http://localhost:3002/mock/pay/${id}`,
    clientSecret: null,
    gatewayTransactionId: `mock_${id}`,
    paymentMode: 'redirect',
    metadata: { appId: 'kaba', referenceId: 'invoice-abc123', businessId: 'biz-xyz' },
    returnUrl: null,
    refundedAmount: 0,
    paidOutAmount: 0,
    attempts: [{ gateway: 'mock', outcome: 'created', errorKind: null, at: now }],
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
