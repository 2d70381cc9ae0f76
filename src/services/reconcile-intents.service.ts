import { intentSchedule, nextCheckAt } from '../domain/check-schedule.js';
import type { Clock } from '../domain/clock.js';
import { createOutcomeOpen, type PaymentIntent } from '../domain/intent.js';
import { GatewayError, type PaymentGateway } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import { callCreate, paymentInputFor, saveCreateOutcome } from './create-attempt.js';
import type { CancelIntentService } from './cancel-intent.service.js';
import type { IntentRepository } from './ports.js';
import { defaultBudget, runDueWork, type RunBudget, type RunResult } from './work-queue-run.js';
import type { RecordPaymentOutcomeService } from './record-payment-outcome.service.js';

// A gateway saying it has no payment under our reference is believed only once no create carrying
// that reference can still be in flight.
export const CREATE_NOT_FOUND_GRACE_MS = 5 * 60_000;
// How long a cancelled or expired intent is still asked about.
export const WATCH_AFTER_CANCEL_MS = 24 * 60 * 60_000;

// The reconciler's polling fallback: a webhook may never come (MoMo sends its callback once and
// never retries), and a create call's answer may have been lost. Intents still open after a while
// are re-checked with their gateway; any final answer goes through the same transaction + outbox
// path as a webhook.
export class ReconcileIntentsService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly gateways: GatewayRegistry,
    private readonly outcomes: RecordPaymentOutcomeService,
    private readonly clock: Clock,
    // Expiry (issue 10): an open intent past its flow's lifetime is asked once more, then cancelled.
    private readonly expiry: Pick<CancelIntentService, 'expire'> | null = null,
  ) {}

  // One bounded pass over the intents whose next check is due (issue 10's work queue).
  async checkDue(budget: Partial<RunBudget> = {}): Promise<RunResult> {
    const now = () => this.clock.now().toISOString();
    return runDueWork(
      this.clock,
      defaultBudget(this.clock, budget),
      (cursor, limit) => this.intents.listDue(now(), limit, cursor),
      (intent) => this.checkOne(intent),
      (intent, checks) => this.intents.reschedule(intent, checks, nextCheckAt(intentSchedule(intent.paymentMode), checks, now())),
    );
  }

  private async checkOne(intent: PaymentIntent): Promise<boolean> {
    if (intent.status === 'cancelled') return this.watchCancelled(intent);
    const expired = await this.expiry?.expire(intent, this.clock.now());
    if (expired === 'expired' || expired === 'paid') return true;
    const gateway = await this.gateways.get(intent.gateway);
    if (!gateway?.isConfigured()) return false;
    return this.check(intent, gateway);
  }

  // A cancelled intent is asked about for a day: a payment the gateway reports after the cancel is
  // real money and is recorded as a late success (ADR 0013); then it leaves the queue.
  private async watchCancelled(intent: PaymentIntent): Promise<boolean> {
    if (this.clock.now().getTime() - new Date(intent.updatedAt).getTime() > WATCH_AFTER_CANCEL_MS) {
      await this.intents.leaveQueue(intent);
      return true;
    }
    const gateway = await this.gateways.get(intent.gateway);
    if (!gateway?.isConfigured() || !gateway.getStatus || !intent.gatewayTransactionId) return false;
    const status = await gateway.getStatus(intent.gatewayTransactionId);
    if (status.status !== 'succeeded') return false;
    return this.apply(intent, 'succeeded', status.amount, status.currency, `poll:${intent.gatewayTransactionId}:${status.gatewayStatus}`);
  }

  private async check(intent: PaymentIntent, gateway: PaymentGateway): Promise<boolean> {
    if (intent.gatewayTransactionId && gateway.getStatus) return this.followStatus(intent, gateway, intent.gatewayTransactionId);
    // The create answer was lost and the gateway names the payment itself: re-sending the same
    // create is safe only where the gateway replays it (Stripe's Idempotency-Key).
    if (createOutcomeOpen(intent) && gateway.capabilities.createIdempotent) return this.resumeCreate(intent, gateway);
    if (createOutcomeOpen(intent)) logger.warn('create outcome unknown and the gateway cannot be asked: check its dashboard', { intentId: intent.id, gateway: gateway.id });
    return false;
  }

  private async followStatus(intent: PaymentIntent, gateway: PaymentGateway, reference: string): Promise<boolean> {
    const status = await gateway.getStatus!(reference);
    if (status.notFound) {
      const age = this.clock.now().getTime() - new Date(intent.updatedAt).getTime();
      if (!createOutcomeOpen(intent) || age < CREATE_NOT_FOUND_GRACE_MS) return false;
      // Our create never reached the gateway: nothing was charged, the intent has failed.
      const closed = await saveCreateOutcome(this.intents, this.clock, intent, { outcome: 'failed', errorKind: 'not_found' }, null, null);
      return this.apply(closed, 'failed', undefined, undefined, `notfound:${reference}`);
    }
    if (createOutcomeOpen(intent)) {
      await saveCreateOutcome(this.intents, this.clock, intent, { outcome: 'created', errorKind: null }, null, null);
    }
    if (status.status === intent.status) return false;
    return this.apply(intent, status.status, status.amount, status.currency, `poll:${reference}:${status.gatewayStatus}`);
  }

  private async resumeCreate(intent: PaymentIntent, gateway: PaymentGateway): Promise<boolean> {
    const result = await callCreate(gateway, paymentInputFor(intent, intent.paymentMode === 'widget'));
    if (result.outcome === 'unknown') return false;
    // A refusal worth retrying (rate limited, connection refused) is about this re-send, not the
    // payment: the next pass sends it again. Failing here would end a payment the client is still
    // waiting for.
    if (result.outcome === 'failed' && result.error instanceof GatewayError && result.error.retryable) {
      logger.warn('lost create answer: re-send refused for now, retried on the next pass', { intentId: intent.id, gateway: gateway.id, kind: result.error.kind });
      return false;
    }
    if (result.outcome === 'created') {
      await saveCreateOutcome(this.intents, this.clock, intent, { outcome: 'created', errorKind: null }, result.created, null);
      logger.info('lost create answer recovered', { intentId: intent.id, gateway: gateway.id });
      return true;
    }
    const closed = await saveCreateOutcome(this.intents, this.clock, intent, { outcome: 'failed', errorKind: 'refused' }, null, null);
    return this.apply(closed, 'failed', undefined, undefined, `resume:${intent.id}`);
  }

  private async apply(intent: PaymentIntent, status: PaymentIntent['status'], amount: number | undefined, currency: string | undefined, eventId: string): Promise<boolean> {
    const result = await this.outcomes.apply(intent.id, { status, amount, currency }, { gateway: intent.gateway, eventId });
    return result === 'applied';
  }
}
