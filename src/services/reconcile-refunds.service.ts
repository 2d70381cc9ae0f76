import type { Clock } from '../domain/clock.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { IntentRepository, RefundStore } from './ports.js';
import { findRefundAtGateway } from './refund-call.js';
import type { RefundIntentService } from './refund-intent.service.js';

// An open refund is asked about once no request for it can still be in flight.
export const REFUND_CHECK_AFTER_MS = 5 * 60_000;
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
  ) {}

  async checkOpen(limit = 50): Promise<{ checked: number; settled: number }> {
    const now = this.clock.now().getTime();
    const open = await this.refunds.listOpen(new Date(now - REFUND_CHECK_AFTER_MS).toISOString(), limit);
    let settled = 0;
    for (const refund of open) {
      const intent = await this.intents.get(refund.intentId);
      if (!intent) continue;
      if (now - new Date(refund.createdAt).getTime() > REFUND_RESEND_WINDOW_MS) {
        logger.warn('refund outcome still unknown after a day: settle it by hand with the gateway', { refundId: refund.id, intentId: intent.id, gateway: intent.gateway });
        continue;
      }
      const answer = await findRefundAtGateway(this.gateways, intent, refund);
      if (answer.outcome === 'unknown') continue;
      const recorded = await this.recorder.settle(intent, refund, answer, null);
      if (recorded.gatewayOutcome === 'known') settled++;
    }
    return { checked: open.length, settled };
  }
}
