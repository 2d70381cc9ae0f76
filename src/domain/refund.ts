import type { GatewayId } from './gateway-id.js';
import type { Currency } from './money.js';

// Seed 001 "Refund status values": succeeded (gateway confirmed), pending (manual or awaiting the
// gateway), failed (the gateway refused; the amount is released).
export type RefundStatus = 'succeeded' | 'pending' | 'failed';

export interface Refund {
  id: string;
  paymentId: string;
  intentId: string;
  amount: number;
  currency: Currency;
  status: RefundStatus;
  gateway: GatewayId;
  gatewayRefundId: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

// Only a succeeded payment can be refunded, and never for more than what is left.
export function refundProblem(
  intent: { status: string; amount: number; refundedAmount: number; id: string },
  requested: number | undefined,
): { amount: number } | { problem: string } {
  if (intent.status !== 'succeeded') {
    return { problem: `PaymentIntent ${intent.id} is ${intent.status}; only succeeded payments can be refunded` };
  }
  const remaining = intent.amount - intent.refundedAmount;
  if (remaining <= 0) return { problem: `PaymentIntent ${intent.id} is already fully refunded` };
  const amount = requested ?? remaining;
  if (amount > remaining) {
    return { problem: `Refund amount ${amount} exceeds the refundable amount ${remaining} of PaymentIntent ${intent.id}` };
  }
  return { amount };
}
