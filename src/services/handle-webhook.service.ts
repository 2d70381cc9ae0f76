import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { isGatewayId } from '../domain/gateway-id.js';
import { WebhookAuthError, type GatewayWebhookEvent, type PaymentGateway, type WebhookHeaders } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { PaymentLifecycleStore } from './ports.js';
import type { OutcomeResult, PaymentOutcome, RecordPaymentOutcomeService } from './record-payment-outcome.service.js';

export interface WebhookResult {
  events: number;
  results: Array<OutcomeResult | 'unknown_transaction'>;
}

// POST /webhooks/:gateway — verify on the raw bytes first, then parse, then apply each event.
export class HandleWebhookService {
  constructor(
    private readonly gateways: GatewayRegistry,
    private readonly store: PaymentLifecycleStore,
    private readonly outcomes: RecordPaymentOutcomeService,
    private readonly clock: Clock,
  ) {}

  async handle(gatewayId: string, rawBody: Buffer, headers: WebhookHeaders, reference: string | null = null): Promise<WebhookResult> {
    const gateway = isGatewayId(gatewayId) ? this.gateways.get(gatewayId) : undefined;
    if (!gateway?.verifyWebhook || !gateway.parseWebhook) {
      throw new DomainError('NOT_FOUND', `No webhook endpoint for gateway: ${gatewayId.slice(0, 32)}`);
    }
    verify(gateway, rawBody, headers);
    const events = gateway.parseWebhook(rawBody, { reference });
    const results: WebhookResult['results'] = [];
    for (const event of events) {
      const intentId = await this.store.findIntentIdByTransaction(gateway.id, event.gatewayTransactionId);
      if (!intentId) {
        // Answer 200 anyway: gateways retry non-2xx forever. Keep it for an operator instead.
        await this.store.storeForReview({ gateway: gateway.id, eventId: event.eventId, reason: 'unknown_transaction', detail: event }, this.clock.now());
        logger.warn('webhook for unknown transaction stored for review', { gateway: gateway.id, eventId: event.eventId });
        results.push('unknown_transaction');
        continue;
      }
      const outcome = await confirmedOutcome(gateway, event);
      results.push(await this.outcomes.apply(intentId, outcome, { gateway: gateway.id, eventId: event.eventId }));
    }
    if (events.length === 0) logger.info('webhook ignored: no event we handle', { gateway: gateway.id });
    return { events: events.length, results };
  }
}

// Unsigned or hint-only webhooks only trigger a re-query: the gateway's API is the truth.
async function confirmedOutcome(gateway: PaymentGateway, event: GatewayWebhookEvent): Promise<PaymentOutcome> {
  if (!gateway.capabilities.requeryOnWebhook || !gateway.getStatus) return event;
  const confirmed = await gateway.getStatus(event.gatewayTransactionId);
  return { status: confirmed.status, amount: confirmed.amount, currency: confirmed.currency };
}

function verify(gateway: PaymentGateway, rawBody: Buffer, headers: WebhookHeaders): void {
  try {
    gateway.verifyWebhook?.(rawBody, headers);
  } catch (error) {
    if (error instanceof WebhookAuthError) {
      logger.warn('webhook rejected', { gateway: gateway.id, reason: error.message });
      throw new DomainError('UNAUTHORIZED', 'Invalid webhook signature');
    }
    throw error;
  }
}
