import type { PaymentIntent } from '../../src/domain/intent.js';

export function sampleIntent(overrides: Partial<PaymentIntent> = {}): PaymentIntent {
  const now = '2026-03-08T12:00:00.000Z';
  return {
    id: '550e8400-e29b-41d4-a716-446655440000',
    appId: 'kaba',
    referenceId: 'invoice-abc123',
    amount: 500000,
    currency: 'XOF',
    country: 'BJ',
    status: 'pending',
    gateway: 'mock',
    paymentUrl: 'http://localhost:3002/mock/pay/550e8400-e29b-41d4-a716-446655440000',
    clientSecret: null,
    gatewayTransactionId: 'mock_550e8400-e29b-41d4-a716-446655440000',
    paymentMode: 'redirect',
    metadata: { appId: 'kaba', referenceId: 'invoice-abc123', businessId: 'biz-xyz' },
    returnUrl: null,
    refundedAmount: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
