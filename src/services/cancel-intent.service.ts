import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { isExpired, type IntentExpiryPolicy } from '../domain/intent-expiry.js';
import { isTerminal } from '../domain/intent-state-machine.js';
import { GatewayError, type GatewayPaymentStatus } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { GetIntentService } from './get-intent.service.js';
import type { IntentRepository } from './ports.js';
import type { Principal } from './principal.js';
import type { OutcomeResult, RecordPaymentOutcomeService } from './record-payment-outcome.service.js';

export type CancelReason = 'requested' | 'expired';

// expired: now cancelled (or closed as failed by the gateway's word); paid: the gateway said it
// was paid, now succeeded; still_open: past its expiry but not closed (gateway unreachable, money
// still processing, or an amount held for review) — check again later; skipped: not open, or not
// yet expired.
export type ExpireResult = 'expired' | 'paid' | 'still_open' | 'skipped';

type Closing = { kind: 'closed'; result: OutcomeResult } | { kind: 'processing' };

// POST /intents/:id/cancel and the reconciler's expiry (ADR 0013). The gateway is asked once more
// first: what it says wins over the cancel. Every change goes through RecordPaymentOutcomeService
// (one transaction with its outbox event), so a cancel racing a success ends in exactly one of
// "succeeded, cancel refused" or "cancelled, then a late success" — never in a lost payment.
export class CancelIntentService {
  constructor(
    private readonly getIntent: GetIntentService,
    private readonly intents: IntentRepository,
    private readonly gateways: GatewayRegistry,
    private readonly outcomes: RecordPaymentOutcomeService,
    private readonly policy: IntentExpiryPolicy,
    private readonly clock: Clock,
  ) {}

  async cancel(principal: Principal, id: string): Promise<PaymentIntent> {
    const intent = await this.getIntent.execute(principal, id);
    if (intent.status === 'cancelled') return intent;
    if (isTerminal(intent.status)) throw notCancellable(intent);
    const status = await this.ask(intent).catch((error: unknown) => {
      if (error instanceof GatewayError) {
        throw new DomainError('PAYMENT_GATEWAY_ERROR', `${intent.gateway} could not be asked about PaymentIntent ${intent.id} before cancelling (${error.kind}); try again`);
      }
      throw error;
    });
    await this.close(intent, status, 'requested', true);
    const current = (await this.intents.get(intent.id)) ?? intent;
    if (current.status === 'cancelled') return current;
    if (current.status === 'succeeded') {
      throw new DomainError('CONFLICT', `PaymentIntent ${intent.id} was already paid: it is succeeded, refund it instead`);
    }
    if (isTerminal(current.status)) throw notCancellable(current);
    // Only an amount the gateway reports that does not match leaves it open: kept for review.
    throw new DomainError('CONFLICT', `PaymentIntent ${intent.id} has a payment on ${intent.gateway} that does not match it; kept for review`);
  }

  // For each due open intent of the reconciler's queue.
  async expire(intent: PaymentIntent, now: Date = this.clock.now()): Promise<ExpireResult> {
    if (isTerminal(intent.status) || !isExpired(intent, this.policy, now)) return 'skipped';
    let status: GatewayPaymentStatus | null;
    try {
      status = await this.ask(intent);
    } catch (error) {
      // Not knowing is not "not paid": it stays open and is asked again on the next check.
      logger.warn('expired intent left open: its gateway could not be asked', { intentId: intent.id, gateway: intent.gateway, error: String(error) });
      return 'still_open';
    }
    const closing = await this.close(intent, status, 'expired', false);
    if (closing.kind === 'processing') return 'still_open';
    const current = await this.intents.get(intent.id);
    if (current?.status === 'succeeded') return 'paid';
    return current && isTerminal(current.status) ? 'expired' : 'still_open';
  }

  // The gateway's current word, or null when it cannot be asked (no status API, or no
  // transaction yet: a widget never opened, a create whose answer named nothing).
  private async ask(intent: PaymentIntent): Promise<GatewayPaymentStatus | null> {
    const gateway = await this.gateways.get(intent.gateway);
    if (!intent.gatewayTransactionId || !gateway?.isConfigured() || !gateway.getStatus) return null;
    return gateway.getStatus(intent.gatewayTransactionId);
  }

  private async close(intent: PaymentIntent, status: GatewayPaymentStatus | null, reason: CancelReason, evenIfProcessing: boolean): Promise<Closing> {
    if (status && (status.status === 'succeeded' || status.status === 'failed') && !status.notFound) {
      // Same receipt key as the reconciler's poll, so both paths make one change.
      const receipt = { gateway: intent.gateway, eventId: `poll:${intent.gatewayTransactionId}:${status.gatewayStatus}` };
      const result = await this.outcomes.apply(intent.id, { status: status.status, amount: status.amount, currency: status.currency }, receipt);
      logger.info('gateway answered before cancel', { intentId: intent.id, gateway: intent.gateway, reported: status.status, result, reason });
      return { kind: 'closed', result };
    }
    // Money the gateway says is moving (e.g. a bank debit) is not expired: that would only make a
    // late success. An explicit cancel still goes ahead; a later success is still taken.
    if (status?.status === 'processing' && !evenIfProcessing) return { kind: 'processing' };
    const result = await this.outcomes.apply(intent.id, { status: 'cancelled' }, null);
    if (result === 'applied') logger.info('intent cancelled', { intentId: intent.id, gateway: intent.gateway, reason, gatewayStatus: status?.gatewayStatus ?? null });
    return { kind: 'closed', result };
  }
}

const notCancellable = (intent: PaymentIntent) =>
  new DomainError('PAYMENT_ERROR', `PaymentIntent ${intent.id} is ${intent.status}: it can no longer be cancelled`);
