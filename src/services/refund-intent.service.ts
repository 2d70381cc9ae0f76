import type { Clock, IdGenerator } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { paymentEventFor } from '../domain/payment-event.js';
import { refundProblem, type Refund } from '../domain/refund.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { GetIntentService } from './get-intent.service.js';
import type { IdempotencyService, IdempotentResult } from './idempotency.service.js';
import type { IdempotencyCompletion, IntentRepository, OutboxDispatcher, RefundStore } from './ports.js';
import type { Principal } from './principal.js';
import { askGatewayToRefund, type RefundAnswer } from './refund-call.js';

export interface RefundCommand {
  amount?: number;
  reason?: string;
}

// Each lost round means another refund or payout committed; 25 rounds outlast any realistic burst.
const MAX_ATTEMPTS = 25;

// POST /intents/:id/refund. Reserve the amount (conditional on what refunds and payouts left) with
// the refund record, whose id is the gateway's idempotency key; ask the gateway; record its
// answer with the payment.refunded event. A certain refusal gives the amount back (502); an
// unknown outcome keeps it reserved and the refund pending (201) until the reconciler knows.
export class RefundIntentService {
  constructor(
    private readonly getIntent: GetIntentService,
    private readonly intents: IntentRepository,
    private readonly refunds: RefundStore,
    private readonly gateways: GatewayRegistry,
    private readonly idempotency: IdempotencyService,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute(principal: Principal, intentId: string, command: RefundCommand, idempotencyKey: string | null): Promise<IdempotentResult<Refund>> {
    const intent = await this.getIntent.execute(principal, intentId);
    const scope = idempotencyKey === null ? null : { appId: intent.appId, key: `refund:${intent.id}:${idempotencyKey}` };
    return this.idempotency.run<Refund>(scope, { intentId: intent.id, ...command }, {
      create: (refundId, completion) => this.refund(refundId, intent, command, completion),
      load: (refundId) => this.refunds.get(intent.id, refundId),
    });
  }

  private async refund(refundId: string, read: PaymentIntent, command: RefundCommand, completion: IdempotencyCompletion | null): Promise<Refund> {
    const intentId = read.id;
    const reserved = await this.reserve(refundId, read, command);
    const answer = await askGatewayToRefund(this.gateways, reserved.intent, reserved.refund);
    if (answer.outcome === 'unknown') {
      logger.warn('refund outcome unknown: amount stays reserved for the reconciler', { intentId, refundId, reason: answer.reason });
    }
    const refund = await this.settle(reserved.intent, reserved.refund, answer, completion);
    if (refund.status === 'failed') {
      throw new DomainError('PAYMENT_GATEWAY_ERROR', `Gateway ${refund.gateway} refused the refund ${refund.id}; nothing was refunded`);
    }
    return refund;
  }

  // Records an answer (from the request or the reconciler): known answers publish payment.refunded;
  // an unknown one only binds the key. If our own write fails, the refund stays open on record.
  async settle(intent: PaymentIntent, refund: Refund, answer: RefundAnswer, completion: IdempotencyCompletion | null): Promise<Refund> {
    const updatedAt = this.clock.now().toISOString();
    const next: Refund =
      answer.outcome === 'unknown'
        ? { ...refund, gatewayOutcome: 'unknown', updatedAt }
        : { ...refund, status: answer.status, gatewayRefundId: answer.gatewayRefundId, gatewayOutcome: 'known', updatedAt };
    const outbox =
      next.gatewayOutcome === 'known'
        ? {
            event: paymentEventFor(intent, {
              eventId: this.ids.newId(),
              type: 'payment.refunded',
              paymentId: next.paymentId,
              refund: { id: next.id, amount: next.amount, status: next.status },
              timestamp: updatedAt,
            }),
            createdAt: updatedAt,
          }
        : null;
    // A refused refund is not a bound answer: the 502 frees the key for a new attempt.
    const bind = next.status === 'failed' ? null : completion;
    try {
      if (!(await this.refunds.record(next, outbox, bind))) return (await this.refunds.get(refund.intentId, refund.id)) ?? refund;
    } catch (error) {
      logger.error('could not record a refund outcome; it stays open for the reconciler', { refundId: refund.id, error: String(error) });
      return refund;
    }
    if (outbox) this.dispatcher.dispatch([outbox]);
    logger.info('refund recorded', { intentId: intent.id, refundId: next.id, status: next.status, outcome: next.gatewayOutcome, amount: next.amount });
    return next;
  }

  // The intent as the request read it is the first round's; only a lost race reads it again.
  private async reserve(refundId: string, read: PaymentIntent, command: RefundCommand): Promise<{ intent: PaymentIntent; refund: Refund }> {
    const intentId = read.id;
    let paymentId: string | undefined;
    let payoutIds: string[] = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const intent = attempt === 0 ? read : await this.intents.get(intentId);
      if (!intent) throw new DomainError('NOT_FOUND', `PaymentIntent not found: ${intentId}`);
      // The payment never changes once recorded: look it up once, not on every lost race.
      if (paymentId === undefined || intent.paidOutAmount > 0) {
        const ledger = await this.refunds.listLedgerItems(intent.id);
        paymentId ??= ledger.payments[0]?.id;
        payoutIds = ledger.payoutIds;
      }
      const decision = refundProblem(intent, command.amount, payoutIds);
      if ('problem' in decision) throw new DomainError('PAYMENT_ERROR', decision.problem);
      if (!paymentId) throw new DomainError('PAYMENT_ERROR', `PaymentIntent ${intent.id} has no recorded payment to refund`);
      const now = this.clock.now().toISOString();
      const refund: Refund = {
        id: refundId,
        paymentId,
        intentId: intent.id,
        amount: decision.amount,
        currency: intent.currency,
        status: 'pending',
        gateway: intent.gateway,
        gatewayRefundId: null,
        gatewayOutcome: 'awaiting',
        reason: command.reason ?? null,
        createdAt: now,
        updatedAt: now,
      };
      if (await this.refunds.reserve(intent, refund)) return { intent, refund };
    }
    throw new DomainError('CONFLICT', `PaymentIntent ${intentId} is being refunded concurrently; retry shortly`);
  }
}
