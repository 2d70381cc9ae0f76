import type { PaymentIntent } from '../domain/intent.js';
import type { Refund, RefundStatus } from '../domain/refund.js';
import { GatewayError, type RefundInput } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';

// A refund call's result in the three outcomes: a known answer (a certain refusal is a known
// 'failed') or unknown (the gateway may have refunded: keep the amount reserved).
export type RefundAnswer =
  | { outcome: 'known'; status: RefundStatus; gatewayRefundId: string | null }
  | { outcome: 'unknown'; reason: string };

const refundInput = (intent: PaymentIntent, refund: Refund): RefundInput => ({
  // Our refund id is the gateway's idempotency key (Stripe) or note to find it by (Paystack).
  refundId: refund.id,
  intentId: intent.id,
  gatewayTransactionId: intent.gatewayTransactionId ?? '',
  amount: refund.amount,
  currency: intent.currency,
  reason: refund.reason,
});

// Manual gateways (no programmatic refund) answer pending: process it in their dashboard.
export async function askGatewayToRefund(gateways: GatewayRegistry, intent: PaymentIntent, refund: Refund): Promise<RefundAnswer> {
  const gateway = await gateways.get(intent.gateway);
  if (!gateway?.refund || !intent.gatewayTransactionId) return { outcome: 'known', status: 'pending', gatewayRefundId: null };
  return classify(intent, refund, () => gateway.refund!(refundInput(intent, refund)));
}

// The reconciler's question for an open refund: what did the gateway do with our refund id?
// Not found at the gateway means it never arrived: a known failure that gives the amount back.
export async function findRefundAtGateway(gateways: GatewayRegistry, intent: PaymentIntent, refund: Refund): Promise<RefundAnswer> {
  const gateway = await gateways.get(intent.gateway);
  // Manual gateways: the answer is always "do it in the dashboard", nothing was sent.
  if (!gateway?.refund || !intent.gatewayTransactionId) return { outcome: 'known', status: 'pending', gatewayRefundId: null };
  if (!gateway.findRefund || !gateway.isConfigured()) return { outcome: 'unknown', reason: 'the gateway cannot be asked about a refund' };
  try {
    const found = await gateway.findRefund(refundInput(intent, refund));
    return found ? { outcome: 'known', ...found } : { outcome: 'known', status: 'failed', gatewayRefundId: null };
  } catch (error) {
    // A question that failed says nothing about the refund: ask again on the next sweep.
    logger.warn('refund lookup failed', { refundId: refund.id, gateway: intent.gateway, error: String(error) });
    return { outcome: 'unknown', reason: 'lookup failed' };
  }
}

async function classify(intent: PaymentIntent, refund: Refund, call: () => Promise<{ status: RefundStatus; gatewayRefundId: string | null }>): Promise<RefundAnswer> {
  try {
    const result = await call();
    return { outcome: 'known', status: result.status, gatewayRefundId: result.gatewayRefundId };
  } catch (error) {
    if (error instanceof GatewayError) {
      logger.warn('gateway refund failed', { intentId: intent.id, refundId: refund.id, gateway: intent.gateway, kind: error.kind, certain: error.createdNothing });
      return error.createdNothing ? { outcome: 'known', status: 'failed', gatewayRefundId: null } : { outcome: 'unknown', reason: error.kind };
    }
    logger.error('gateway refund threw unexpectedly; outcome unknown', { refundId: refund.id, error: String(error) });
    return { outcome: 'unknown', reason: 'unexpected error' };
  }
}
