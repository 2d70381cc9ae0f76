import type { Clock, IdGenerator } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { paymentEventFor } from '../domain/payment-event.js';
import type { Refund } from '../domain/refund.js';
import type { PaymentGateway, RefundWebhookEvent } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import { isTransientWriteFailure } from '../storage/dynamo-client.js';
import type { IntentRepository, OutboxDispatcher, PaymentLifecycleStore, RefundStore } from './ports.js';
import type { Principal } from './principal.js';

export type FinalRefundStatus = 'succeeded' | 'failed';
export type SettlementSource = 'webhook' | 'requery' | 'operator';

// settled: this call moved it from pending; duplicate: it already had this status; conflict: it
// already had the other final status; not_pending: its gateway answer is not known yet (the
// reconciler's job, ADR 0010), so there is no pending status to settle.
export type SettleResult = 'settled' | 'duplicate' | 'conflict' | 'not_pending';
export type RefundWebhookResult = SettleResult | 'ignored' | 'unknown_refund';

// A pending refund (gatewayOutcome 'known', status 'pending') reaches succeeded or failed exactly
// once, whoever says so first: a gateway webhook, a status re-query (the reconciler's queue) or an
// operator confirming a manual refund. The write is conditional on the refund still being
// pending and carries the second payment.refunded event (new eventId, final refundStatus); a
// failed refund gives its amount back to the intent in the same transaction (ADR 0014).
export class RefundSettlementService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly refunds: RefundStore,
    private readonly gateways: GatewayRegistry,
    private readonly lifecycle: Pick<PaymentLifecycleStore, 'findIntentIdByTransaction'>,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async settle(intentId: string, refundId: string, status: FinalRefundStatus, source: SettlementSource): Promise<{ result: SettleResult; refund: Refund }> {
    const refund = await this.refunds.get(intentId, refundId);
    const intent = refund ? await this.intents.get(intentId) : null;
    if (!refund || !intent) throw new DomainError('NOT_FOUND', `Refund not found: ${refundId}`);
    const already = classify(refund, status);
    if (already) return this.report(already, refund, status, source);
    const updatedAt = this.clock.now().toISOString();
    const next: Refund = { ...refund, status, updatedAt };
    const outbox = {
      event: paymentEventFor(intent, {
        eventId: this.ids.newId(),
        type: 'payment.refunded',
        paymentId: next.paymentId,
        refund: { id: next.id, amount: next.amount, status },
        timestamp: updatedAt,
      }),
      createdAt: updatedAt,
    };
    let written: boolean;
    try {
      written = await this.refunds.settlePending(next, outbox);
    } catch (error) {
      // Still conflicting after the retries: usually the concurrent winner. Re-read to know.
      if (!isTransientWriteFailure(error)) throw error;
      written = false;
      const now = await this.refunds.get(intentId, refundId);
      if (!now || !classify(now, status)) throw error;
    }
    if (!written) {
      const now = (await this.refunds.get(intentId, refundId)) ?? refund;
      return this.report(classify(now, status) ?? 'conflict', now, status, source);
    }
    this.dispatcher.dispatch([outbox]);
    logger.info('pending refund settled', { intentId, refundId, status, source, amountGivenBack: status === 'failed' ? next.amount : 0 });
    return { result: 'settled', refund: next };
  }

  // A verified refund webhook. Signed bodies (Stripe) are taken as they are; hint-only ones
  // (Paystack, requeryOnWebhook) are re-queried. Unknown refunds are logged and acknowledged.
  async onWebhook(gateway: PaymentGateway, event: RefundWebhookEvent): Promise<RefundWebhookResult> {
    if (event.gatewayRefundId === null) return this.byTransaction(gateway, event);
    const found = await this.refunds.findByGatewayRefundId(gateway.id, event.gatewayRefundId);
    if (!found) {
      // Not on record (yet): its answer may still be on its way; the reconciler asks again later.
      logger.warn('refund webhook for an unknown refund ignored', { gateway: gateway.id, eventId: event.eventId, gatewayRefundId: event.gatewayRefundId });
      return 'unknown_refund';
    }
    const status = gateway.capabilities.requeryOnWebhook && gateway.getRefundStatus ? (await gateway.getRefundStatus(event.gatewayRefundId)).status : event.status;
    if (status === 'pending') return 'ignored';
    return (await this.settle(found.intentId, found.refundId, status, 'webhook')).result;
  }

  // For the reconciler's queue: a known-pending refund on a gateway that can be asked is
  // re-queried and settled if final. true: the refund is final now (by this call or another).
  // Manual gateways (and questions that failed) give false: it stays in the queue.
  async refresh(refund: Refund): Promise<boolean> {
    if (refund.gatewayOutcome !== 'known' || refund.status !== 'pending' || !refund.gatewayRefundId) return false;
    const gateway = await this.gateways.get(refund.gateway);
    if (!gateway?.getRefundStatus || !gateway.isConfigured()) return false;
    let status: Refund['status'];
    try {
      status = (await gateway.getRefundStatus(refund.gatewayRefundId)).status;
    } catch (error) {
      logger.warn('refund status re-query failed', { refundId: refund.id, gateway: refund.gateway, error: String(error) });
      return false;
    }
    if (status === 'pending') return false;
    const { result } = await this.settle(refund.intentId, refund.id, status, 'requery');
    return result !== 'not_pending';
  }

  // POST /intents/:id/refunds/:refundId/confirm: an operator did (or could not do) a manual
  // refund in the gateway's dashboard. Only refunds no API can settle; repeating the same
  // outcome answers the refund again, a contradicting one is a conflict.
  async confirm(principal: Principal, intentId: string, refundId: string, outcome: FinalRefundStatus): Promise<Refund> {
    if (principal.appId !== null) throw new DomainError('FORBIDDEN', 'Confirming a refund needs the operations key');
    const refund = await this.refunds.get(intentId, refundId);
    if (!refund) throw new DomainError('NOT_FOUND', `Refund not found: ${refundId}`);
    const gateway = await this.gateways.get(refund.gateway);
    if (refund.status === 'pending' && gateway?.getRefundStatus && refund.gatewayRefundId) {
      throw new DomainError('CONFLICT', `Refund ${refundId} is settled by ${refund.gateway} itself (webhook or status re-query), not by hand`);
    }
    const { result, refund: now } = await this.settle(intentId, refundId, outcome, 'operator');
    if (result === 'settled' || result === 'duplicate') return now;
    if (result === 'not_pending') throw new DomainError('CONFLICT', `Refund ${refundId} has no gateway answer yet; the reconciler settles it first`);
    throw new DomainError('CONFLICT', `Refund ${refundId} is already ${now.status}`);
  }

  // A Paystack payload without a refund id: every pending refund of that payment is re-queried.
  private async byTransaction(gateway: PaymentGateway, event: RefundWebhookEvent): Promise<RefundWebhookResult> {
    const intentId = event.gatewayTransactionId ? await this.lifecycle.findIntentIdByTransaction(gateway.id, event.gatewayTransactionId) : null;
    if (!intentId) {
      logger.warn('refund webhook for an unknown transaction ignored', { gateway: gateway.id, eventId: event.eventId });
      return 'unknown_refund';
    }
    const pending = (await this.refunds.listLedgerItems(intentId)).refunds.filter((refund) => refund.gateway === gateway.id);
    let settled = false;
    for (const refund of pending) settled = (await this.refresh(refund)) || settled;
    return settled ? 'settled' : 'ignored';
  }

  private report(result: Exclude<SettleResult, 'settled'>, refund: Refund, status: FinalRefundStatus, source: SettlementSource): { result: SettleResult; refund: Refund } {
    if (result === 'conflict') {
      // e.g. Stripe failing a refund it had reported succeeded: money moved back, by hand.
      logger.warn('refund already settled otherwise: check it with the gateway by hand', { refundId: refund.id, recorded: refund.status, reported: status, source });
    }
    return { result, refund };
  }
}

function classify(refund: Refund, status: FinalRefundStatus): Exclude<SettleResult, 'settled'> | null {
  if (refund.gatewayOutcome !== 'known') return 'not_pending';
  if (refund.status === 'pending') return null;
  return refund.status === status ? 'duplicate' : 'conflict';
}
