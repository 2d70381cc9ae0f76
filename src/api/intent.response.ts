import type { PaymentIntent } from '../domain/intent.js';

// The seed's response shape, mapped explicitly so stored fields never leak.
export function toIntentResponse(intent: PaymentIntent) {
  return {
    id: intent.id,
    appId: intent.appId,
    referenceId: intent.referenceId,
    amount: intent.amount,
    currency: intent.currency,
    country: intent.country,
    status: intent.status,
    gateway: intent.gateway,
    paymentUrl: intent.paymentUrl,
    clientSecret: intent.clientSecret,
    gatewayTransactionId: intent.gatewayTransactionId,
    paymentMode: intent.paymentMode,
    metadata: intent.metadata,
    // Which gateways were tried at creation (fallback), oldest first.
    attempts: intent.attempts.map(({ gateway, outcome, errorKind, at }) => ({ gateway, outcome, errorKind, at })),
    createdAt: intent.createdAt,
    updatedAt: intent.updatedAt,
  };
}
