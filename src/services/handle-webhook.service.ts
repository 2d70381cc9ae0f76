import { isUuidV4, type Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { isGatewayId } from '../domain/gateway-id.js';
import {
  WebhookAuthError,
  type GatewayPaymentStatus,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type WebhookHeaders,
} from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { PaymentLifecycleStore, WebhookReceipt } from './ports.js';
import { RequeryThrottle } from './requery-throttle.js';
import type { OutcomeResult, PaymentOutcome, RecordPaymentOutcomeService } from './record-payment-outcome.service.js';
import type { RefundSettlementService, RefundWebhookResult } from './refund-settlement.service.js';

// Our references are UUIDs and gateways' ids are short; anything longer cannot be ours and would
// break DynamoDB's key size limit (a 2,017-char MoMo reference was a 500), so it is never looked up.
export const MAX_WEBHOOK_ID_LENGTH = 255;

export interface WebhookResult {
  events: number;
  // throttled: an unsigned callback for a reference re-queried moments ago; not asked again.
  results: Array<OutcomeResult | 'unknown_transaction' | 'throttled'>;
  // Refund events (Stripe refund.*/charge.refunded, Paystack refund.*), settled separately.
  refunds: RefundWebhookResult[];
}

// POST /webhooks/:gateway — verify on the raw bytes first, then parse, then apply each event.
export class HandleWebhookService {
  constructor(
    private readonly gateways: GatewayRegistry,
    private readonly store: PaymentLifecycleStore,
    private readonly outcomes: RecordPaymentOutcomeService,
    private readonly clock: Clock,
    // Absent: refund events are acknowledged and ignored (as before refunds could settle).
    private readonly refundSettlement: RefundSettlementService | null = null,
    private readonly requeries: RequeryThrottle = new RequeryThrottle(clock),
  ) {}

  async handle(gatewayId: string, rawBody: Buffer, headers: WebhookHeaders, reference: string | null = null): Promise<WebhookResult> {
    const gateway = isGatewayId(gatewayId) ? await this.gateways.get(gatewayId) : undefined;
    // A real gateway this deployment has not set up (no adapter loaded): nothing can be proven.
    if (!gateway && isGatewayId(gatewayId) && gatewayId !== 'mock') {
      logger.warn('webhook rejected', { gateway: gatewayId, reason: 'gateway not set up here' });
      throw new DomainError('UNAUTHORIZED', 'Invalid webhook signature');
    }
    if (!gateway?.verifyWebhook || !gateway.parseWebhook) {
      throw new DomainError('NOT_FOUND', `No webhook endpoint for gateway: ${gatewayId.slice(0, 32)}`);
    }
    verify(gateway, rawBody, headers);
    if (reference !== null && !plausibleReference(gateway, reference)) throw unknownReference();
    const events = gateway.parseWebhook(rawBody, { reference }).filter((event) => boundedIds(gateway, event));
    const results: WebhookResult['results'] = [];
    for (const event of events) results.push(await this.apply(gateway, event));
    const refundEvents = this.refundSettlement ? (gateway.parseRefundWebhook?.(rawBody) ?? []) : [];
    const refunds: RefundWebhookResult[] = [];
    for (const event of refundEvents) refunds.push(await this.refundSettlement!.onWebhook(gateway, event));
    if (events.length === 0 && refundEvents.length === 0) logger.info('webhook ignored: no event we handle', { gateway: gateway.id });
    return { events: events.length, results, refunds };
  }

  private async apply(gateway: PaymentGateway, event: GatewayWebhookEvent): Promise<WebhookResult['results'][number]> {
    const receipt = { gateway: gateway.id, eventId: event.eventId };
    const intentId = await this.store.findIntentIdByTransaction(gateway.id, event.gatewayTransactionId);
    if (intentId && !this.mayRequery(gateway, event)) return 'throttled';
    if (intentId) return this.outcomes.apply(intentId, outcomeOf(await confirmed(gateway, event)), receipt);
    // Unsigned callbacks (MoMo) name our own reference, recorded before the gateway was called:
    // an unknown one is not ours. Rejected without a write or a gateway call (issue 14).
    if (gateway.capabilities.webhookAuth === 'none') throw unknownReference();
    const linked = await this.linkByPartner(gateway, event, receipt);
    if (linked) return linked;
    // Answer 200 anyway: gateways retry non-2xx forever. Keep it for an operator instead.
    await this.keepUnknown(gateway, event);
    return 'unknown_transaction';
  }

  // A KkiaPay widget payment whose browser never called verify: the transaction names its intent
  // in partnerId. Only a success that the gateway's own answer confirms for that same partnerId
  // is applied, binding the transaction to the intent in the same transaction. A failed attempt
  // is not: the customer may still pay in the widget with another transaction.
  private async linkByPartner(gateway: PaymentGateway, event: GatewayWebhookEvent, receipt: WebhookReceipt): Promise<OutcomeResult | null> {
    const partnerId = event.partnerId;
    if (!partnerId || !isUuidV4(partnerId) || !gateway.capabilities.requeryOnWebhook || !gateway.getStatus) return null;
    const status = await gateway.getStatus(event.gatewayTransactionId).catch(async (error: unknown) => {
      await this.keepUnknown(gateway, event);
      throw error;
    });
    if (status.partnerId !== partnerId || status.status !== 'succeeded') return null;
    const bindTransaction = { gateway: gateway.id, transactionId: event.gatewayTransactionId };
    const result = await this.outcomes.apply(partnerId, outcomeOf(status), receipt, { bindTransaction });
    if (result === 'unknown_intent') return null;
    const log = result === 'applied' || result === 'duplicate' || result === 'ignored' ? logger.info : logger.warn;
    log.call(logger, 'webhook linked to its intent by partnerId', { gateway: gateway.id, intentId: partnerId, eventId: event.eventId, result });
    return result;
  }

  // Anyone can send an unsigned callback: at most one status query per reference per window.
  private mayRequery(gateway: PaymentGateway, event: GatewayWebhookEvent): boolean {
    const { webhookAuth, requeryOnWebhook } = gateway.capabilities;
    if (webhookAuth !== 'none' || !requeryOnWebhook) return true;
    const allowed = this.requeries.tryAcquire(`${gateway.id}:${event.gatewayTransactionId}`);
    if (!allowed) logger.info('callback not re-queried: same reference asked moments ago', { gateway: gateway.id, eventId: event.eventId });
    return allowed;
  }

  private async keepUnknown(gateway: PaymentGateway, event: GatewayWebhookEvent): Promise<void> {
    await this.store.storeForReview({ gateway: gateway.id, eventId: event.eventId, reason: 'unknown_transaction', detail: event }, this.clock.now());
    logger.warn('webhook for unknown transaction stored for review', { gateway: gateway.id, eventId: event.eventId });
  }
}

// Unsigned or hint-only webhooks only trigger a re-query: the gateway's API is the truth.
async function confirmed(gateway: PaymentGateway, event: GatewayWebhookEvent): Promise<GatewayWebhookEvent | GatewayPaymentStatus> {
  if (!gateway.capabilities.requeryOnWebhook || !gateway.getStatus) return event;
  return gateway.getStatus(event.gatewayTransactionId);
}

// An unsigned gateway's reference must be one of our ids (a UUID): nothing else is looked up.
function plausibleReference(gateway: PaymentGateway, reference: string): boolean {
  if (reference.length > MAX_WEBHOOK_ID_LENGTH) return false;
  return gateway.capabilities.webhookAuth !== 'none' || isUuidV4(reference);
}

function boundedIds(gateway: PaymentGateway, event: GatewayWebhookEvent): boolean {
  const bounded = [event.eventId, event.gatewayTransactionId, event.partnerId ?? ''].every((id) => id.length <= MAX_WEBHOOK_ID_LENGTH);
  if (!bounded) logger.warn('webhook event ignored: id too long', { gateway: gateway.id });
  return bounded;
}

const unknownReference = () => new DomainError('NOT_FOUND', 'Unknown payment reference');

const outcomeOf = ({ status, amount, currency }: PaymentOutcome): PaymentOutcome => ({ status, amount, currency });

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
