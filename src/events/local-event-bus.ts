import type { Clock } from '../domain/clock.js';
import type { OutboundEvent, PaymentEvent } from '../domain/payment-event.js';
import { logger } from '../logging/logger.js';
import type { EventPublisher } from './event-publisher.js';
import { matchesFilterPolicy, type FilterPolicy } from './filter-policy.js';
import { LocalWebhookDelivery } from './local-webhook-delivery.js';

type Subscriber = { name: string; policy: FilterPolicy; handler: (event: PaymentEvent) => Promise<void> };

// Events handed to the subscribers already; a re-publish (a webhook retry) skips them.
const REMEMBERED_EVENTS = 10_000;

// The local stand-in for the SNS topic: filter-policy delivery to in-process subscribers and,
// when LOCAL_EVENT_WEBHOOK_URL is set, an SNS-shaped POST to that URL. Like SNS, subscribers
// are started and not awaited (their failures are logged). The POST is awaited: when it fails,
// publish rejects and the outbox keeps the event until the listener takes it (ADR 0021).
export class LocalEventBus implements EventPublisher {
  private readonly subscribers: Subscriber[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly handedOut = new Set<string>();
  private readonly webhook: LocalWebhookDelivery | null;

  constructor(options: { webhookUrl: string | null; clock: Clock; fetchImpl?: typeof fetch }) {
    this.webhook = options.webhookUrl ? new LocalWebhookDelivery(options.webhookUrl, options.clock, options.fetchImpl) : null;
  }

  subscribe(name: string, policy: FilterPolicy, handler: (event: PaymentEvent) => Promise<void>): void {
    this.subscribers.push({ name, policy, handler });
  }

  async publish(outbound: OutboundEvent): Promise<void> {
    if (!this.handedOut.has(outbound.event.eventId)) this.handOut(outbound);
    if (this.webhook) await this.webhook.deliver(outbound);
  }

  // Resolves once every subscriber delivery started so far has settled.
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private handOut({ event, attributes }: OutboundEvent): void {
    logger.info('event published', { eventId: event.eventId, type: event.type, intentId: event.intentId, appId: event.appId });
    this.remember(event.eventId);
    const attributeMap: Record<string, string> = { ...attributes };
    for (const subscriber of this.subscribers) {
      if (!matchesFilterPolicy(subscriber.policy, attributeMap)) continue;
      // Started on a microtask: a handler that throws before its first await must not escape publish.
      const delivery = Promise.resolve().then(() => subscriber.handler(event));
      this.track(delivery, subscriber.name, event.eventId);
    }
  }

  private remember(eventId: string): void {
    this.handedOut.add(eventId);
    if (this.handedOut.size > REMEMBERED_EVENTS) this.handedOut.delete(this.handedOut.values().next().value as string);
  }

  private track(delivery: Promise<void>, subscriber: string, eventId: string): void {
    const settled = delivery.catch((error: unknown) => {
      logger.error('local event delivery failed', { subscriber, eventId, error: String(error) });
    });
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }
}
