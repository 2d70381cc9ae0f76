import type { Clock, IdGenerator } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { paymentEventFor } from '../domain/payment-event.js';
import { refundProblem, type Refund, type RefundStatus } from '../domain/refund.js';
import { GatewayError } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { GetIntentService } from './get-intent.service.js';
import type { IdempotencyService, IdempotentResult } from './idempotency.service.js';
import type { IntentRepository, OutboxDispatcher, RefundStore } from './ports.js';
import type { Principal } from './principal.js';

export interface RefundCommand {
  amount?: number;
  reason?: string;
}

// Each lost round means another refund committed; 25 rounds outlast any realistic burst.
const MAX_ATTEMPTS = 25;

// POST /intents/:id/refund. Reserve the amount (conditional on what is left), ask the gateway,
// then record its answer with the payment.refunded event. The total refunded can never exceed
// the payment, however many refunds race.
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
    return this.idempotency.run<Refund>(scope, { intentId: intent.id, ...command }, async (completion) => {
      const reserved = await this.reserve(intent.id, command);
      const answered = await this.askGateway(reserved.intent, reserved.refund);
      const refund: Refund = { ...reserved.refund, ...answered, updatedAt: this.clock.now().toISOString() };
      const outbox = {
        event: paymentEventFor(reserved.intent, {
          eventId: this.ids.newId(),
          type: 'payment.refunded',
          paymentId: refund.paymentId,
          refund: { id: refund.id, amount: refund.amount },
          timestamp: refund.updatedAt,
        }),
        createdAt: refund.updatedAt,
      };
      // A failed refund is not a stored answer: the key is released so the client may retry.
      await this.refunds.finalize(refund, outbox, refund.status === 'failed' ? null : (completion?.(refund) ?? null));
      this.dispatcher.dispatch([outbox]);
      logger.info('refund recorded', { intentId: intent.id, refundId: refund.id, status: refund.status, amount: refund.amount });
      if (refund.status === 'failed') {
        throw new DomainError('PAYMENT_GATEWAY_ERROR', `Gateway ${refund.gateway} refused the refund ${refund.id}; nothing was refunded`);
      }
      return refund;
    });
  }

  private async reserve(intentId: string, command: RefundCommand): Promise<{ intent: PaymentIntent; refund: Refund }> {
    let paymentId: string | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const intent = await this.intents.get(intentId);
      if (!intent) throw new DomainError('NOT_FOUND', `PaymentIntent not found: ${intentId}`);
      const decision = refundProblem(intent, command.amount);
      if ('problem' in decision) throw new DomainError('PAYMENT_ERROR', decision.problem);
      // The payment never changes once recorded: look it up once, not on every lost race.
      paymentId ??= (await this.refunds.listLedgerItems(intent.id)).payments[0]?.id;
      if (!paymentId) throw new DomainError('PAYMENT_ERROR', `PaymentIntent ${intent.id} has no recorded payment to refund`);
      const now = this.clock.now().toISOString();
      const refund: Refund = {
        id: this.ids.newId(),
        paymentId,
        intentId: intent.id,
        amount: decision.amount,
        currency: intent.currency,
        status: 'pending',
        gateway: intent.gateway,
        gatewayRefundId: null,
        reason: command.reason ?? null,
        createdAt: now,
        updatedAt: now,
      };
      if (await this.refunds.reserve(intent, refund)) return { intent, refund };
    }
    throw new DomainError('CONFLICT', `PaymentIntent ${intentId} is being refunded concurrently; retry shortly`);
  }

  // Manual gateways (no programmatic refund) answer pending: process it in their dashboard.
  private async askGateway(intent: PaymentIntent, refund: Refund): Promise<{ status: RefundStatus; gatewayRefundId: string | null }> {
    const gateway = this.gateways.get(intent.gateway);
    if (!gateway?.refund || !intent.gatewayTransactionId) return { status: 'pending', gatewayRefundId: null };
    try {
      return await gateway.refund({
        refundId: refund.id,
        intentId: intent.id,
        gatewayTransactionId: intent.gatewayTransactionId,
        amount: refund.amount,
        currency: intent.currency,
        reason: refund.reason,
      });
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      logger.warn('gateway refund failed', { intentId: intent.id, refundId: refund.id, gateway: intent.gateway, kind: error.kind });
      // A timeout may have refunded: keep the amount reserved and let the gateway's webhook or an
      // operator settle it (the refund id is the idempotency key, so a re-send is safe).
      return { status: error.kind === 'timeout' ? 'pending' : 'failed', gatewayRefundId: null };
    }
  }
}
