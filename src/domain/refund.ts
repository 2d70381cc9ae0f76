import type { GatewayId } from './gateway-id.js';
import type { Currency } from './money.js';

// Seed 001 "Refund status values": succeeded (gateway confirmed), pending (manual or awaiting the
// gateway), failed (the gateway refused; the amount is released).
export type RefundStatus = 'succeeded' | 'pending' | 'failed';

export type RefundGatewayOutcome = 'awaiting' | 'unknown' | 'known';

export interface Refund {
  id: string;
  paymentId: string;
  intentId: string;
  amount: number;
  currency: Currency;
  status: RefundStatus;
  gateway: GatewayId;
  gatewayRefundId: string | null;
  // 'awaiting': recorded before the call, no answer yet; 'unknown': the call ended without a
  // certain answer (the gateway may have refunded); 'known': status is the gateway's answer.
  gatewayOutcome: RefundGatewayOutcome;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

// What a refund's gateway says or a reconciler found; 'unknown' keeps the refund open.
export const refundOutcomeOpen = (refund: Pick<Refund, 'gatewayOutcome'>): boolean => refund.gatewayOutcome !== 'known';

type MoneyView = { status: string; amount: number; refundedAmount: number; paidOutAmount: number; id: string };

// Only a succeeded payment can be refunded, and never for more than what neither refunds nor
// payouts have taken (refunded + paid out <= captured).
export function refundProblem(intent: MoneyView, requested: number | undefined, payoutIds: readonly string[] = []): { amount: number } | { problem: string } {
  if (intent.status !== 'succeeded') {
    return { problem: `PaymentIntent ${intent.id} is ${intent.status}; only succeeded payments can be refunded` };
  }
  const remaining = intent.amount - intent.refundedAmount - intent.paidOutAmount;
  const payouts = intent.paidOutAmount > 0 ? ` (${intent.paidOutAmount} paid out to the business${payoutIds.length ? ` by disbursement ${payoutIds.join(', ')}` : ''})` : '';
  if (remaining <= 0) {
    return { problem: intent.paidOutAmount > 0 ? `PaymentIntent ${intent.id} has nothing left to refund${payouts}` : `PaymentIntent ${intent.id} is already fully refunded` };
  }
  const amount = requested ?? remaining;
  if (amount > remaining) {
    return { problem: `Refund amount ${amount} exceeds the refundable amount ${remaining} of PaymentIntent ${intent.id}${payouts}` };
  }
  return { amount };
}

// A payout of an intent may take only what refunds have left (same invariant, other side).
export function payoutProblem(intent: MoneyView, requested: number, refundIds: readonly string[] = []): string | null {
  const remaining = intent.amount - intent.refundedAmount - intent.paidOutAmount;
  if (requested <= remaining) return null;
  const by = refundIds.length > 0 ? ` by refund ${refundIds.join(', ')}` : '';
  const refunds = intent.refundedAmount > 0 ? `; ${intent.refundedAmount} is refunded or being refunded${by}` : '';
  return `A payout of ${requested} exceeds what is left of PaymentIntent ${intent.id} (${remaining})${refunds}`;
}
