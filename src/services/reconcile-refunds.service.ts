import { nextCheckAt } from '../domain/check-schedule.js';
import type { Clock } from '../domain/clock.js';
import { refundOutcomeOpen, type Refund } from '../domain/refund.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { IntentRepository, RefundStore } from './ports.js';
import { findRefundAtGateway } from './refund-call.js';
import type { RefundIntentService } from './refund-intent.service.js';
import { defaultBudget, runDueWork, type RunBudget, type RunResult } from './work-queue-run.js';

// Stripe keeps an Idempotency-Key's answer for 24 h: past that a re-send could refund again, so
// older open refunds are left to an operator (logged at warn on every sweep).
export const REFUND_RESEND_WINDOW_MS = 23 * 60 * 60_000;

// The reconciler's side of the refund rule: a refund whose gateway answer was lost (5xx, reset,
// timeout, our own write failing, a crash) stays pending with its amount reserved until the
// gateway says what became of our refund id; then it is recorded with its payment.refunded event.
export class ReconcileRefundsService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly refunds: RefundStore,
    private readonly gateways: GatewayRegistry,
    private readonly recorder: RefundIntentService,
    private readonly clock: Clock,
    // Known-pending refunds (the gateway is still processing): re-queried by the settlement service.
    private readonly pending: ((refund: Refund) => Promise<boolean>) | null = null,
  ) {}

  // One bounded pass over the refunds whose next check is due (issue 10's work queue).
  async checkDue(budget: Partial<RunBudget> = {}): Promise<RunResult> {
    const now = () => this.clock.now().toISOString();
    return runDueWork(
      this.clock,
      defaultBudget(this.clock, budget),
      (cursor, limit) => this.refunds.listDue(now(), limit, cursor),
      (refund) => this.checkOne(refund),
      (refund, checks) => this.refunds.reschedule(refund, checks, nextCheckAt('refund', checks, now())),
    );
  }

  private async checkOne(refund: Refund): Promise<boolean> {
    if (!refundOutcomeOpen(refund)) return this.pending?.(refund) ?? false;
    const intent = await this.intents.get(refund.intentId);
    if (!intent) return false;
    if (this.clock.now().getTime() - new Date(refund.createdAt).getTime() > REFUND_RESEND_WINDOW_MS) {
      logger.warn('refund outcome still unknown after a day: settle it by hand with the gateway', { refundId: refund.id, intentId: intent.id, gateway: intent.gateway });
      return false;
    }
    const answer = await findRefundAtGateway(this.gateways, intent, refund);
    if (answer.outcome === 'unknown') return false;
    const recorded = await this.recorder.settle(intent, refund, answer, null);
    return recorded.gatewayOutcome === 'known';
  }
}
