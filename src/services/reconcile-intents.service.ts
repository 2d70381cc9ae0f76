import type { Clock } from '../domain/clock.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { IntentRepository } from './ports.js';
import type { RecordPaymentOutcomeService } from './record-payment-outcome.service.js';

// The reconciler's polling fallback: a webhook may never come (MoMo sends its callback once and
// never retries), so intents still open after a while are re-checked with their gateway and
// any final answer goes through the same transaction + outbox path as a webhook.
export class ReconcileIntentsService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly gateways: GatewayRegistry,
    private readonly outcomes: RecordPaymentOutcomeService,
    private readonly clock: Clock,
  ) {}

  async checkStale(olderThanSeconds: number, limit = 50): Promise<{ checked: number; settled: number }> {
    const before = new Date(this.clock.now().getTime() - olderThanSeconds * 1000).toISOString();
    const open = await this.intents.listOpen(before, limit);
    let settled = 0;
    for (const intent of open) {
      const gateway = this.gateways.get(intent.gateway);
      if (!gateway?.getStatus || !gateway.isConfigured() || !intent.gatewayTransactionId) continue;
      try {
        const status = await gateway.getStatus(intent.gatewayTransactionId);
        if (status.status === intent.status) continue;
        const result = await this.outcomes.apply(
          intent.id,
          { status: status.status, amount: status.amount, currency: status.currency },
          { gateway: intent.gateway, eventId: `poll:${intent.gatewayTransactionId}:${status.gatewayStatus}` },
        );
        if (result === 'applied') settled++;
      } catch (error) {
        logger.warn('stale intent check failed', { intentId: intent.id, gateway: intent.gateway, error: String(error) });
      }
    }
    return { checked: open.length, settled };
  }
}
